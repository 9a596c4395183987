-- Quality costs as known at the end of the day $as_of (SPEC §9): incurred by then.
select * from query_table($stored) where cost_date <= $as_of
