-- Grain: one row per risk or opportunity of the register (SPEC §8), with its score (severity x
-- likelihood) and computed_level, the product's one consistent rating from the settings
-- risk_low_max / risk_medium_max / risk_high_max; the file's own `level` is kept verbatim.

with settings as (

    select risk_low_max, risk_medium_max, risk_high_max from kpi_settings

),

scored as (

    select
        risks.* exclude (batch_id, source_row),
        risks.severity * risks.likelihood as score
    from risks

),

final as (

    select
        scored.*,
        case
            when scored.score <= settings.risk_low_max then 'low'
            when scored.score <= settings.risk_medium_max then 'medium'
            when scored.score <= settings.risk_high_max then 'high'
            else 'critical'
        end as computed_level
    from scored
    cross join settings

)

select * from final
order by risk_id
