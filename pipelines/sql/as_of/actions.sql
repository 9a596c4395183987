-- Corrective actions (8D) as known at the end of the day $as_of (SPEC §9): opened by then; a
-- step completed later was still open, and an effectiveness check is known only once closed.
select
    * replace (
        if(containment_date > $as_of, null, containment_date) as containment_date,
        if(root_cause_date > $as_of, null, root_cause_date) as root_cause_date,
        if(corrective_action_date > $as_of, null, corrective_action_date)
            as corrective_action_date,
        if(closed_date > $as_of, null, closed_date) as closed_date,
        if(closed_date > $as_of, null, effective) as effective
    )
from query_table($stored)
where opened_date <= $as_of
