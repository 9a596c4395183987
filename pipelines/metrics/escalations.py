"""Escalation candidates: batch, repeated and recurring problems, with their owner by phase."""

from __future__ import annotations

from datetime import date

import duckdb
import polars as pl

from pipelines.metrics.owners import owner_of_phase
from pipelines.sql import sql
from pipelines.warehouse.frames import frame

COLUMNS = (
    "complaint_id",
    "received_date",
    "customer",
    "part_no",
    "cause_code",
    "phase",
    "owner",
    "rule",
    # the facts behind the rule (see the query's header); null where the rule has none
    "defect_qty",
    "related_count",
    "window_start",
    "window_end",
    "earlier_complaint_id",
    "earlier_closed_date",
    "gap_days",
    "batch_qty",
)


def escalation_candidates(con: duckdb.DuckDBPyConnection, month: date) -> pl.DataFrame:
    """Complaints received in `month` that call for the escalation mechanism, one row per rule,
    with the facts behind each rule as columns (the thresholds are the warehouse's
    `kpi_settings`, as for every view).

    Owner by phase: sample -> rd (研发), c_sample -> aqe (AQE), mass_production ->
    after_sales (运营售后).
    """
    found = frame(con.sql(sql("escalation_candidates"), params={"month": month}))
    return found.with_columns(owner=owner_of_phase(pl.col("phase"))).select(COLUMNS)
