-- The latest date of any kind in any source: the end of the data the pack can speak about.
SELECT max(d) AS last_date
FROM (
    SELECT max(received_date) AS d FROM complaints
    UNION ALL SELECT max(ship_date) FROM deliveries
    UNION ALL SELECT max(promised_date) FROM deliveries
    UNION ALL SELECT max(ship_date) FROM freight
    UNION ALL SELECT max(survey_date) FROM surveys
    UNION ALL SELECT max(check_date) FROM property_checks
)
