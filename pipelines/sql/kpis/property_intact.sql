-- Customer property intact (SPEC §4): items found intact over items checked.
-- Grain: one row per month, customer and property item with checks.

select
    month_of(check_date) as month,
    customer,
    item as driver,
    sum(qty_intact) as numerator,
    sum(qty_checked) as denominator
from property_checks
group by all
