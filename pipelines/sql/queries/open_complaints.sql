-- One row per complaint still open at the end of $month (macros/open_complaints_as_of:
-- received by then, counted, not closed by then), oldest first; `overdue` = no response by
-- month end and due by then.
with month_end as (
    select last_day($month::date) as d
)

select
    c.complaint_id,
    c.received_date,
    c.customer,
    c.region,
    c.part_no,
    c.phase,
    c.cause,
    k.name_zh as cause_name_zh,
    k.name_en as cause_name_en,
    c.due_date as response_due,
    c.responded_date,
    c.days_open,
    (c.responded_date is null or c.responded_date > e.d) and c.due_date <= e.d as overdue
from month_end as e
cross join open_complaints_as_of(e.d) as c
left join causes as k on k.code = c.cause
order by c.received_date, c.complaint_id
