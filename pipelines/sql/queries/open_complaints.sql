-- One row per complaint still open at the end of $month (received by then, not rejected,
-- not closed by then), oldest first; `overdue` = no response by month end and due by then.
WITH month_end AS (
    SELECT CAST(CAST($month AS DATE) + INTERVAL 1 MONTH - INTERVAL 1 DAY AS DATE) AS d
)

SELECT
    c.complaint_id,
    c.received_date,
    c.customer,
    c.region,
    c.part_no,
    c.phase,
    c.cause,
    k.name_zh AS cause_name_zh,
    k.name_en AS cause_name_en,
    c.response_due,
    c.responded_date,
    date_diff('day', c.received_date, e.d) AS days_open,
    (c.responded_date IS NULL OR c.responded_date > e.d) AND c.response_due <= e.d AS overdue
FROM complaints AS c
CROSS JOIN month_end AS e
LEFT JOIN causes AS k ON k.code = c.cause
WHERE c.received_date <= e.d
    AND c.status <> 'rejected'
    AND (
        (c.closed_date IS NULL AND c.status = 'open')
        OR c.closed_date > e.d
    )
ORDER BY c.received_date, c.complaint_id
