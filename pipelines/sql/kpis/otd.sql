-- On-time delivery (SPEC §4): delivery lines on time over the lines promised in the month
-- (stg_deliveries decides on time; an undelivered line is late).
-- Grain: one row per promised month, customer and driver: the part and how late its lines
-- were ('P-100|late_1_3'), so the action list says which parts made a customer miss and by
-- how much (the lateness codes are labelled in [lateness] of the label files).

select
    promised_month as month,
    customer,
    coalesce(part_no, '') || '|' || case
        when on_time then 'on_time'
        when delivered_date is null then 'undelivered'
        when delivered_date < promised_date then 'early'
        when delivered_date - promised_date <= 3 then 'late_1_3'
        when delivered_date - promised_date <= 7 then 'late_4_7'
        else 'late_8_plus'
    end as driver,
    count(*) filter (where on_time) as numerator,
    count(*) as denominator
from stg_deliveries
group by all
