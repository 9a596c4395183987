-- One row per file, check and column: how many findings, with one example message and the
-- whole warning row it came from (`example`: its facts columns, where the warehouse has them).
SELECT
    b.file_name,
    w.source,
    w.check_name,
    coalesce(w.column_name, '') AS column_name,
    count(*) AS findings,
    min(w.message) AS message,
    first(w ORDER BY w.message, w.row_number) AS example
FROM ingest_warnings AS w
LEFT JOIN ingest_batches AS b USING (batch_id)
GROUP BY ALL
ORDER BY findings DESC, file_name, check_name
