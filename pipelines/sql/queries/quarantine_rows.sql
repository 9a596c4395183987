-- Quarantined rows with the file they came from, by file and row: the gate's English
-- reasons and their facts (`findings`, absent from a warehouse not written since it was
-- added: hence `q.*`).
select
    b.file_name,
    q.* exclude (batch_id) replace (cast(q.record as varchar) as record)
from quarantine as q
left join ingest_batches as b using (batch_id)
order by b.finished_at desc, b.file_name, q.row_number
