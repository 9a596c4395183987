-- Complaints as known at the end of the day $as_of (SPEC §9): received by then; a response
-- or a closure dated later had not happened yet, so the complaint was still open.
select
    * replace (
        if(responded_date > $as_of, null, responded_date) as responded_date,
        if(closed_date > $as_of, null, closed_date) as closed_date,
        if(status = 'closed' and closed_date > $as_of, 'open', status) as status
    )
from query_table($stored)
where received_date <= $as_of
