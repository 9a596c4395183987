-- Staging: one row per delivery line, with its months and whether it was on time, decided
-- once for OTD, the action list and the pack.
--   ship_month      the month the line is filed under (PPM's parts shipped)
--   promised_month  the month it counts in for OTD
--   on_time         delivered no later than promised_date + otd_tolerance_days and, when
--                   otd_early_days is set, no earlier than promised_date - otd_early_days;
--                   an undelivered line is never on time

with settings as (

    -- day counts as INTEGER so they add to a DATE
    select
        otd_tolerance_days::integer as otd_tolerance_days,
        otd_early_days::integer as otd_early_days
    from kpi_settings

),

final as (

    select
        deliveries.*,
        month_of(deliveries.ship_date) as ship_month,
        month_of(deliveries.promised_date) as promised_month,
        coalesce(
            deliveries.delivered_date
                <= deliveries.promised_date + settings.otd_tolerance_days
            and (
                settings.otd_early_days is null
                or deliveries.delivered_date
                    >= deliveries.promised_date - settings.otd_early_days
            ),
            false
        ) as on_time
    from deliveries
    cross join settings

)

select * from final
