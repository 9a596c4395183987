-- One row per 8D step (d3, d4, d6, d8): the steps due in the month of $month, how many were
-- done by their due date, and that share in %.
select
    step,
    count(*) as due,
    count(*) filter (where on_time) as on_time,
    100.0 * count(*) filter (where on_time) / count(*) as rate
from action_steps
where date_trunc('month', due_date) = date_trunc('month', $month::date)
group by step
order by step
