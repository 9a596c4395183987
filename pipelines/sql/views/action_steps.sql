-- Grain: one row per corrective action (8D) and step: d3 containment, d4 root cause, d6
-- permanent corrective action, d8 closure (SPEC §8).
--   customer   the action's own customer, else its linked complaint's
--   due_date   opened_date + the step's days (action_step_days: the customer's override,
--              else the setting d3_days / d4_days / d6_days / d8_days)
--   done_date  the step's date column; on_time: done by the due date (never done: late)

with located as (

    select
        actions.action_id,
        actions.opened_date,
        coalesce(nullif(trim(actions.customer), ''), complaints.customer) as customer,
        actions.containment_date,
        actions.root_cause_date,
        actions.corrective_action_date,
        actions.closed_date
    from actions
    left join complaints using (complaint_id)

),

steps as (

    select action_id, customer, opened_date, 'd3' as step, containment_date as done_date
    from located
    union all
    select action_id, customer, opened_date, 'd4', root_cause_date from located
    union all
    select action_id, customer, opened_date, 'd6', corrective_action_date from located
    union all
    select action_id, customer, opened_date, 'd8', closed_date from located

),

deadlines as (

    select
        steps.*,
        coalesce(overrides.days, defaults.days)::integer as days
    from steps
    inner join action_step_days as defaults
        on defaults.step = steps.step and defaults.customer is null
    left join action_step_days as overrides
        on overrides.step = steps.step and overrides.customer = steps.customer

),

final as (

    select
        action_id,
        customer,
        step,
        opened_date + days as due_date,
        done_date,
        coalesce(done_date <= opened_date + days, false) as on_time
    from deadlines

)

select * from final
order by action_id, step
