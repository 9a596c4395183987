-- Grain: one row per KPI and period of the KPI's kind (kpi_definitions.period_kind: each month,
-- quarter or half-year, Jan-Jun and Jul-Dec) covering a month of kpi_calendar, in the
-- registry's order. Numerator and denominator sum the KPI's customer months
-- (kpi_customer_months) of the period; the value and met follow the registry's value kind, scale and direction, so
-- a ratio's value and met are NULL where its denominator is 0. Targets come from kpi_targets.

with calendar as (

    select * from kpi_calendar

),

periods as (

    select distinct 'month' as period_kind, month as period_start, month_end as period_end
    from calendar
    union all
    select distinct 'quarter', quarter_start, quarter_end from calendar
    union all
    select distinct 'half', half_start, half_end from calendar

),

summed as (

    select
        kpi_definitions.kpi,
        periods.period_kind,
        periods.period_start,
        periods.period_end,
        sum(customer_months.numerator) as numerator,
        sum(customer_months.denominator) as denominator
    from kpi_definitions
    inner join periods on periods.period_kind = kpi_definitions.period_kind
    left join kpi_customer_months as customer_months
        on customer_months.kpi = kpi_definitions.kpi
        and customer_months.month between periods.period_start and periods.period_end
    group by all

),

typed as (

    select
        summed.kpi,
        summed.period_kind,
        summed.period_start,
        summed.period_end,
        kpi_definitions.direction,
        kpi_definitions.sort_order,
        -- a total KPI whose registry says so has no value in a period without rows
        case
            when kpi_definitions.value_kind = 'total' and kpi_definitions.empty_value = 'null'
                then summed.numerator
            else coalesce(summed.numerator, 0)
        end::double as numerator,
        case
            when kpi_definitions.value_kind = 'total' then null
            else coalesce(summed.denominator, 0)
        end::double as denominator,
        kpi_definitions.value_kind,
        kpi_definitions.scale
    from summed
    inner join kpi_definitions using (kpi)

),

valued as (

    select *, kpi_value(value_kind, scale, numerator, denominator) as value
    from typed

),

final as (

    select
        valued.kpi,
        valued.period_kind,
        valued.period_start,
        valued.period_end,
        valued.numerator,
        valued.denominator,
        valued.value,
        kpi_targets.target,
        kpi_met(valued.direction, valued.value, kpi_targets.target) as met,
        valued.sort_order
    from valued
    left join kpi_targets
        on kpi_targets.kpi = valued.kpi and kpi_targets.customer is null

)

select * exclude (sort_order) from final
order by sort_order, period_start
