-- One row per source: files loaded and rejected, rows in, the last load.
select
    coalesce(source, '(unknown)') as source,
    count(*) filter (where status = 'loaded') as batches_loaded,
    count(*) filter (where status = 'rejected') as files_rejected,
    coalesce(sum(rows_loaded), 0) as rows_loaded,
    coalesce(sum(rows_quarantined), 0) as rows_quarantined,
    max(finished_at) filter (where status = 'loaded') as last_loaded_at
from ingest_batches
group by all
order by source
