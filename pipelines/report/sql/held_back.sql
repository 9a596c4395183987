-- Quarantined rows of the files behind $month: files that loaded any row dated in the month.
WITH month_rows AS (
    SELECT batch_id FROM complaints
    WHERE received_date >= CAST($month AS DATE)
        AND received_date < CAST($month AS DATE) + INTERVAL 1 MONTH
    UNION SELECT batch_id FROM deliveries
    WHERE ship_date >= CAST($month AS DATE)
        AND ship_date < CAST($month AS DATE) + INTERVAL 1 MONTH
    UNION SELECT batch_id FROM freight
    WHERE ship_date >= CAST($month AS DATE)
        AND ship_date < CAST($month AS DATE) + INTERVAL 1 MONTH
    UNION SELECT batch_id FROM surveys
    WHERE survey_date >= CAST($month AS DATE)
        AND survey_date < CAST($month AS DATE) + INTERVAL 1 MONTH
    UNION SELECT batch_id FROM property_checks
    WHERE check_date >= CAST($month AS DATE)
        AND check_date < CAST($month AS DATE) + INTERVAL 1 MONTH
)

SELECT
    (SELECT count(*) FROM quarantine WHERE batch_id IN (SELECT batch_id FROM month_rows))
        AS held_back,
    (SELECT count(*) FROM ingest_warnings WHERE batch_id IN (SELECT batch_id FROM month_rows))
        AS warnings
