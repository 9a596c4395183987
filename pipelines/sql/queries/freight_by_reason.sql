-- One row per reason: premium freight shipped in $month.
SELECT
    coalesce(nullif(trim(reason), ''), '') AS reason,
    count(*) AS shipments,
    sum(amount)::DOUBLE AS amount
FROM freight
WHERE premium
    AND ship_date >= CAST($month AS DATE)
    AND ship_date < CAST($month AS DATE) + INTERVAL 1 MONTH
GROUP BY 1
ORDER BY amount DESC, reason
