"""The warehouse as it stood at the end of a day (SPEC §9), on a read-only connection.

A pack for month m shows the state at the end of m, the same when it is re-run after later
months were loaded. Rather than filtering every query afterwards, each clean table is
shadowed, for this connection only, by a temporary view of the same name giving the rows
known at that day (`pipelines/sql/as_of/<source>.sql`: rows dated by then, later event dates
such as a closure or a delivery not yet happened). DuckDB resolves a name in the temporary
schema first, inside every view too, so the staging views, the KPI views, the control limits
and every query of the pack read that state without being rewritten; the stored tables are
never touched.

Views, not copies: a temporary table of the 10 M delivery lines cost each page seconds and
gigabytes, for rows most queries filter by month anyway.
"""

from __future__ import annotations

import re
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
        con.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS {as_of_query(con, name, day)}")


def as_of_query(con: duckdb.DuckDBPyConnection, name: str, day: date) -> str:
    """`as_of/<name>.sql` with its two parameters written in: a view keeps no parameters.

    `$stored` is the stored table (`stored_table`, quoted by it) and `$as_of` the day as a
    date literal, both made here from values that are not user text.
    """
    text = sql(f"as_of/{name}").replace("query_table($stored)", stored_table(con, name))
    text = re.sub(r"\$as_of\b", f"DATE '{day.isoformat()}'", text)
    if "$" in text:
        raise ValueError(f"as_of/{name}.sql holds a parameter other than $stored and $as_of")
    return text
