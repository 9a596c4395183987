-- Quarantined rows with the file they came from, by file and row.
SELECT
    b.file_name,
    q.source,
    q.row_number,
    q.natural_key,
    q.reasons,
    CAST(q.record AS VARCHAR) AS record
FROM quarantine AS q
LEFT JOIN ingest_batches AS b USING (batch_id)
ORDER BY b.finished_at DESC, b.file_name, q.row_number
