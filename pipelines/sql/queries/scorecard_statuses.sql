-- One row per customer and KPI whose portal gives a status in $month's month, as written
-- (green/yellow/red, CS1, CS2...), with both values.
select customer, kpi, status, customer_value, our_value, agrees
from scorecard_reconciliation
where month = $month::date and nullif(trim(status), '') is not null
order by customer, kpi
