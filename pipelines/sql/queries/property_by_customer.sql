-- One row per customer: property checks in the quarter that contains $month.
SELECT
    customer,
    CAST(sum(qty_checked) AS BIGINT) AS qty_checked,
    CAST(sum(qty_intact) AS BIGINT) AS qty_intact,
    100.0 * sum(qty_intact) / nullif(sum(qty_checked), 0) AS value
FROM property_checks
WHERE check_date >= date_trunc('quarter', CAST($month AS DATE))
    AND check_date < date_trunc('quarter', CAST($month AS DATE)) + INTERVAL 3 MONTH
GROUP BY customer
ORDER BY value, customer
