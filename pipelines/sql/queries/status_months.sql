-- One row per source with data: the months its rows cover, by the date that places a row
-- in a KPI period.
with dated as (
    select 'complaints' as source, received_date as day from complaints
    union all select 'deliveries', ship_date from deliveries
    union all select 'freight', ship_date from freight
    union all select 'surveys', survey_date from surveys
    union all select 'property_checks', check_date from property_checks
)

select
    source,
    strftime(min(day), '%Y-%m') as first_month,
    strftime(max(day), '%Y-%m') as last_month,
    count(distinct date_trunc('month', day)) as months_with_data,
    count(*) as rows
from dated
group by source
order by source
