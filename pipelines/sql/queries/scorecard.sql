-- One row per KPI: the period that contains $month, the period before it, and the month's
-- control-chart signal where the KPI has one.
with current_period as (
    select *
    from kpi_scorecard
    where cast($month as date) between period_start and period_end
),

previous_period as (
    select
        s.kpi,
        s.value as previous_value,
        s.met as previous_met
    from kpi_scorecard as s
    inner join current_period as c
        on s.kpi = c.kpi
        and s.period_kind = c.period_kind
        and s.period_end = cast(c.period_start - interval 1 day as date)
),

month_signal as (
    select kpi, signal, lcl, ucl
    from kpi_control_limits
    where month = cast($month as date)
)

select
    c.kpi,
    c.period_kind,
    c.period_start,
    c.period_end,
    c.numerator,
    c.denominator,
    c.value,
    c.target,
    c.met,
    p.previous_value,
    p.previous_met,
    m.signal
from current_period as c
left join previous_period as p using (kpi)
left join month_signal as m using (kpi)
