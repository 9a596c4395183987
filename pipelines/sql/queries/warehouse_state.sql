-- What identifies the warehouse's content for a reader: every batch it recorded (loaded,
-- rejected or replaced) and the last refresh of its reference tables and views. Two readers
-- seeing the same row read the same data.
select
    count(*) as batches,
    max(batch_id) as last_batch,
    max(finished_at) as last_finished,
    (select max(fingerprint) from reference_state) as reference
from ingest_batches
