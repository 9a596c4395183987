-- Grain: one row per customer_scorecards row (SPEC §8): what a customer's portal reports
-- against our own kpi_by_customer_monthly value of that month, customer and KPI.
--   agrees  |difference| within reconcile_ppm_points (ppm) or reconcile_otd_points (otd);
--           NULL where we have no value. The difference is rounded to 1e-9 first, so a gap
--           exactly at the tolerance (97.9 vs 98.4) is not lost to binary noise.

with settings as (

    select reconcile_ppm_points, reconcile_otd_points from kpi_settings

),

compared as (

    select
        scorecards.month,
        scorecards.customer,
        scorecards.kpi,
        scorecards.value::double as customer_value,
        ours.value as our_value,
        scorecards.value::double - ours.value as difference,
        scorecards.status
    from customer_scorecards as scorecards
    left join kpi_by_customer_monthly as ours
        on ours.month = scorecards.month
        and ours.customer = scorecards.customer
        and ours.kpi = scorecards.kpi

),

final as (

    select
        compared.month,
        compared.customer,
        compared.kpi,
        compared.customer_value,
        compared.our_value,
        compared.difference,
        round(abs(compared.difference), 9) <= case
            when compared.kpi = 'ppm' then settings.reconcile_ppm_points
            else settings.reconcile_otd_points
        end as agrees,
        compared.status
    from compared
    cross join settings

)

select * from final
order by month, customer, kpi
