-- The warnings of one file ($batch_id), file-level findings first, then by row, at most
-- $rows of them (`w.*`: the facts columns where the warehouse has them).
select w.* exclude (batch_id)
from ingest_warnings as w
where w.batch_id = $batch_id
order by w.row_number nulls first, w.column_name, w.check_name
limit $rows
