-- Quarantined rows still waiting for a fix: no later batch has loaded their key (or, for
-- a row without a key, no later batch has loaded the same file name).
with loaded_keys as (
    select source, natural_key, batch_id from source_rows
),

batches as (
    select batch_id, file_name, started_at from ingest_batches where status = 'loaded'
),

held as (
    select q.*, b.file_name, b.started_at
    from quarantine as q
    inner join batches as b using (batch_id)
),

open_rows as (
    select held.*
    from held
    where not exists (
        select 1
        from loaded_keys as k
        inner join batches as later on k.batch_id = later.batch_id
        where k.source = held.source
            and k.natural_key = held.natural_key
            and later.started_at > held.started_at
    )
    and not (
        held.natural_key is null
        and exists (
            select 1
            from ingest_batches as later
            where later.status = 'loaded'
                and later.source = held.source
                and later.file_name = held.file_name
                and later.started_at > held.started_at
        )
    )
)

select source, batch_id, file_name, row_number, natural_key, reasons
from open_rows
order by source, started_at, row_number
