-- One row per customer: one KPI in $month.
select customer, numerator, denominator, value
from kpi_by_customer_monthly
where kpi = $kpi and month = cast($month as date)
