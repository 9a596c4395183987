-- Escalation candidates among the complaints received from $month_start to $month_end
-- (the seed's escalation map: key, difficult and batch problems). Rejected complaints never
-- count. Grain: one row per candidate complaint and rule that flags it:
--   batch       defect_qty >= $batch_qty
--   repeat      >= $repeat_count complaints with the same cause and part received within the
--               $repeat_window_days days up to and including this one's received date
--   recurrence  the same cause on the same part within $recurrence_days days after an earlier
--               complaint was closed
-- Repeat and recurrence need a known cause and part (not pending, unmapped or empty).
-- Each row carries the facts behind its rule as columns, for any language to explain them:
--   defect_qty            the complaint's defect quantity (every rule)
--   related_count         repeat: complaints with this cause and part within the window
--   window_start/_end     repeat: first and last received date of those complaints
--   earlier_complaint_id  recurrence: the most recently closed earlier complaint
--   earlier_closed_date   recurrence: the day it was closed
--   gap_days              recurrence: days from that closing to this complaint's receipt
-- and `detail` states them in one English sentence, for readers of the SQL output.

with valid as (

    select * from complaints
    where status <> 'rejected'

),

in_month as (

    select * from valid
    where received_date between $month_start::date and $month_end::date

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
    where defect_qty >= $batch_qty::bigint

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
    inner join valid as earlier
        on earlier.cause = traceable.cause
        and earlier.part_no = traceable.part_no
        and earlier.received_date
            between traceable.received_date - $repeat_window_days::integer
            and traceable.received_date
    group by traceable.complaint_id, traceable.received_date
    having count(*) >= $repeat_count::bigint

),

recurrence as (

    select
        traceable.complaint_id,
        'recurrence' as rule,
        null::bigint as related_count,
        null::date as window_start,
        null::date as window_end,
        -- the most recently closed earlier complaint
        arg_max(earlier.complaint_id, earlier.closed_date) as earlier_complaint_id,
        max(earlier.closed_date) as earlier_closed_date,
        (traceable.received_date - max(earlier.closed_date))::integer as gap_days
    from traceable
    inner join valid as earlier
        on earlier.cause = traceable.cause
        and earlier.part_no = traceable.part_no
        and earlier.complaint_id <> traceable.complaint_id
        and earlier.status = 'closed'
        and earlier.closed_date <= traceable.received_date
        and traceable.received_date - earlier.closed_date <= $recurrence_days::integer
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
        case flags.rule
            when 'batch' then format(
                'defect_qty {} >= batch_qty {}', in_month.defect_qty, $batch_qty::bigint
            )
            when 'repeat' then format(
                '{} complaints with cause {} on part {} from {} to {}',
                flags.related_count, in_month.cause, in_month.part_no,
                strftime(flags.window_start, '%Y-%m-%d'), strftime(flags.window_end, '%Y-%m-%d')
            )
            when 'recurrence' then format(
                'cause {} on part {} again {} days after {} was closed on {}',
                in_month.cause, in_month.part_no, flags.gap_days, flags.earlier_complaint_id,
                strftime(flags.earlier_closed_date, '%Y-%m-%d')
            )
        end as detail,
        in_month.defect_qty,
        flags.related_count,
        flags.window_start,
        flags.window_end,
        flags.earlier_complaint_id,
        flags.earlier_closed_date,
        flags.gap_days
    from flags
    inner join in_month using (complaint_id)

)

select * from final
order by received_date, complaint_id, list_position(['batch', 'repeat', 'recurrence'], rule)
