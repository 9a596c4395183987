-- One row per period (quarter or half-year) of one KPI that starts between $start and $month.
select period_kind, period_start, period_end, numerator, denominator, value, target, met
from kpi_scorecard
where kpi = $kpi
    and period_start between cast($start as date) and cast($month as date)
order by period_start
