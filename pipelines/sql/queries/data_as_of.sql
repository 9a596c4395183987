-- When the newest file behind the warehouse finished loading.
select max(finished_at) as data_as_of
from ingest_batches
where status = 'loaded'
