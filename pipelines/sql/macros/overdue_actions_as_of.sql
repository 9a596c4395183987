-- The 8D steps overdue at the end of day `as_of`: due by then (action_steps.due_date) and
-- not done by then (never, or later); a step due that very day and not done is late, as
-- action_steps.on_time says, with 0 days overdue. A step done late before `as_of` is no
-- longer overdue (it is in the on-time KPIs). Grain: one row per action and step.
overdue_actions_as_of(as_of) as table
    select
        steps.action_id,
        steps.step,
        steps.customer,
        actions.owner,
        actions.department,
        actions.complaint_id,
        actions.opened_date,
        steps.due_date,
        date_diff('day', steps.due_date, as_of::date) as days_overdue
    from action_steps as steps
    inner join actions using (action_id)
    where steps.due_date <= as_of::date
        and (steps.done_date is null or steps.done_date > as_of::date)
