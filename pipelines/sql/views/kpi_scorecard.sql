-- Grain: one row per KPI and period: each month for ppm, otd, premium_freight and
-- response_on_time, each quarter for property_intact and env_complaints, each half-year
-- (Jan-Jun, Jul-Dec) for satisfaction; every period covering a month of kpi_calendar.
-- A ratio's value and met are NULL where its denominator is 0. Targets come from kpi_targets.

with calendar as (

    select * from kpi_calendar

),

monthly_kpis as (

    select * from (values ('ppm'), ('otd'), ('premium_freight'), ('response_on_time')) as k(kpi)

),

customer_sums as (

    -- the company's month is the sum of its customers' months (same formulas, one place)
    select month, kpi, sum(numerator) as numerator, sum(denominator) as denominator
    from kpi_by_customer_monthly
    group by all

),

monthly as (

    select
        monthly_kpis.kpi,
        'month' as period_kind,
        calendar.month as period_start,
        calendar.month_end as period_end,
        -- premium freight stays NULL in a month without any freight row
        -- premium freight is a sum of 2-decimal amounts: round away the binary noise of
        -- adding the customers' sums, so a month at exactly the target compares as equal
        if(monthly_kpis.kpi = 'premium_freight',
            round(customer_sums.numerator, 2), coalesce(customer_sums.numerator, 0)) as numerator,
        if(monthly_kpis.kpi = 'premium_freight',
            null, coalesce(customer_sums.denominator, 0)) as denominator
    from calendar
    cross join monthly_kpis
    left join customer_sums
        on customer_sums.month = calendar.month and customer_sums.kpi = monthly_kpis.kpi

),

quarters as (

    select distinct quarter_start, quarter_end from calendar

),

halves as (

    select distinct half_start, half_end from calendar

),

satisfaction as (

    select
        'satisfaction' as kpi,
        'half' as period_kind,
        halves.half_start as period_start,
        halves.half_end as period_end,
        coalesce(sum(surveys.score), 0)::double as numerator,
        count(surveys.score)::double as denominator
    from halves
    left join surveys
        on surveys.survey_date between halves.half_start and halves.half_end
    group by all

),

property_intact as (

    select
        'property_intact' as kpi,
        'quarter' as period_kind,
        quarters.quarter_start as period_start,
        quarters.quarter_end as period_end,
        coalesce(sum(property_checks.qty_intact), 0)::double as numerator,
        coalesce(sum(property_checks.qty_checked), 0)::double as denominator
    from quarters
    left join property_checks
        on property_checks.check_date between quarters.quarter_start and quarters.quarter_end
    group by all

),

env_complaints as (

    select
        'env_complaints' as kpi,
        'quarter' as period_kind,
        quarters.quarter_start as period_start,
        quarters.quarter_end as period_end,
        count(complaints.complaint_id)::double as numerator,
        null::double as denominator
    from quarters
    left join complaints
        on complaints.received_date between quarters.quarter_start and quarters.quarter_end
        and complaints.environmental
        and complaints.status <> 'rejected'
    group by all

),

unioned as (

    select * from monthly
    union all
    select * from satisfaction
    union all
    select * from property_intact
    union all
    select * from env_complaints

),

valued as (

    select
        *,
        case
            -- count and amount KPIs: the value is the numerator itself
            when kpi in ('premium_freight', 'env_complaints') then numerator
            when denominator = 0 then null
            -- multiply first: exact when the true ratio is a representable number
            when kpi = 'ppm' then numerator * 1000000 / denominator
            -- satisfaction: a % of the 10-point maximum
            when kpi = 'satisfaction' then numerator * 10 / denominator
            else numerator * 100 / denominator
        end as value
    from unioned

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
        case
            when valued.value is null or kpi_targets.target is null then null
            when kpi_targets.direction = 'max' then valued.value <= kpi_targets.target
            else valued.value >= kpi_targets.target
        end as met
    from valued
    left join kpi_targets
        on kpi_targets.kpi = valued.kpi and kpi_targets.customer is null

)

select * from final
order by
    list_position(
        ['ppm', 'otd', 'premium_freight', 'response_on_time',
         'satisfaction', 'property_intact', 'env_complaints'],
        kpi
    ),
    period_start
