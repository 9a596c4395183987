"""The month's KPI views and action list, computed once per pack and handed to the review
notebook's kernel.

The review page's heaviest work is the KPI views (`kpi_customer_months` sums every delivery
line as of the month's end) and the action list (its drivers read every delivery line of the
period): half of the review notebook's time on 10 M lines. `aftersales report` computes them
on its own page while the kernels start, into a small DuckDB file whose path the review
notebook receives (its `kpi_snapshot` parameter). The notebook waits for the file, checks it
was made for its month from the warehouse it reads, and loads it into the same temporary
tables a page computes for itself (`queries.freeze_kpi_views`, `Page.action_list`).

A notebook run without a snapshot (an analyst's run), or whose snapshot failed, timed out or
was made from a warehouse that changed in between, computes them itself: the numbers are the
same either way, only where they are computed changes.
"""

from __future__ import annotations

import os
import time
from datetime import date
from pathlib import Path

import duckdb
import polars as pl

from pipelines.report.pages import queries
from pipelines.warehouse.frames import frame

WAIT_SECONDS = 600.0  # the pack's own computation: seconds; the bound only guards a lost one
POLL_SECONDS = 0.02
SCHEMA = "kpi_snapshot"
ACTIONS = "action_list"
ORIGIN = "snapshot_of"


def warehouse_state(con: duckdb.DuckDBPyConnection) -> str:
    """The warehouse's content as one text (`queries/warehouse_state.sql`)."""
    return repr(queries.query(con, "warehouse_state").row(0))


def failed_marker(path: Path) -> Path:
    return path.with_name(path.name + ".failed")


def write_snapshot(
    con: duckdb.DuckDBPyConnection, month: date, actions: pl.DataFrame, path: Path
) -> None:
    """Write the KPI views frozen on `con` (`queries.freeze_kpi_views`) and the month's
    action list to `path`, which appears whole (written beside and renamed)."""
    writing = path.with_name(path.name + ".writing")
    queries.freeze_kpi_views(con)
    con.execute(f"ATTACH ? AS {SCHEMA} (READ_WRITE)", [str(writing)])
    try:
        for view in queries.KPI_VIEWS:
            con.execute(f"CREATE TABLE {SCHEMA}.main.{view} AS SELECT * FROM temp.main.{view}")
        con.register("_snapshot_actions", actions)
        con.execute(f"CREATE TABLE {SCHEMA}.main.{ACTIONS} AS SELECT * FROM _snapshot_actions")
        con.unregister("_snapshot_actions")
        con.execute(
            f"CREATE TABLE {SCHEMA}.main.{ORIGIN} AS SELECT ?::DATE AS month, ? AS state",
            [month, warehouse_state(con)])
    finally:
        con.execute(f"DETACH {SCHEMA}")
    os.replace(writing, path)


def mark_failed(path: Path, exc: BaseException) -> None:
    """Tell the waiting notebook there will be no snapshot: it computes the KPI views itself
    and, if they fail there too, says so in its own cell."""
    path.with_name(path.name + ".writing").unlink(missing_ok=True)
    failed_marker(path).write_text(f"{type(exc).__name__}: {exc}\n", encoding="utf-8")


def load_snapshot(
    con: duckdb.DuckDBPyConnection, month: date, path: Path,
    wait_seconds: float = WAIT_SECONDS,
) -> pl.DataFrame | None:
    """Wait for the snapshot at `path`, load its KPI views into `con`'s temporary tables and
    return its action list; None (nothing loaded) when it failed, did not come within
    `wait_seconds`, or is of another month or warehouse state."""
    deadline = time.monotonic() + wait_seconds
    while not path.is_file():
        if failed_marker(path).is_file() or time.monotonic() >= deadline:
            return None
        time.sleep(POLL_SECONDS)
    con.execute(f"ATTACH ? AS {SCHEMA} (READ_ONLY)", [str(path)])
    try:
        origin = con.execute(f"SELECT month, state FROM {SCHEMA}.main.{ORIGIN}").fetchall()
        if origin != [(month, warehouse_state(con))]:
            return None
        for view in queries.KPI_VIEWS:
            con.execute(f"CREATE TEMP TABLE {view} AS SELECT * FROM {SCHEMA}.main.{view}")
        return frame(con.sql(f"SELECT * FROM {SCHEMA}.main.{ACTIONS}"))
    finally:
        con.execute(f"DETACH {SCHEMA}")
