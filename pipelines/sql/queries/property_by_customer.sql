-- One row per customer: property checks in the quarter that contains $month.
select
    customer,
    cast(sum(qty_checked) as bigint) as qty_checked,
    cast(sum(qty_intact) as bigint) as qty_intact,
    100.0 * sum(qty_intact) / nullif(sum(qty_checked), 0) as value
from property_checks
where check_date >= date_trunc('quarter', cast($month as date))
    and check_date < date_trunc('quarter', cast($month as date)) + interval 3 month
group by customer
order by value, customer
