-- Grain: one row per KPI, month of kpi_calendar and customer with rows in kpi_facts: the KPI's
-- numerator and denominator summed over its drivers and phases. A row dated after the last
-- month with data in any source (a line promised later) is in no month yet. The per-customer
-- view and the scorecard both sum these, so the company's month is its customers' sum.

select kpi, month, customer, sum(numerator) as numerator, sum(denominator) as denominator
from kpi_facts
where month in (select month from kpi_calendar)
group by all
