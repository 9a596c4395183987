-- Customer satisfaction (SPEC §4): the sum of scores over the number of responses; the
-- registry's scale of 10 makes it a % of the 10-point maximum.
-- Grain: one row per month and customer with survey responses.

select
    month_of(survey_date) as month,
    customer,
    sum(score) as numerator,
    count(score) as denominator
from surveys
group by all
