-- Complaint PPM (SPEC §4): defects of the complaints counted in PPM over the parts shipped.
-- Grain: one row per month, customer, cause and phase with complaints counted in PPM
-- (numerator), and one per month and customer with parts shipped (denominator).

with defects as (

    select
        received_month as month,
        customer,
        cause as driver,
        phase,
        sum(defect_qty) as numerator,
        0 as denominator
    from stg_complaints
    where counts_in_ppm
    group by all

),

shipped as (

    select ship_month as month, customer, 0 as numerator, sum(qty) as denominator
    from stg_deliveries
    group by all

)

select * from defects
union all by name
select * from shipped
