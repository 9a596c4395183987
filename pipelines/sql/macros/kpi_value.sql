-- A KPI's value from its numerator and denominator, by the registry's value kind and scale
-- (kpi_definitions): a total is the numerator itself; a ratio is NULL where the denominator
-- is 0.
kpi_value(value_kind, scale, numerator, denominator) as
    case
        when value_kind = 'total' then numerator
        when denominator = 0 then null
        -- multiply first: exact when the true ratio is a representable number
        else numerator * scale / denominator
    end
