-- Grain: one row per month, customer and KPI with a per-customer breakdown (the registry's
-- per_customer KPIs: ppm, otd, premium_freight, response_on_time), for every customer with
-- data behind that KPI in that month (kpi_customer_months); the months of kpi_calendar, as in
-- kpi_scorecard, whose monthly rows are the sums of these over customers.
-- target and met are extra: the customer's override from kpi_targets, else the default.

with definitions as (

    select * from kpi_definitions where per_customer

),

typed as (

    select
        summed.month,
        summed.customer,
        summed.kpi,
        definitions.direction,
        summed.numerator::double as numerator,
        case
            when definitions.value_kind = 'total' then null
            else coalesce(summed.denominator, 0)
        end::double as denominator,
        definitions.value_kind,
        definitions.scale
    from kpi_customer_months as summed
    inner join definitions using (kpi)

),

valued as (

    select *, kpi_value(value_kind, scale, numerator, denominator) as value
    from typed

),

final as (

    select
        valued.month,
        valued.customer,
        valued.kpi,
        valued.numerator,
        valued.denominator,
        valued.value,
        coalesce(overrides.target, defaults.target) as target,
        kpi_met(valued.direction, valued.value, coalesce(overrides.target, defaults.target))
            as met
    from valued
    left join kpi_targets as defaults
        on defaults.kpi = valued.kpi and defaults.customer is null
    left join kpi_targets as overrides
        on overrides.kpi = valued.kpi and overrides.customer = valued.customer

)

select * from final
order by month, kpi, customer
