-- One row per risk rated low (computed_level) whose linked causes drew at least
-- risk_recheck_count complaints in the 3 months ending with $month's month (SPEC §8): its
-- likelihood no longer matches what happens.
with settings as (
    select risk_recheck_count from kpi_settings
),

recent as (
    select risk_id, sum(complaints)::bigint as complaints
    from risk_signals_monthly
    where month between $month::date - interval 2 month and $month::date
    group by risk_id
)

select register.risk_id, register.description, register.score, register.level,
    recent.complaints
from risk_register as register
inner join recent using (risk_id)
cross join settings
where register.computed_level = 'low' and recent.complaints >= settings.risk_recheck_count
order by recent.complaints desc, register.risk_id
