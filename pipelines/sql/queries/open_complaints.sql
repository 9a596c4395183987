-- One row per complaint still open at the end of $month (received by then, counted, not
-- closed by then), oldest first; `overdue` = no response by month end and due by then.
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
    date_diff('day', c.received_date, e.d) as days_open,
    (c.responded_date is null or c.responded_date > e.d) and c.due_date <= e.d as overdue
from stg_complaints as c
cross join month_end as e
left join causes as k on k.code = c.cause
where c.received_date <= e.d
    and c.counted
    and (
        (c.closed_date is null and c.status = 'open')
        or c.closed_date > e.d
    )
order by c.received_date, c.complaint_id
