-- One row per environmental complaint (not rejected) in the quarter that contains $month.
SELECT complaint_id, received_date, customer, region, description
FROM complaints
WHERE environmental
    AND status <> 'rejected'
    AND received_date >= date_trunc('quarter', CAST($month AS DATE))
    AND received_date < date_trunc('quarter', CAST($month AS DATE)) + INTERVAL 3 MONTH
ORDER BY received_date, complaint_id
