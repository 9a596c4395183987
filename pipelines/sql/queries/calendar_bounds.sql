-- The months the data covers, as the KPI views see them (kpi_calendar), and the last of them
-- that has ended before $today: the default month of a pack.
SELECT
    min(month) AS first_month,
    max(month) AS last_month,
    max(month) FILTER (WHERE month_end < CAST($today AS DATE)) AS last_complete_month
FROM kpi_calendar
