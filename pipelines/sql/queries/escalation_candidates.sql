-- Escalation candidates among the complaints received in the month of $month (the seed's
-- escalation map: key, difficult and batch problems). Only counted complaints (not rejected)
-- count. Thresholds are the settings of kpi_settings. Grain: one row per candidate complaint
-- and rule that flags it:
--   batch       defect_qty >= batch_qty
--   repeat      >= repeat_count complaints with the same cause and part received within the
--               repeat_window_days days up to and including this one's received date
--   recurrence  the same cause on the same part within recurrence_days days after an earlier
--               complaint was closed
-- Repeat and recurrence need a known cause and part (not pending, unmapped or empty).
-- Each row carries the facts behind its rule as columns, for any language to explain them:
--   defect_qty            the complaint's defect quantity (every rule)
--   related_count         repeat: complaints with this cause and part within the window
--   window_start/_end     repeat: first and last received date of those complaints
--   earlier_complaint_id  recurrence: the most recently closed earlier complaint
--   earlier_closed_date   recurrence: the day it was closed
--   gap_days              recurrence: days from that closing to this complaint's receipt
--   batch_qty             batch: the threshold it reached
-- (the pack words them in its language).

with settings as (

    select
        batch_qty::bigint as batch_qty,
        repeat_count::bigint as repeat_count,
        repeat_window_days::integer as repeat_window_days,
        recurrence_days::integer as recurrence_days
    from kpi_settings

),

valid as (

    select * from stg_complaints
    where counted

),

in_month as (

    select * from valid
    where received_month = date_trunc('month', $month::date)::date

),

traceable as (

    select * from in_month
    where cause not in ('pending', 'unmapped') and nullif(trim(part_no), '') is not null

),

batch as (

    select
        complaint_id,
        'batch' as rule,
        null::bigint as related_count,
        null::date as window_start,
        null::date as window_end,
        null::varchar as earlier_complaint_id,
        null::date as earlier_closed_date,
        null::integer as gap_days
    from in_month
    cross join settings
    where defect_qty >= settings.batch_qty

),

repeat as (

    select
        traceable.complaint_id,
        'repeat' as rule,
        count(*) as related_count,
        min(earlier.received_date) as window_start,
        traceable.received_date as window_end,
        null::varchar as earlier_complaint_id,
        null::date as earlier_closed_date,
        null::integer as gap_days
    from traceable
    cross join settings
    inner join valid as earlier
        on earlier.cause = traceable.cause
        and earlier.part_no = traceable.part_no
        and earlier.received_date
            between traceable.received_date - settings.repeat_window_days
            and traceable.received_date
    group by traceable.complaint_id, traceable.received_date, settings.repeat_count
    having count(*) >= settings.repeat_count

),

recurrence as (

    select
        traceable.complaint_id,
        'recurrence' as rule,
        null::bigint as related_count,
        null::date as window_start,
        null::date as window_end,
        -- the most recently closed earlier complaint; of two closed the same day, the later id
        first(earlier.complaint_id order by earlier.closed_date desc, earlier.complaint_id desc)
            as earlier_complaint_id,
        max(earlier.closed_date) as earlier_closed_date,
        (traceable.received_date - max(earlier.closed_date))::integer as gap_days
    from traceable
    cross join settings
    inner join valid as earlier
        on earlier.cause = traceable.cause
        and earlier.part_no = traceable.part_no
        and earlier.complaint_id <> traceable.complaint_id
        and earlier.status = 'closed'
        and earlier.closed_date <= traceable.received_date
        and traceable.received_date - earlier.closed_date <= settings.recurrence_days
    group by traceable.complaint_id, traceable.received_date

),

flags as (

    select * from batch
    union all
    select * from repeat
    union all
    select * from recurrence

),

final as (

    select
        in_month.complaint_id,
        in_month.received_date,
        in_month.customer,
        in_month.part_no,
        in_month.cause as cause_code,
        in_month.phase,
        flags.rule,
        in_month.defect_qty,
        flags.related_count,
        flags.window_start,
        flags.window_end,
        flags.earlier_complaint_id,
        flags.earlier_closed_date,
        flags.gap_days,
        settings.batch_qty
    from flags
    inner join in_month using (complaint_id)
    cross join settings

)

select * from final
order by received_date, complaint_id, list_position(['batch', 'repeat', 'recurrence'], rule)
