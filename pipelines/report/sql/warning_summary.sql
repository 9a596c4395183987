-- One row per file, check and column: how many findings, with one example message.
SELECT
    b.file_name,
    w.source,
    w.check_name,
    coalesce(w.column_name, '') AS column_name,
    count(*) AS findings,
    min(w.message) AS message
FROM ingest_warnings AS w
LEFT JOIN ingest_batches AS b USING (batch_id)
GROUP BY ALL
ORDER BY findings DESC, file_name, check_name
