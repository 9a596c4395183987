-- One row per month from $start to $month for one monthly KPI, with its control limits.
SELECT
    s.period_start AS month,
    s.numerator,
    s.denominator,
    s.value,
    s.target,
    s.met,
    l.center,
    l.lcl,
    l.ucl,
    l.signal
FROM kpi_scorecard AS s
LEFT JOIN kpi_control_limits AS l
    ON l.kpi = s.kpi AND l.month = s.period_start
WHERE s.kpi = $kpi
    AND s.period_kind = 'month'
    AND s.period_start BETWEEN CAST($start AS DATE) AND CAST($month AS DATE)
ORDER BY s.period_start
