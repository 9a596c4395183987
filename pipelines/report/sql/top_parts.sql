-- One row per part: complaints counted in PPM (not rejected, supplier responsible) in $month.
SELECT
    coalesce(c.part_no, '') AS part_no,
    count(*) AS complaints,
    CAST(sum(c.defect_qty) AS BIGINT) AS defect_qty
FROM complaints AS c
INNER JOIN causes AS k ON k.code = c.cause
WHERE c.received_date >= CAST($month AS DATE)
    AND c.received_date < CAST($month AS DATE) + INTERVAL 1 MONTH
    AND c.status <> 'rejected'
    AND k.supplier_responsible
GROUP BY 1
ORDER BY defect_qty DESC, part_no
LIMIT 10
