-- The action list's lines for $month. Grain: one row per
--   missed     KPI missing its target in a period containing $month (scope 'all'), and
--              customer whose KPI misses its own (possibly overridden) target that month, for
--              the KPIs the registry gives customer action lines (customer_actions: PPM and
--              OTD are agreed per customer, so each such customer gets its own line);
--   scorecard  customer scorecard of the month that disagrees with our own number (value:
--              ours; target: the customer's portal value).

select kpi, 'all' as scope, value, target, 'missed' as line
from kpi_scorecard
where $month::date between period_start and period_end and met = false

union all

select kpi_by_customer_monthly.kpi, customer as scope, value, target, 'missed' as line
from kpi_by_customer_monthly
inner join kpi_definitions using (kpi)
where month = $month::date and kpi_definitions.customer_actions and met = false

union all

select kpi, customer as scope, our_value as value, customer_value as target, 'scorecard' as line
from scorecard_reconciliation
where month = $month::date and agrees = false
