-- Escalation candidates among the complaints received from $month_start to $month_end
-- (the seed's escalation map: key, difficult and batch problems). Rejected complaints never
-- count. Grain: one row per candidate complaint and rule that flags it:
--   batch       defect_qty >= $batch_qty
--   repeat      >= $repeat_count complaints with the same cause and part received within the
--               $repeat_window_days days up to and including this one's received date
--   recurrence  the same cause on the same part within $recurrence_days days after an earlier
--               complaint was closed
-- Repeat and recurrence need a known cause and part (not pending, unmapped or empty).

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
        format('defect_qty {} >= batch_qty {}', defect_qty, $batch_qty::bigint) as detail
    from in_month
    where defect_qty >= $batch_qty::bigint

),

repeat as (

    select
        traceable.complaint_id,
        'repeat' as rule,
        format(
            '{} complaints with cause {} on part {} from {} to {}',
            count(*),
            traceable.cause,
            traceable.part_no,
            strftime(min(earlier.received_date), '%Y-%m-%d'),
            strftime(traceable.received_date, '%Y-%m-%d')
        ) as detail
    from traceable
    inner join valid as earlier
        on earlier.cause = traceable.cause
        and earlier.part_no = traceable.part_no
        and earlier.received_date
            between traceable.received_date - $repeat_window_days::integer
            and traceable.received_date
    group by traceable.complaint_id, traceable.cause, traceable.part_no, traceable.received_date
    having count(*) >= $repeat_count::bigint

),

recurrence as (

    select
        traceable.complaint_id,
        'recurrence' as rule,
        -- name the most recently closed earlier complaint
        format(
            'cause {} on part {} again {} days after {} was closed on {}',
            traceable.cause,
            traceable.part_no,
            traceable.received_date - max(earlier.closed_date),
            arg_max(earlier.complaint_id, earlier.closed_date),
            strftime(max(earlier.closed_date), '%Y-%m-%d')
        ) as detail
    from traceable
    inner join valid as earlier
        on earlier.cause = traceable.cause
        and earlier.part_no = traceable.part_no
        and earlier.complaint_id <> traceable.complaint_id
        and earlier.status = 'closed'
        and earlier.closed_date <= traceable.received_date
        and traceable.received_date - earlier.closed_date <= $recurrence_days::integer
    group by traceable.complaint_id, traceable.cause, traceable.part_no, traceable.received_date

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
        flags.detail
    from flags
    inner join in_month using (complaint_id)

)

select * from final
order by received_date, complaint_id, list_position(['batch', 'repeat', 'recurrence'], rule)
