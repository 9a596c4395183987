-- Each plant's top $top causes of the complaints received in $month (not rejected), by
-- complaints then defect quantity.
select
    plant,
    cause_code,
    cast(sum(complaints) as bigint) as complaints,
    cast(sum(defect_qty) as bigint) as defect_qty
from complaint_causes_monthly_by_plant
where month = cast($month as date)
group by plant, cause_code
qualify row_number() over (
    partition by plant order by sum(complaints) desc, sum(defect_qty) desc, cause_code
) <= $top
order by plant, complaints desc, defect_qty desc, cause_code
