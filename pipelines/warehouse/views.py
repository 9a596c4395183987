"""Apply the views of the SQL tree: one relation per file, file name = relation name.

The files hold bare SELECTs; this module decides that each becomes a view and in which order
(a view must be created after the relations it reads).
"""

from __future__ import annotations

import duckdb

from pipelines.sql import sql

# Dependency order: each view reads only base tables, reference tables and views above it.
VIEW_ORDER: tuple[str, ...] = (
    "kpi_calendar",
    "kpi_by_customer_monthly",
    "kpi_scorecard",
    "kpi_control_limits",
    "complaint_causes_monthly",
)


def view_sql(name: str) -> str:
    """The SELECT of one relation, as written in its file."""
    return sql(name)


def apply_views(con: duckdb.DuckDBPyConnection) -> None:
    """Create or replace every view, in dependency order."""
    for name in VIEW_ORDER:
        con.execute(f"CREATE OR REPLACE VIEW {name} AS\n{view_sql(name)}")
