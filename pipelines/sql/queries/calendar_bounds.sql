-- The months the data covers, as the KPI views see them (kpi_calendar), and the last of them
-- that has ended before $today: the default month of a pack.
select
    min(month) as first_month,
    max(month) as last_month,
    max(month) filter (where month_end < cast($today as date)) as last_complete_month
from kpi_calendar
