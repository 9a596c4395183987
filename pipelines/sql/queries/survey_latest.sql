-- The newest survey date up to the end of $month (NULL when no survey was taken by then).
select max(survey_date) as survey_date
from surveys
where survey_date < cast($month as date) + interval 1 month
