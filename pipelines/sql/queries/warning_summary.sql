-- One row per file, check and column: how many findings, with one example message and the
-- whole warning row it came from (`example`: its facts columns, where the warehouse has them).
select
    b.file_name,
    w.source,
    w.check_name,
    coalesce(w.column_name, '') as column_name,
    count(*) as findings,
    min(w.message) as message,
    first(w order by w.message, w.row_number) as example
from ingest_warnings as w
left join ingest_batches as b using (batch_id)
group by all
order by findings desc, file_name, check_name
