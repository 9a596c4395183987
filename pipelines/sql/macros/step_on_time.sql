-- The rows of an 8D step's on-time KPI (SPEC §8): the steps `which` (d3, d8) done by their
-- due date over the steps due, per month of the due date (action_steps; never done is
-- late), customer and the action's owner (the driver: the action list names the late
-- actions' owners). Grain: one row per month, customer and owner.
step_on_time(which) as table
    select
        month_of(steps.due_date) as month,
        steps.customer,
        actions.owner as driver,
        count(*) filter (where steps.on_time) as numerator,
        count(*) as denominator
    from action_steps as steps
    inner join actions using (action_id)
    where steps.step = which
    group by all
