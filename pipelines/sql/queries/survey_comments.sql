-- The ten newest non-empty comments of the half-year from $half_start up to the end of $month.
select survey_date, customer, score, comments
from surveys
where survey_date >= cast($half_start as date)
    and survey_date < cast($month as date) + interval 1 month
    and nullif(trim(comments), '') is not null
order by survey_date desc, response_id
limit 10
