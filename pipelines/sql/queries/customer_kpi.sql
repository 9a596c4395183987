-- One row per customer: one KPI in $month.
SELECT customer, numerator, denominator, value
FROM kpi_by_customer_monthly
WHERE kpi = $kpi AND month = CAST($month AS DATE)
