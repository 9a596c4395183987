-- One row per file ingested, newest first.
SELECT
    batch_id, source, file_name, file_sha256, rows_read, rows_loaded, rows_quarantined,
    rows_skipped, rows_warned, status, message, finished_at
FROM ingest_batches
ORDER BY finished_at DESC, file_name
