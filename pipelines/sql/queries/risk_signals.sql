-- One row per risk whose linked causes drew complaints in $month's month, with its rating
-- and those complaints (risk_signals_monthly), the most complaints first.
select
    signals.risk_id,
    register.description,
    register.computed_level,
    register.level,
    string_agg(signals.cause_code, '|' order by signals.cause_code) as cause_codes,
    sum(signals.complaints)::bigint as complaints,
    sum(signals.defect_qty)::bigint as defect_qty
from risk_signals_monthly as signals
inner join risk_register as register using (risk_id)
where signals.month = $month::date
group by all
order by complaints desc, signals.risk_id
