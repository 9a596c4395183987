-- The risk register as known at the end of the day $as_of (SPEC §9). A register places no
-- row in a month, so every risk stays; a review dated later had not happened yet.
select * replace (if(review_date > $as_of, null, review_date) as review_date)
from query_table($stored)
