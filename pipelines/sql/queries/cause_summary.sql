-- The seed's monthly complaint-cause summary (售后问题汇总分析表) for the month $month.
-- Grain: one row per cause of the taxonomy, in the taxonomy's order, then one total row
-- (cause_code '__total__', no names: the pack labels it). Counts are the complaints received
-- in the month that are counted (status not rejected); notes list the
-- month's cases as "城市: 描述" (region: description), one per line, oldest first.

with params as (

    select
        date_trunc('month', $month::date)::date as this_month,
        date_trunc('month', $month::date - interval 1 month)::date as last_month

),

counted as (

    select
        complaint_id,
        received_date,
        cause,
        received_month as month,
        case
            when nullif(trim(region), '') is null then nullif(trim(description), '')
            when nullif(trim(description), '') is null then trim(region)
            else trim(region) || ': ' || trim(description)
        end as note
    from stg_complaints
    where counted

),

this_month as (

    select
        counted.cause,
        count(*) as complaints,
        string_agg(counted.note, chr(10) order by counted.received_date, counted.complaint_id)
            as notes
    from counted
    inner join params on counted.month = params.this_month
    group by counted.cause

),

last_month as (

    select counted.cause, count(*) as complaints
    from counted
    inner join params on counted.month = params.last_month
    group by counted.cause

),

per_cause as (

    select
        row_number() over (order by causes.sort_order, causes.code) as item_no,
        causes.category,
        causes.code as cause_code,
        causes.name_zh as cause_name_zh,
        causes.name_en as cause_name_en,
        coalesce(this_month.complaints, 0) as this_month,
        coalesce(last_month.complaints, 0) as last_month,
        coalesce(this_month.notes, '') as notes,
        causes.sort_order
    from causes
    left join this_month on this_month.cause = causes.code
    left join last_month on last_month.cause = causes.code

),

total as (

    select
        null::bigint as item_no,
        null::varchar as category,
        '__total__' as cause_code,
        null::varchar as cause_name_zh,
        null::varchar as cause_name_en,
        coalesce(sum(this_month), 0) as this_month,
        coalesce(sum(last_month), 0) as last_month,
        '' as notes,
        null::integer as sort_order
    from per_cause

),

final as (

    select *, 0 as is_total from per_cause
    union all
    select *, 1 as is_total from total

)

select
    item_no,
    category,
    cause_code,
    cause_name_zh,
    cause_name_en,
    this_month::bigint as this_month,
    last_month::bigint as last_month,
    notes
from final
order by is_total, item_no
