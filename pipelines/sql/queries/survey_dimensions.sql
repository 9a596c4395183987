-- One row per dimension and rating (1-4, 4 best): answers in the half-year from $half_start
-- up to the end of $month.
WITH answers AS (
    UNPIVOT (
        SELECT response_id, response_speed, resolution, expertise, attitude, clarity,
            follow_up, improvement
        FROM surveys
        WHERE survey_date >= CAST($half_start AS DATE)
            AND survey_date < CAST($month AS DATE) + INTERVAL 1 MONTH
    )
    ON response_speed, resolution, expertise, attitude, clarity, follow_up, improvement
    INTO NAME dimension VALUE rating
)

SELECT dimension, CAST(rating AS INTEGER) AS rating, count(*) AS answers
FROM answers
WHERE rating IS NOT NULL
GROUP BY ALL
ORDER BY dimension, rating
