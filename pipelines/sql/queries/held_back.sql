-- What the quality gate holds back from $month: quarantined rows dated in the month, plus
-- rows with no readable date from the files behind the month (files with a row, loaded or
-- held back, dated in it); warnings of those files.
with bounds as (
    select cast($month as date) as first_day, cast($month as date) + interval 1 month as next_month
),

month_batches as (
    select batch_id from source_rows, bounds
    where row_date >= first_day and row_date < next_month
    union select batch_id from quarantine, bounds
    where row_date >= first_day and row_date < next_month
)

select
    (
        select count(*) from quarantine, bounds
        where (row_date >= first_day and row_date < next_month)
            or (row_date is null and batch_id in (select batch_id from month_batches))
    ) as held_back,
    (select count(*) from ingest_warnings where batch_id in (select batch_id from month_batches))
        as warnings
