-- One row per complaint with a corrective action opened by the end of $month's month.
select distinct complaint_id
from actions
where complaint_id is not null and opened_date <= last_day($month::date)
