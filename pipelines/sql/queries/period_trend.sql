-- One row per period (quarter or half-year) of one KPI that starts between $start and $month.
SELECT period_kind, period_start, period_end, numerator, denominator, value, target, met
FROM kpi_scorecard
WHERE kpi = $kpi
    AND period_start BETWEEN CAST($start AS DATE) AND CAST($month AS DATE)
ORDER BY period_start
