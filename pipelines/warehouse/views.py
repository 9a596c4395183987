"""Apply the SQL tree to the warehouse: macros first, then every view in dependency order.

The files hold bare SELECTs (macro files `name(params) as expression`); this module decides
that each becomes a view or a macro, and in which order (a view must be created after the
relations it reads). Two views are generated (`pipelines.warehouse.generated`).
"""

from __future__ import annotations

from collections.abc import Callable

import duckdb

from pipelines.sql import names, sql
from pipelines.warehouse.generated import copq_components_sql, kpi_facts_sql, source_rows_sql

GENERATED: dict[str, Callable[[], str]] = {
    "source_rows": source_rows_sql,
    "kpi_facts": kpi_facts_sql,
    "copq_components": copq_components_sql,
}

# Dependency order: each view reads only base tables, reference tables and views above it.
VIEW_ORDER: tuple[str, ...] = (
    "source_rows",
    "stg_complaints",
    "stg_deliveries",
    "action_steps",
    "kpi_calendar",
    "kpi_facts",
    "kpi_customer_months",
    "kpi_by_customer_monthly",
    "kpi_scorecard",
    "kpi_control_limits",
    "complaint_causes_monthly",
    "copq_components",
    "copq_monthly",
    "risk_register",
    "risk_signals_monthly",
    "scorecard_reconciliation",
)


# Table macros read views, so each is created right after the view it reads; scalar macros
# (a KPI's value, whether it is met) come first.
TABLE_MACROS_AFTER: dict[str, tuple[str, ...]] = {
    "stg_complaints": ("open_complaints_as_of",),
    "action_steps": ("step_on_time", "overdue_actions_as_of"),
}


def _scalar_macros() -> list[str]:
    table = {name for names_ in TABLE_MACROS_AFTER.values() for name in names_}
    return [name for name in names("macros") if name not in table]


def view_sql(name: str) -> str:
    """The SELECT of one view, as written in its file or generated."""
    return GENERATED[name]() if name in GENERATED else sql(name)


def all_view_sql() -> str:
    """Every macro and view definition, in the order they are applied."""
    parts = [sql(f"macros/{name}") for name in _scalar_macros()]
    for name in VIEW_ORDER:
        parts.append(view_sql(name))
        parts += [sql(f"macros/{macro}") for macro in TABLE_MACROS_AFTER.get(name, ())]
    return "\n".join(parts)


def apply_views(con: duckdb.DuckDBPyConnection) -> None:
    """Create or replace every macro and view, in dependency order."""
    for name in _scalar_macros():
        con.execute(f"create or replace macro {sql(f'macros/{name}')}")
    for name in VIEW_ORDER:
        con.execute(f"create or replace view {name} as\n{view_sql(name)}")
        for macro in TABLE_MACROS_AFTER.get(name, ()):
            con.execute(f"create or replace macro {sql(f'macros/{macro}')}")
