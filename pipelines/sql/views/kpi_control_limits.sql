-- Grain: one row per charted KPI (the registry's control_chart: ppm, otd, response_on_time)
-- and month of kpi_scorecard. Each month's limits come from its baseline: the months among the
-- 12 calendar months before it whose denominator is > 0. A laney_u KPI (PPM) is a Laney U'
-- chart, laney_p (OTD) a Laney P' chart, p_chart (response on-time) a plain p-chart. Rates are
-- computed per unit (defects per part, share of lines/complaints) and shown in the KPI's unit
-- (times the registry's scale: 1,000,000 for PPM, 100 for percentages).

with monthly as (

    select
        kpi_scorecard.kpi,
        kpi_scorecard.period_start as month,
        kpi_scorecard.numerator,
        kpi_scorecard.denominator,
        kpi_scorecard.value,
        kpi_definitions.scale,
        kpi_definitions.sort_order,
        kpi_definitions.control_chart = 'laney_u' as is_u_chart,
        kpi_definitions.control_chart in ('laney_u', 'laney_p') as is_laney
    from kpi_scorecard
    inner join kpi_definitions using (kpi)
    where kpi_scorecard.period_kind = 'month' and kpi_definitions.control_chart is not null

),

baseline as (

    -- one row per month m and each of its baseline months j
    select
        m.kpi,
        m.month,
        m.is_u_chart,
        j.month as baseline_month,
        j.numerator,
        j.denominator
    from monthly as m
    inner join monthly as j
        on j.kpi = m.kpi
        and j.month >= m.month - interval 12 month
        and j.month < m.month
        and j.denominator > 0

),

centers as (

    select
        kpi,
        month,
        count(*)::integer as baseline_months,
        sum(numerator) as baseline_numerator,
        sum(denominator) as baseline_denominator,
        sum(numerator) / sum(denominator) as center_rate
    from baseline
    group by all

),

sigmas as (

    -- sigma_j from the baseline month's own denominator: sqrt(u/n) or sqrt(p(1-p)/n)
    select
        baseline.*,
        centers.center_rate,
        case
            when baseline.is_u_chart then sqrt(centers.center_rate / baseline.denominator)
            else sqrt(centers.center_rate * (1 - centers.center_rate) / baseline.denominator)
        end as sigma_j
    from baseline
    inner join centers using (kpi, month)

),

z_scores as (

    select
        *,
        -- sigma_j = 0 only when u = 0 or p in {0, 1}: then the limits collapse to the center
        case when sigma_j > 0 then (numerator / denominator - center_rate) / sigma_j end as z
    from sigmas

),

moving_ranges as (

    -- neighbours in the baseline list, a skipped month between them notwithstanding
    select
        kpi,
        month,
        abs(z - lag(z) over (partition by kpi, month order by baseline_month)) as moving_range
    from z_scores

),

laney_factors as (

    select kpi, month, avg(moving_range) / 1.128 as sigma_z
    from moving_ranges
    group by all

),

half_widths as (

    select
        monthly.*,
        centers.baseline_months,
        centers.center_rate,
        centers.baseline_numerator * monthly.scale / centers.baseline_denominator as center,
        case
            when monthly.denominator = 0 then null
            when centers.center_rate = 0 then 0
            when not monthly.is_u_chart and centers.center_rate >= 1 then 0
            when monthly.is_u_chart
                then 3 * sqrt(centers.center_rate / monthly.denominator)
            else 3 * sqrt(centers.center_rate * (1 - centers.center_rate) / monthly.denominator)
        end
        * case when monthly.is_laney then coalesce(laney_factors.sigma_z, 0) else 1 end
            as half_width_rate
    from monthly
    left join centers using (kpi, month)
    left join laney_factors using (kpi, month)

),

limits as (

    -- greatest/least skip NULLs, so a NULL half width must stay NULL explicitly
    select
        *,
        case
            when half_width_rate is not null then greatest(center - half_width_rate * scale, 0)
        end as lcl_raw,
        case
            when half_width_rate is null then null
            when is_u_chart then center + half_width_rate * scale
            else least(center + half_width_rate * scale, 100)
        end as ucl_raw
    from half_widths

),

final as (

    select
        kpi,
        month,
        value,
        case when baseline_months >= 6 then center end as center,
        case when baseline_months >= 6 then lcl_raw end as lcl,
        case when baseline_months >= 6 then ucl_raw end as ucl,
        coalesce(baseline_months, 0) as baseline_months,
        case when baseline_months >= 6 then value < lcl_raw or value > ucl_raw end as signal,
        sort_order
    from limits

)

select * exclude (sort_order) from final
order by sort_order, month
