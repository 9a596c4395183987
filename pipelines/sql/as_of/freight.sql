-- Freight as known at the end of the day $as_of (SPEC §9): shipped by then.
select * from query_table($stored) where ship_date <= $as_of
