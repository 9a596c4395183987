-- Grain: one row per KPI missing its target in a period containing $month (scope 'all'),
-- and per customer whose KPI misses its own (possibly overridden) target that month, for the
-- KPIs the registry gives customer action lines (customer_actions: PPM and OTD are agreed
-- per customer, so each such customer gets its own action line).

select kpi, 'all' as scope, value, target
from kpi_scorecard
where $month::date between period_start and period_end and met = false

union all

select kpi_by_customer_monthly.kpi, customer as scope, value, target
from kpi_by_customer_monthly
inner join kpi_definitions using (kpi)
where month = $month::date and kpi_definitions.customer_actions and met = false
