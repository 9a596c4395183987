-- What drives each KPI in the scorecard period that contains $month, for the action list.
-- $first and $last bound those periods (action_periods.sql): the same rows as the join with
-- them, as constants the scan of the delivery lines can skip on (without them it reads and
-- labels every delivery line of the warehouse).
-- Grain: one row per KPI, customer, driver (label: the registry's driver, a cause code,
-- freight reason or property item; NULL where the KPI has none) and phase (complaint KPIs),
-- with the amount that customer and label add to the KPI's shortfall, in numerator units.
-- Only positive amounts are kept. From the KPI's own rows (kpi_facts), by its direction:
--   max  (a value that must stay low) the numerator itself: defects, premium freight,
--        environmental complaints
--   min  (a value that must stay high) what the rows miss of a full score:
--        denominator x 100 / scale - numerator: late lines, late responses, items not
--        intact, points below the 10-point maximum

with periods as (

    select kpi, period_start, period_end
    from kpi_scorecard
    where $month::date between period_start and period_end

),

contributions as (

    select
        kpi_facts.kpi,
        kpi_facts.customer,
        kpi_facts.driver as label,
        kpi_facts.phase,
        case
            when kpi_definitions.direction = 'max' then kpi_facts.numerator::double
            when kpi_definitions.value_kind = 'ratio'
                then kpi_facts.denominator::double * 100 / kpi_definitions.scale
                    - kpi_facts.numerator::double
        end as amount
    from kpi_facts
    inner join periods
        on periods.kpi = kpi_facts.kpi
        and kpi_facts.month between periods.period_start and periods.period_end
    inner join kpi_definitions on kpi_definitions.kpi = kpi_facts.kpi
    where kpi_facts.month between $first::date and $last::date

)

select kpi, customer, label, phase, sum(amount) as amount
from contributions
group by all
having sum(amount) > 0
