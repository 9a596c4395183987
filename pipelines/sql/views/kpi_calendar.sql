-- Grain: one row per calendar month, from the first to the last month with data in any source.
-- Each month carries the quarter and half-year it belongs to, so the scorecard can list every
-- period that covers the data (a quarter or half may run past the last month with data).

with source_dates as (

    select received_date as day from complaints
    union all
    -- a delivery line is filed under its ship date (its promised date only places it in OTD)
    select ship_date from deliveries
    union all
    select ship_date from freight
    union all
    select survey_date from surveys
    union all
    select check_date from property_checks

),

bounds as (

    select
        date_trunc('month', min(day))::date as first_month,
        date_trunc('month', max(day))::date as last_month
    from source_dates

),

months as (

    select unnest(generate_series(first_month, last_month, interval 1 month))::date as month
    from bounds

),

final as (

    select
        month,
        last_day(month) as month_end,
        date_trunc('quarter', month)::date as quarter_start,
        last_day(date_trunc('quarter', month)::date + interval 2 month) as quarter_end,
        make_date(year(month), if(month(month) <= 6, 1, 7), 1) as half_start,
        last_day(make_date(year(month), if(month(month) <= 6, 6, 12), 1)) as half_end
    from months

)

select * from final
order by month
