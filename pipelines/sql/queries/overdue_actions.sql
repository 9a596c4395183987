-- One row per 8D step overdue at the end of $month's month: due by then and not done by then,
-- its action opened by then; the most overdue first.
with month_end as (
    select last_day($month::date) as d
)

select
    steps.action_id,
    steps.step,
    steps.customer,
    actions.owner,
    actions.complaint_id,
    steps.due_date,
    date_diff('day', steps.due_date, month_end.d) as days_overdue
from action_steps as steps
cross join month_end
inner join actions using (action_id)
where actions.opened_date <= month_end.d
    and steps.due_date < month_end.d
    and (steps.done_date is null or steps.done_date > month_end.d)
order by days_overdue desc, steps.action_id, steps.step
