-- When the newest file behind the warehouse finished loading.
SELECT max(finished_at) AS data_as_of
FROM ingest_batches
WHERE status = 'loaded'
