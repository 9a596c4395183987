-- Survey responses as known at the end of the day $as_of (SPEC §9): answered by then.
select * from query_table($stored) where survey_date <= $as_of
