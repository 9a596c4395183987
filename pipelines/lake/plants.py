"""The plant as one more dimension of the group warehouse, not a copy of the views.

Each plant gets a schema (`plant_<code>`) whose base relations are that plant's rows of the
group's tables and the reference tables its publish carried; the product's own view SQL is then
created inside it. DuckDB binds a view's unqualified names in the view's own schema first
(then `main`), so `plant_sh01.kpi_scorecard` reads SH01's rows with SH01's targets and
settings. `<view>_by_plant` stacks the plants' views with a `plant` column.
"""

from __future__ import annotations

import re

import duckdb
import pyarrow as pa

from pipelines.lake.tables import PLANT_COLUMN, REFERENCE_TABLES
from pipelines.warehouse.views import apply_views

# Views the group warehouse also offers per plant, stacked: the scorecard (SPEC §13) and the
# causes the group pack ranks per plant.
BY_PLANT_VIEWS: tuple[str, ...] = ("kpi_scorecard", "complaint_causes_monthly")


def schema_name(plant: str) -> str:
    """`plant_<code>`, lower case, every character other than a letter, digit or `_` as `_`."""
    return "plant_" + re.sub(r"[^a-z0-9_]", "_", plant.lower())


def _main_tables(con: duckdb.DuckDBPyConnection) -> dict[str, bool]:
    """Base tables of `main`, each with whether it has a plant column."""
    rows = con.execute(
        "select t.table_name, bool_or(c.column_name = ?) from duckdb_tables() as t "
        "join duckdb_columns() as c using (database_name, schema_name, table_name) "
        "where t.schema_name = 'main' group by all",
        [PLANT_COLUMN],
    ).fetchall()
    return {name: bool(has_plant) for name, has_plant in rows}


def create_plant_schema(
    con: duckdb.DuckDBPyConnection, plant: str, references: dict[str, pa.RecordBatchReader | None]
) -> str:
    """The plant's schema: its rows of every plant table, its own reference tables (the
    group's where its publish carried none), and every view of the product over them."""
    schema = schema_name(plant)
    con.execute(f"create schema {schema}")
    for table, has_plant in _main_tables(con).items():
        if has_plant:
            # a view's text cannot hold a parameter: the code was checked (letters, digits,
            # '_', '-') before it got here
            con.execute(
                f"create view {schema}.{table} as select * exclude ({PLANT_COLUMN}) "
                f"from main.{table} where {PLANT_COLUMN} = '{plant}'"
            )
    for table in REFERENCE_TABLES:
        reader = references.get(table)
        if reader is None:
            con.execute(f"create table {schema}.{table} as select * from main.{table}")
            continue
        con.register("_plant_reference", reader)
        try:
            con.execute(
                f"create table {schema}.{table} as select * exclude ({PLANT_COLUMN}) "
                "from _plant_reference"
            )
        finally:
            con.unregister("_plant_reference")
    con.execute(f"set schema = '{schema}'")
    try:
        apply_views(con)
    finally:
        con.execute("set schema = 'main'")
    return schema


def by_plant_sql(view: str, plants: list[str]) -> str:
    """`<view>_by_plant`: the plants' own `<view>` stacked, `plant` first."""
    parts = [f"select '{p}' as {PLANT_COLUMN}, * from {schema_name(p)}.{view}" for p in plants]
    return "\nunion all by name\n".join(parts)


def create_by_plant_views(con: duckdb.DuckDBPyConnection, plants: list[str]) -> None:
    for view in BY_PLANT_VIEWS:
        con.execute(f"create or replace view {view}_by_plant as\n{by_plant_sql(view, plants)}")
