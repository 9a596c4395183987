-- Complaints still waiting for their cause analysis, for the review's findings: counted
-- complaints of $month and of the 12 months ending with it whose cause is in the taxonomy's
-- 'unassigned' category (待分析, pending analysis), with the totals they are a share of.
with bounds as (
    select cast($month as date) as month, cast($month as date) - interval 11 month as start
),

complaints as (
    select
        stg.received_month,
        coalesce(causes.category = 'unassigned', false) as pending
    from stg_complaints as stg
    cross join bounds
    left join causes on causes.code = stg.cause
    where stg.counted and stg.received_month between bounds.start and bounds.month
)

select
    count(*) filter (where received_month = bounds.month and pending) as month_pending,
    count(*) filter (where received_month = bounds.month) as month_total,
    count(*) filter (where pending) as window_pending,
    count(*) as window_total
from complaints, bounds
