-- One row per reason: premium freight shipped in $month.
select
    coalesce(nullif(trim(reason), ''), '') as reason,
    count(*) as shipments,
    sum(amount)::double as amount
from freight
where premium
    and ship_date >= cast($month as date)
    and ship_date < cast($month as date) + interval 1 month
group by 1
order by amount desc, reason
