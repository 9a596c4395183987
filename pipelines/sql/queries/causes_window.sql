-- One row per cause: complaints received from $start to the end of $month (not rejected).
SELECT
    category,
    cause_code,
    any_value(cause_name_zh) AS cause_name_zh,
    any_value(cause_name_en) AS cause_name_en,
    CAST(sum(complaints) AS BIGINT) AS complaints,
    CAST(sum(defect_qty) AS BIGINT) AS defect_qty
FROM complaint_causes_monthly
WHERE month BETWEEN CAST($start AS DATE) AND CAST($month AS DATE)
GROUP BY category, cause_code
ORDER BY complaints DESC, cause_code
