-- One row per cause: complaints received from $start to the end of $month (not rejected).
select
    category,
    cause_code,
    any_value(cause_name_zh) as cause_name_zh,
    any_value(cause_name_en) as cause_name_en,
    cast(sum(complaints) as bigint) as complaints,
    cast(sum(defect_qty) as bigint) as defect_qty
from complaint_causes_monthly
where month between cast($start as date) and cast($month as date)
group by category, cause_code
order by complaints desc, cause_code
