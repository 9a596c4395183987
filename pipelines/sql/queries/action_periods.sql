-- The first and last day of the scorecard periods (month, quarter, half-year) that contain
-- $month: the span of kpi_facts the action list's contributors read.
select min(period_start) as first_day, max(period_end) as last_day
from kpi_scorecard
where $month::date between period_start and period_end
