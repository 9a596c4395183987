-- Customer property checks as known at the end of the day $as_of (SPEC §9): checked by then.
select * from query_table($stored) where check_date <= $as_of
