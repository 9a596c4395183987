-- Staging: one row per complaint, with the rules several relations share decided once.
--   received_month        the month the complaint is filed under
--   counted               the complaint counts: its status is not rejected (an invalid claim)
--   supplier_responsible  its cause is ours; a cause missing from the taxonomy is not proven
--                         to be someone else's (SPEC §3)
--   counts_in_ppm         counted and supplier responsible: its defects are in PPM
--   due_date              the response due date: the file's, else received_date + sla_days
--   responded_on_time     answered by the due date; an unanswered complaint is late

with settings as (

    -- day counts as INTEGER so they add to a DATE
    select sla_days::integer as sla_days from kpi_settings

),

flagged as (

    select
        complaints.*,
        month_of(complaints.received_date) as received_month,
        complaints.status is distinct from 'rejected' as counted,
        coalesce(causes.supplier_responsible, true) as supplier_responsible,
        coalesce(complaints.response_due, complaints.received_date + settings.sla_days)
            as due_date
    from complaints
    cross join settings
    left join causes on causes.code = complaints.cause

),

final as (

    select
        *,
        counted and supplier_responsible as counts_in_ppm,
        coalesce(responded_date <= due_date, false) as responded_on_time
    from flagged

)

select * from final
