-- What the quality gate holds back from $month: quarantined rows dated in the month, plus
-- rows with no readable date from the files behind the month (files with a row, loaded or
-- held back, dated in it); warnings of those files.
WITH bounds AS (
    SELECT CAST($month AS DATE) AS first_day, CAST($month AS DATE) + INTERVAL 1 MONTH AS next_month
),

month_batches AS (
    SELECT batch_id FROM complaints, bounds
    WHERE received_date >= first_day AND received_date < next_month
    UNION SELECT batch_id FROM deliveries, bounds
    WHERE ship_date >= first_day AND ship_date < next_month
    UNION SELECT batch_id FROM freight, bounds
    WHERE ship_date >= first_day AND ship_date < next_month
    UNION SELECT batch_id FROM surveys, bounds
    WHERE survey_date >= first_day AND survey_date < next_month
    UNION SELECT batch_id FROM property_checks, bounds
    WHERE check_date >= first_day AND check_date < next_month
    UNION SELECT batch_id FROM quarantine, bounds
    WHERE row_date >= first_day AND row_date < next_month
)

SELECT
    (
        SELECT count(*) FROM quarantine, bounds
        WHERE (row_date >= first_day AND row_date < next_month)
            OR (row_date IS NULL AND batch_id IN (SELECT batch_id FROM month_batches))
    ) AS held_back,
    (SELECT count(*) FROM ingest_warnings WHERE batch_id IN (SELECT batch_id FROM month_batches))
        AS warnings
