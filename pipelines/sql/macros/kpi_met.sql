-- Whether a KPI's value meets its target, by the registry's direction (kpi_definitions):
-- 'max' is met at or below the target, 'min' at or above it; NULL without both numbers.
kpi_met(direction, value, target) as
    case
        when value is null or target is null then null
        when direction = 'max' then value <= target
        else value >= target
    end
