-- The ten newest non-empty comments up to the end of $month.
SELECT survey_date, customer, score, comments
FROM surveys
WHERE survey_date < CAST($month AS DATE) + INTERVAL 1 MONTH
    AND nullif(trim(comments), '') IS NOT NULL
ORDER BY survey_date DESC, response_id
LIMIT 10
