-- One row per 8D step overdue at the end of $month's month (macros/overdue_actions_as_of:
-- due by then and not done by then), the most overdue first.
select action_id, step, customer, owner, complaint_id, due_date, days_overdue
from overdue_actions_as_of(last_day($month::date))
order by days_overdue desc, action_id, step
