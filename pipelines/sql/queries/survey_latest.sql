-- The newest survey date up to the end of $month (NULL when no survey was taken by then).
SELECT max(survey_date) AS survey_date
FROM surveys
WHERE survey_date < CAST($month AS DATE) + INTERVAL 1 MONTH
