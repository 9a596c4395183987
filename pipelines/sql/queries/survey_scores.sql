-- One row per score 1-10: responses in the half-year from $half_start up to the end of $month.
SELECT score, count(*) AS responses
FROM surveys
WHERE survey_date >= CAST($half_start AS DATE)
    AND survey_date < CAST($month AS DATE) + INTERVAL 1 MONTH
GROUP BY score
ORDER BY score
