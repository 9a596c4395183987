-- One row per KPI for the pack of $month (SPEC §9), read as of the month's last day:
--   period_*, value, met      the last complete period: the month itself for a monthly KPI;
--                             for a quarter or half-year KPI the period containing $month
--                             when it ends with the month, else the one before it
--   previous_value/_met       the period before that one (the trend compares the two)
--   to_date_*                 a quarter or half-year still in progress at the month's end:
--                             its rows up to then (NULL when the period ended with the month)
--   signal                    the month's control-chart signal, where the KPI has one
with bounds as (
    select cast($month as date) as month, last_day(cast($month as date)) as month_end
),

containing as (
    select s.*, s.period_end <= bounds.month_end as complete
    from kpi_scorecard as s, bounds
    where bounds.month between s.period_start and s.period_end
),

-- the last complete period's bounds, also when the data starts after it
complete_bounds as (
    select
        kpi,
        period_kind,
        if(complete, period_start, cast(period_start - to_months(
            case period_kind when 'quarter' then 3 when 'half' then 6 else 1 end
        ) as date)) as period_start,
        if(complete, period_end, cast(period_start - interval 1 day as date)) as period_end
    from containing
),

last_complete as (
    select b.kpi, b.period_kind, b.period_start, b.period_end,
        s.numerator, s.denominator, s.value, s.met
    from complete_bounds as b
    left join kpi_scorecard as s
        on s.kpi = b.kpi and s.period_kind = b.period_kind and s.period_end = b.period_end
),

previous_period as (
    select s.kpi, s.value as previous_value, s.met as previous_met
    from kpi_scorecard as s
    inner join last_complete as l
        on s.kpi = l.kpi
        and s.period_kind = l.period_kind
        and s.period_end = cast(l.period_start - interval 1 day as date)
),

to_date as (
    select
        kpi,
        period_start as to_date_start,
        period_end as to_date_end,
        numerator as to_date_numerator,
        denominator as to_date_denominator,
        value as to_date_value,
        met as to_date_met
    from containing
    where not complete
),

month_signal as (
    select kpi, signal, lcl, ucl
    from kpi_control_limits
    where month = cast($month as date)
)

select
    c.kpi,
    c.period_kind,
    l.period_start,
    l.period_end,
    l.numerator,
    l.denominator,
    l.value,
    c.target,
    l.met,
    p.previous_value,
    p.previous_met,
    d.to_date_start,
    d.to_date_end,
    d.to_date_numerator,
    d.to_date_denominator,
    d.to_date_value,
    d.to_date_met,
    m.signal
from containing as c
left join last_complete as l using (kpi)
left join previous_period as p using (kpi)
left join to_date as d using (kpi)
left join month_signal as m using (kpi)
