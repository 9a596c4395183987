-- Grain: one row per month, risk and linked cause with at least one counted complaint of that
-- cause received in the month (SPEC §8): what happens to the causes a risk names.

with links as (

    select distinct risk_id, unnest(cause_codes) as cause_code
    from risks

),

by_cause as (

    select
        received_month as month,
        cause as cause_code,
        count(*) as complaints,
        sum(defect_qty)::bigint as defect_qty
    from stg_complaints
    where counted
    group by all

)

select by_cause.month, links.risk_id, links.cause_code, by_cause.complaints, by_cause.defect_qty
from links
inner join by_cause using (cause_code)
order by month, risk_id, cause_code
