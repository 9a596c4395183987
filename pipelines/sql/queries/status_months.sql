-- One row per source with data: the months its rows cover, by the date that places a row
-- in a KPI period (source_rows.row_date).
select
    source,
    strftime(min(row_date), '%Y-%m') as first_month,
    strftime(max(row_date), '%Y-%m') as last_month,
    count(distinct date_trunc('month', row_date)) as months_with_data,
    count(*) as rows
from source_rows
group by source
order by source
