-- One row per corrective action open at the end of $month's month (opened by then, not closed
-- by then): its customer (its own, else its complaint's), owner, the linked complaint's cause,
-- and its next step due (the earliest step not done by then) with that step's due date.
with month_end as (
    select last_day($month::date) as d
),

pending as (
    select
        steps.action_id,
        arg_min(steps.step, steps.due_date) as next_step,
        min(steps.due_date) as next_due
    from action_steps as steps
    cross join month_end
    where steps.done_date is null or steps.done_date > month_end.d
    group by steps.action_id
)

select
    actions.action_id,
    coalesce(nullif(trim(actions.customer), ''), complaints.customer) as customer,
    actions.owner,
    complaints.cause,
    pending.next_step,
    pending.next_due
from actions
cross join month_end
inner join pending using (action_id)
left join complaints using (complaint_id)
where actions.opened_date <= month_end.d
    and (actions.closed_date is null or actions.closed_date > month_end.d)
order by pending.next_due, actions.action_id
