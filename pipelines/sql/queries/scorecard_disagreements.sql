-- One row per customer scorecard of $month's month that disagrees with our own number
-- (scorecard_reconciliation.agrees = false), the largest gap first.
select customer, kpi, customer_value, our_value, difference, status
from scorecard_reconciliation
where month = $month::date and agrees = false
order by abs(difference) desc, customer, kpi
