-- Grain: one row per month, customer and monthly KPI (ppm, otd, premium_freight,
-- response_on_time), for every customer with data behind that KPI in that month.
-- Same formulas as kpi_scorecard, whose monthly rows are the sums of these over customers.
-- target and met are extra: the customer's override from kpi_targets, else the default.
-- Months: those of kpi_calendar, as in kpi_scorecard.

with settings as (

    -- day counts as INTEGER so they add to a DATE
    select
        sla_days::integer as sla_days,
        otd_tolerance_days::integer as otd_tolerance_days,
        otd_early_days::integer as otd_early_days
    from kpi_settings

),

complaints_with_cause as (

    select
        complaints.*,
        date_trunc('month', complaints.received_date)::date as month,
        -- a cause missing from the taxonomy is not proven to be someone else's
        coalesce(causes.supplier_responsible, true) as supplier_responsible
    from complaints
    left join causes on causes.code = complaints.cause

),

ppm_defects as (

    select month, customer, sum(defect_qty) as defects
    from complaints_with_cause
    where status <> 'rejected' and supplier_responsible
    group by month, customer

),

ppm_shipped as (

    select date_trunc('month', ship_date)::date as month, customer, sum(qty) as shipped
    from deliveries
    group by all

),

ppm as (

    select
        coalesce(ppm_defects.month, ppm_shipped.month) as month,
        coalesce(ppm_defects.customer, ppm_shipped.customer) as customer,
        'ppm' as kpi,
        coalesce(ppm_defects.defects, 0)::double as numerator,
        coalesce(ppm_shipped.shipped, 0)::double as denominator
    from ppm_defects
    full join ppm_shipped
        on ppm_shipped.month = ppm_defects.month
        and ppm_shipped.customer = ppm_defects.customer

),

otd as (

    select
        date_trunc('month', deliveries.promised_date)::date as month,
        deliveries.customer,
        'otd' as kpi,
        -- an undelivered line has no delivered_date, so it is never on time
        count(*) filter (
            where deliveries.delivered_date
                <= deliveries.promised_date + settings.otd_tolerance_days
            and (
                settings.otd_early_days is null
                or deliveries.delivered_date
                    >= deliveries.promised_date - settings.otd_early_days
            )
        )::double as numerator,
        count(*)::double as denominator
    from deliveries
    cross join settings
    group by all

),

premium_freight as (

    select
        date_trunc('month', ship_date)::date as month,
        customer,
        'premium_freight' as kpi,
        -- freight rows but none premium: 0, not NULL
        coalesce(sum(amount) filter (where premium), 0)::double as numerator,
        null::double as denominator
    from freight
    group by all

),

response_on_time as (

    select
        complaints_with_cause.month,
        complaints_with_cause.customer,
        'response_on_time' as kpi,
        -- every status counts; an unanswered complaint has no responded_date, so it is late
        count(*) filter (
            where complaints_with_cause.responded_date <= coalesce(
                complaints_with_cause.response_due,
                complaints_with_cause.received_date + settings.sla_days
            )
        )::double as numerator,
        count(*)::double as denominator
    from complaints_with_cause
    cross join settings
    group by all

),

unioned as (

    select * from ppm
    union all
    select * from otd
    union all
    select * from premium_freight
    union all
    select * from response_on_time

),

valued as (

    select
        *,
        case
            when kpi = 'premium_freight' then numerator
            when denominator = 0 then null
            -- multiply first: exact when the true ratio is a representable number
            when kpi = 'ppm' then numerator * 1000000 / denominator
            else numerator * 100 / denominator
        end as value
    from unioned

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
        case
            when valued.value is null or coalesce(overrides.target, defaults.target) is null
                then null
            when defaults.direction = 'max'
                then valued.value <= coalesce(overrides.target, defaults.target)
            else valued.value >= coalesce(overrides.target, defaults.target)
        end as met
    from valued
    left join kpi_targets as defaults
        on defaults.kpi = valued.kpi and defaults.customer is null
    left join kpi_targets as overrides
        on overrides.kpi = valued.kpi and overrides.customer = valued.customer
    -- the months of kpi_scorecard only (a line promised after the last month with data in
    -- any source waits for that month), so the company's month stays the sum of these rows
    where valued.month in (select month from kpi_calendar)

)

select * from final
order by month, kpi, customer
