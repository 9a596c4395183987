-- On-time delivery (SPEC §4): delivery lines on time over the lines promised in the month
-- (stg_deliveries decides on time; an undelivered line is late).
-- Grain: one row per promised month and customer.

select
    promised_month as month,
    customer,
    count(*) filter (where on_time) as numerator,
    count(*) as denominator
from stg_deliveries
group by all
