-- One row per KPI: the period that contains $month, the period before it, and the month's
-- control-chart signal where the KPI has one.
WITH current_period AS (
    SELECT *
    FROM kpi_scorecard
    WHERE CAST($month AS DATE) BETWEEN period_start AND period_end
),

previous_period AS (
    SELECT
        s.kpi,
        s.value AS previous_value,
        s.met AS previous_met
    FROM kpi_scorecard AS s
    INNER JOIN current_period AS c
        ON s.kpi = c.kpi
        AND s.period_kind = c.period_kind
        AND s.period_end = CAST(c.period_start - INTERVAL 1 DAY AS DATE)
),

month_signal AS (
    SELECT kpi, signal, lcl, ucl
    FROM kpi_control_limits
    WHERE month = CAST($month AS DATE)
)

SELECT
    c.kpi,
    c.period_kind,
    c.period_start,
    c.period_end,
    c.numerator,
    c.denominator,
    c.value,
    c.target,
    c.met,
    p.previous_value,
    p.previous_met,
    m.signal
FROM current_period AS c
LEFT JOIN previous_period AS p USING (kpi)
LEFT JOIN month_signal AS m USING (kpi)
