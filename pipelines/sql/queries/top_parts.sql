-- One row per part: the complaints counted in PPM in $month (stg_complaints.counts_in_ppm).
select
    coalesce(part_no, '') as part_no,
    count(*) as complaints,
    sum(defect_qty)::bigint as defect_qty
from stg_complaints
where received_month = $month::date and counts_in_ppm
group by 1
order by defect_qty desc, part_no
limit 10
