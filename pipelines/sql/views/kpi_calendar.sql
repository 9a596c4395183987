-- Grain: one row per calendar month, from the first to the last month with data in any source
-- (each row filed under its source's date, source_rows: a delivery line under its ship date).
-- Each month carries the quarter and half-year it belongs to, so the scorecard can list every
-- period that covers the data (a quarter or half may run past the last month with data).

with bounds as (

    select
        date_trunc('month', min(row_date))::date as first_month,
        date_trunc('month', max(row_date))::date as last_month
    from source_rows

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
        make_date(year(month), case when month(month) <= 6 then 1 else 7 end, 1) as half_start,
        last_day(make_date(year(month), case when month(month) <= 6 then 6 else 12 end, 1))
            as half_end
    from months

)

select * from final
order by month
