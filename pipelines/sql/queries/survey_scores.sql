-- One row per score 1-10: responses in the half-year from $half_start up to the end of $month.
select score, count(*) as responses
from surveys
where survey_date >= cast($half_start as date)
    and survey_date < cast($month as date) + interval 1 month
group by score
order by score
