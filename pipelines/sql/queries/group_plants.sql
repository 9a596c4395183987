-- One row per plant and KPI: each plant's own scorecard row for the period that contains
-- $month (its own targets and settings), for the group pack's plants side by side.
select plant, kpi, period_kind, period_start, period_end, value, target, met
from kpi_scorecard_by_plant
where cast($month as date) between period_start and period_end
order by plant, kpi
