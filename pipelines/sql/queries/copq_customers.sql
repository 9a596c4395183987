-- One row per customer: the cost of poor quality of $month's month (claims, premium freight,
-- quality costs with a customer), largest first; rows without a customer are left out.
-- From the copq KPI's customer months, which the pack computes once for every KPI.
select customer, sum(numerator)::double as amount
from kpi_customer_months
where kpi = 'copq' and month = $month::date and customer is not null
group by customer
having sum(numerator) > 0
order by amount desc, customer
limit 10
