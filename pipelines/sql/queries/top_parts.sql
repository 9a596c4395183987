-- One row per part: complaints counted in PPM in $month, by kpi_by_customer_monthly's rule:
-- not rejected, and supplier responsible (a cause missing from the taxonomy counts).
WITH complaints_with_cause AS (
    SELECT
        complaints.*,
        coalesce(causes.supplier_responsible, true) AS supplier_responsible
    FROM complaints
    LEFT JOIN causes ON causes.code = complaints.cause
)

SELECT
    coalesce(part_no, '') AS part_no,
    count(*) AS complaints,
    CAST(sum(defect_qty) AS BIGINT) AS defect_qty
FROM complaints_with_cause
WHERE received_date >= CAST($month AS DATE)
    AND received_date < CAST($month AS DATE) + INTERVAL 1 MONTH
    AND status <> 'rejected'
    AND supplier_responsible
GROUP BY 1
ORDER BY defect_qty DESC, part_no
LIMIT 10
