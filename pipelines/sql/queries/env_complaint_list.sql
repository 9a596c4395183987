-- One row per environmental complaint (counted) in the quarter that contains $month.
select complaint_id, received_date, customer, region, description
from stg_complaints
where environmental
    and counted
    and received_date >= date_trunc('quarter', $month::date)
    and received_date < date_trunc('quarter', $month::date) + interval 3 month
order by received_date, complaint_id
