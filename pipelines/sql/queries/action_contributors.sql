-- What drives each KPI in the scorecard period that contains $month, for the action list.
-- Grain: one row per KPI, customer, label (cause, freight reason or property item; NULL where
-- the KPI has none) and phase (complaint KPIs only), with the amount that customer and label
-- add to the KPI's shortfall. Only positive amounts are kept.
--   ppm               defect_qty of counted complaints (not rejected, supplier responsible)
--   otd               delivery lines not on time
--   premium_freight   premium freight amount, by reason
--   response_on_time  complaints not answered by their due date
--   satisfaction      points below the 10-point maximum
--   property_intact   items checked but not intact, by item
--   env_complaints    environmental complaints (not rejected)

with periods as (

    select kpi, period_start, period_end
    from kpi_scorecard
    where $month::date between period_start and period_end

),

settings as (

    select
        sla_days::integer as sla_days,
        otd_tolerance_days::integer as otd_tolerance_days,
        otd_early_days::integer as otd_early_days
    from kpi_settings

),

complaints_with_cause as (

    select
        complaints.*,
        coalesce(causes.supplier_responsible, true) as supplier_responsible
    from complaints
    left join causes on causes.code = complaints.cause

),

ppm as (

    select 'ppm' as kpi, customer, cause as label, phase, sum(defect_qty)::double as amount
    from complaints_with_cause
    inner join periods
        on periods.kpi = 'ppm' and received_date between period_start and period_end
    where status <> 'rejected' and supplier_responsible
    group by all

),

otd as (

    -- the on-time rule of kpi_by_customer_monthly, negated
    select 'otd' as kpi, customer, null as label, null as phase, count(*)::double as amount
    from deliveries
    cross join settings
    inner join periods
        on periods.kpi = 'otd' and promised_date between period_start and period_end
    where not coalesce(
        delivered_date <= promised_date + settings.otd_tolerance_days
        and (
            settings.otd_early_days is null
            or delivered_date >= promised_date - settings.otd_early_days
        ),
        false
    )
    group by all

),

premium_freight as (

    select
        'premium_freight' as kpi,
        customer,
        reason as label,
        null as phase,
        sum(amount)::double as amount
    from freight
    inner join periods
        on periods.kpi = 'premium_freight' and ship_date between period_start and period_end
    where premium
    group by all

),

response_on_time as (

    select 'response_on_time' as kpi, customer, cause as label, phase, count(*)::double as amount
    from complaints_with_cause
    cross join settings
    inner join periods
        on periods.kpi = 'response_on_time' and received_date between period_start and period_end
    where not coalesce(
        responded_date <= coalesce(response_due, received_date + settings.sla_days), false
    )
    group by all

),

satisfaction as (

    select
        'satisfaction' as kpi,
        customer,
        null as label,
        null as phase,
        sum(10 - score)::double as amount
    from surveys
    inner join periods
        on periods.kpi = 'satisfaction' and survey_date between period_start and period_end
    group by all

),

property_intact as (

    select
        'property_intact' as kpi,
        customer,
        item as label,
        null as phase,
        sum(qty_checked - qty_intact)::double as amount
    from property_checks
    inner join periods
        on periods.kpi = 'property_intact' and check_date between period_start and period_end
    group by all

),

env_complaints as (

    select 'env_complaints' as kpi, customer, cause as label, phase, count(*)::double as amount
    from complaints
    inner join periods
        on periods.kpi = 'env_complaints' and received_date between period_start and period_end
    where environmental and status <> 'rejected'
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
    union all
    select * from satisfaction
    union all
    select * from property_intact
    union all
    select * from env_complaints

)

select kpi, customer, label, phase, amount
from unioned
where amount > 0
