-- One row per risk of the register: where it sits in the severity x likelihood matrix.
select risk_id, kind, severity, likelihood, score, computed_level, level
from risk_register
order by risk_id
