"""Relations generated from the single owners of names, like the tables' DDL.

`source_rows` lists every clean row of every source with its key and date, from
`pipelines.sources`; `kpi_facts` stacks every KPI's formula file, from the registry
`pipelines/kpis.toml`. Adding a source or a KPI then changes no SQL file but its own.
"""

from __future__ import annotations

from pipelines import kpis
from pipelines.sources import SOURCES
from pipelines.sql import SQL_DIR, names, sql

# The columns every KPI formula file may return (numerator and denominator it must), with the
# type they are stacked as: amounts and counts summed exactly, whatever each file's own type.
FACT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("kpi", "varchar"),
    ("month", "date"),
    ("customer", "varchar"),
    ("driver", "varchar"),
    ("phase", "varchar"),
    ("numerator", "decimal(38, 6)"),
    ("denominator", "decimal(38, 6)"),
)


def source_rows_sql() -> str:
    """One row per clean row of every source: its source, natural key, date and batch."""
    header = (
        "-- Generated from pipelines/sources.py. Grain: one row per clean row of every source,\n"
        "-- with its natural key (a composite key's parts joined by ' | ', as in quarantine),\n"
        "-- the date it is filed under (row_date; NULL for a source without one) and its batch.\n"
    )
    parts = [
        f"select '{s.name}' as source, {s.natural_key_sql()} as natural_key, "
        f"{s.date_column or 'null::date'} as row_date, batch_id from {s.name}"
        for s in SOURCES.values()
    ]
    return header + "\nunion all\n".join(parts)


def check_kpi_files() -> None:
    """Every KPI of the registry has its formula file, and every formula file its KPI."""
    registered, files = set(kpis.codes()), set(names("kpis"))
    if registered != files:
        raise RuntimeError(
            f"KPIs without a formula file under {SQL_DIR / 'kpis'}: "
            f"{', '.join(sorted(registered - files)) or 'none'}; formula files without a KPI "
            f"in {kpis.REGISTRY_FILE}: {', '.join(sorted(files - registered)) or 'none'}."
        )


def kpi_facts_sql() -> str:
    """Every KPI's formula rows stacked, with the KPI's code: the one input of the KPI views."""
    check_kpi_files()
    header = (
        "-- Generated from pipelines/kpis.toml and pipelines/sql/kpis/*.sql. Grain: one row per\n"
        "-- KPI and row of its formula file (month, customer and, where the KPI has them,\n"
        "-- driver and phase), numerator and denominator summed exactly.\n"
    )
    ctes = ",\n\n".join(f"kpi_{code} as (\n\n{sql(f'kpis/{code}')}\n\n)" for code in kpis.codes())
    # an empty first branch fixes the columns and their types; `by name` fills the columns a
    # formula does not return (driver, phase) with NULL
    typed = ", ".join(f"null::{sql_type} as {name}" for name, sql_type in FACT_COLUMNS)
    branches = [f"select {typed} where false"] + [
        f"select '{code}' as kpi, * replace (numerator::decimal(38, 6) as numerator, "
        f"denominator::decimal(38, 6) as denominator) from kpi_{code}"
        for code in kpis.codes()
    ]
    columns = ", ".join(name for name, _ in FACT_COLUMNS)
    stacked = "\nunion all by name\n".join(branches)
    body = f"stacked as (\n\n{stacked}\n\n)\n\nselect {columns}\nfrom stacked"
    return f"{header}with {ctes},\n\n{body}"


def copq_components_sql() -> str:
    """The components of the cost of poor quality in their order: claims, premium freight,
    then every category of the quality cost ledger (pipelines.sources)."""
    categories = SOURCES["quality_costs"].column("category").choices
    components = ["claims", "premium_freight", *categories]
    rows = ", ".join(f"('{name}', {i})" for i, name in enumerate(components, 1))
    return (
        "-- Generated from pipelines/sources.py (quality_costs.category). Grain: one row per\n"
        "-- component of copq_monthly, with its order.\n"
        f"select * from (values {rows}) as components(component, sort_order)"
    )
