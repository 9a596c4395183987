-- The ten newest non-empty comments of the half-year from $half_start up to the end of $month.
SELECT survey_date, customer, score, comments
FROM surveys
WHERE survey_date >= CAST($half_start AS DATE)
    AND survey_date < CAST($month AS DATE) + INTERVAL 1 MONTH
    AND nullif(trim(comments), '') IS NOT NULL
ORDER BY survey_date DESC, response_id
LIMIT 10
