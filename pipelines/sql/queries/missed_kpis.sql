-- Grain: one row per KPI missing its target in a period containing $month (scope 'all'),
-- and per customer whose PPM or OTD misses its own (possibly overridden) target that month:
-- PPM and OTD are agreed per customer, so each such customer gets its own action line.

select kpi, 'all' as scope, value, target
from kpi_scorecard
where $month::date between period_start and period_end and met = false

union all

select kpi, customer as scope, value, target
from kpi_by_customer_monthly
where month = $month::date and kpi in ('ppm', 'otd') and met = false
