-- One row per plant of the group warehouse: the publish it was built from.
select plant, any_value(publish_id) as publish_id, any_value(published_at) as published_at,
    cast(sum(rows) as bigint) as rows
from group_publishes
group by plant
order by plant
