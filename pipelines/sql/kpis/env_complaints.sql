-- Environmental complaints (SPEC §4): complaints flagged environmental, status not rejected.
-- Grain: one row per month, customer, cause and phase with such complaints.

select
    received_month as month,
    customer,
    cause as driver,
    phase,
    count(*) as numerator,
    null as denominator
from stg_complaints
where counted and environmental
group by all
