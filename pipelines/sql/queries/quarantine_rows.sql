-- Quarantined rows with the file they came from, by file and row: the gate's English
-- reasons and their facts (`findings`, absent from a warehouse not written since it was
-- added: hence `q.*`).
SELECT
    b.file_name,
    q.* EXCLUDE (batch_id) REPLACE (CAST(q.record AS VARCHAR) AS record)
FROM quarantine AS q
LEFT JOIN ingest_batches AS b USING (batch_id)
ORDER BY b.finished_at DESC, b.file_name, q.row_number
