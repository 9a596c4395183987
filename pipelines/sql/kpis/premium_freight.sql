-- Premium freight (SPEC §4): the amount of premium freight shipped in the month; a month
-- with freight rows but none premium reads 0, a month without any freight row has no value.
-- Grain: one row per month, customer and freight reason with freight rows.

select
    month_of(ship_date) as month,
    customer,
    reason as driver,
    coalesce(sum(amount) filter (where premium), 0) as numerator,
    null as denominator
from freight
group by all
