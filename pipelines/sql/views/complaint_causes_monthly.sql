-- Grain: one row per month and cause with at least one complaint received in the month
-- (status not rejected). Pending and unmapped causes fall in category 'unassigned'.

with counted as (

    select received_month as month, cause, defect_qty
    from stg_complaints
    where counted

),

by_cause as (

    select month, cause, count(*) as complaints, sum(defect_qty)::bigint as defect_qty
    from counted
    group by all

),

final as (

    select
        by_cause.month,
        case
            when by_cause.cause in ('pending', 'unmapped') or causes.code is null
                then 'unassigned'
            else causes.category
        end as category,
        by_cause.cause as cause_code,
        causes.name_zh as cause_name_zh,
        causes.name_en as cause_name_en,
        by_cause.complaints,
        by_cause.defect_qty
    from by_cause
    left join causes on causes.code = by_cause.cause

)

select * from final
order by month, complaints desc, cause_code
