-- One row per file ingested, newest first.
select
    batch_id, source, file_name, file_sha256, rows_read, rows_loaded, rows_quarantined,
    rows_skipped, rows_warned, status, message, finished_at
from ingest_batches
order by finished_at desc, file_name
