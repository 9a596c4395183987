-- The quarantined rows of one file ($batch_id), by row, at most $rows of them: the gate's
-- English reasons and their facts (`findings`, absent from an older warehouse: hence `q.*`).
select q.* exclude (batch_id) replace (cast(q.record as varchar) as record)
from quarantine as q
where q.batch_id = $batch_id
order by q.row_number
limit $rows
