-- Complaint response on time (SPEC §4): complaints answered by their due date over the
-- complaints received in the month, every status counted (stg_complaints decides on time).
-- Grain: one row per month, customer, cause and phase with complaints received.

select
    received_month as month,
    customer,
    cause as driver,
    phase,
    count(*) filter (where responded_on_time) as numerator,
    count(*) as denominator
from stg_complaints
group by all
