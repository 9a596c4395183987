-- One row per month from $start to $month and component of the cost of poor quality.
select month, component, amount
from copq_monthly
where month between $start::date and $month::date
order by month
