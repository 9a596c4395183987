-- Customers' portal scorecards as known at the end of the day $as_of (SPEC §9): months up to
-- it (a month is stored as its first day).
select * from query_table($stored) where month <= $as_of
