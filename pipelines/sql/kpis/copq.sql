-- Cost of poor quality (SPEC §8): the month's claims (claim_amount of counted complaints),
-- premium freight and quality costs of every category, in CNY. Driver: the component.
-- Grain: one row per month, customer and component with an amount.

with claims as (

    select
        received_month as month,
        customer,
        'claims' as driver,
        coalesce(sum(claim_amount), 0) as numerator
    from stg_complaints
    where counted
    group by all

),

premium_freight as (

    select
        month_of(ship_date) as month,
        customer,
        'premium_freight' as driver,
        sum(amount) as numerator
    from freight
    where premium
    group by all

),

costs as (

    select
        month_of(cost_date) as month,
        customer,
        category as driver,
        sum(amount) as numerator
    from quality_costs
    group by all

)

select *, null as denominator from claims
union all by name
select *, null as denominator from premium_freight
union all by name
select *, null as denominator from costs
