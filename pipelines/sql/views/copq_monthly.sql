-- Grain: one row per month of kpi_calendar and component of the cost of poor quality (SPEC
-- §8): claims (claim_amount of counted complaints), premium_freight (premium freight shipped)
-- and each quality_costs category; amount 0 where the month has nothing. The amounts are the
-- copq KPI's own rows (kpi_facts, its formula pipelines/sql/kpis/copq.sql), so this view and
-- the scorecard's copq never differ.

with months as (

    select month from kpi_calendar

),

components as (

    select component, sort_order from copq_components

),

amounts as (

    select month, driver as component, sum(numerator)::double as amount
    from kpi_facts
    where kpi = 'copq'
    group by all

),

final as (

    select
        months.month,
        components.component,
        coalesce(amounts.amount, 0) as amount,
        components.sort_order
    from months
    cross join components
    left join amounts using (month, component)

)

select * exclude (sort_order) from final
order by month, sort_order
