-- One row per month from $start to $month for one monthly KPI, with its control limits.
select
    s.period_start as month,
    s.numerator,
    s.denominator,
    s.value,
    s.target,
    s.met,
    l.center,
    l.lcl,
    l.ucl,
    l.signal
from kpi_scorecard as s
left join kpi_control_limits as l
    on l.kpi = s.kpi and l.month = s.period_start
where s.kpi = $kpi
    and s.period_kind = 'month'
    and s.period_start between cast($start as date) and cast($month as date)
order by s.period_start
