"""The warehouse as it stood at the end of a day (SPEC §9), on a read-only connection.

A pack for month m shows the state at the end of m, the same when it is re-run after later
months were loaded. Rather than filtering every query afterwards, each clean table is
shadowed, for this connection only, by a temporary table of the same name holding the rows
known at that day (`pipelines/sql/as_of/<source>.sql`: rows dated by then, later event dates
such as a closure or a delivery not yet happened). DuckDB resolves a name in the temporary
schema first, inside every view too, so the staging views, the KPI views, the control limits
and every query of the pack read that state without being rewritten; the stored tables are
never touched.
"""

from __future__ import annotations

from datetime import date

import duckdb

from pipelines.sources import SOURCES
from pipelines.sql import sql


def stored_table(con: duckdb.DuckDBPyConnection, name: str) -> str:
    """The stored table's (or view's) catalog-qualified name, which a temporary table of the
    same name cannot shadow."""
    catalog = con.execute("SELECT current_database()").fetchall()[0][0].replace('"', '""')
    return f'"{catalog}".main.{name}'


def read_as_of(con: duckdb.DuckDBPyConnection, day: date) -> None:
    """Make every clean table of `con` read as it stood at the end of `day`.

    Call it before anything is computed on the connection: a KPI view frozen earlier
    (`pipelines.report.pages.queries.freeze_kpi_views`) would keep the whole warehouse.
    """
    for name in SOURCES:
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {name} AS {sql(f'as_of/{name}')}",
            {"stored": stored_table(con, name), "as_of": day},
        )
