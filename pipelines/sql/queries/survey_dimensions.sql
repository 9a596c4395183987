-- One row per dimension and rating (1-4, 4 best): answers in the half-year from $half_start
-- up to the end of $month.
with answers as (
    unpivot (
        select response_id, response_speed, resolution, expertise, attitude, clarity,
            follow_up, improvement
        from surveys
        where survey_date >= cast($half_start as date)
            and survey_date < cast($month as date) + interval 1 month
    )
    on response_speed, resolution, expertise, attitude, clarity, follow_up, improvement
    into name dimension value rating
)

select dimension, cast(rating as integer) as rating, count(*) as answers
from answers
where rating is not null
group by all
order by dimension, rating
