-- Delivery lines as known at the end of the day $as_of (SPEC §9): shipped or promised by then.
-- A line promised by then but shipped or delivered later had not shipped or arrived yet (for
-- OTD an undelivered line is late).
select
    * replace (
        if(ship_date > $as_of, null, ship_date) as ship_date,
        if(delivered_date > $as_of, null, delivered_date) as delivered_date
    )
from query_table($stored)
where ship_date <= $as_of or promised_date <= $as_of
