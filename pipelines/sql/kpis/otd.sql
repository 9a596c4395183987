-- On-time delivery (SPEC §4): delivery lines on time over the lines promised in the month
-- (stg_deliveries decides on time; an undelivered line is late).
-- Grain: one row per delivery line (every KPI view sums the rows), with its driver: the part
-- and how late the line was ('P-100|late_1_3'), so the action list says which parts made a
-- customer miss and by how much (the lateness codes are labelled in [lateness] of the label
-- files). Lines, not their groups: a view summing by month and customer never computes the
-- driver, where grouping by it first cost three times the sum on 10 M lines.

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
    case when on_time then 1 else 0 end as numerator,
    1 as denominator
from stg_deliveries
