-- One row per file in the ledger, in the order the files came in: what the pack's per-file
-- data-quality reports say of each (`b.*`: `gate`, the gate's verdict, is absent from a
-- warehouse not written since it was added).
select b.*
from ingest_batches as b
order by b.started_at, b.batch_id
