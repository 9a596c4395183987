"""Reference tables the SQL views join: the cause taxonomy, KPI targets and KPI settings.

They are rewritten from the user-editable files on every run, so a target or a setting changed in
`data/reference/settings.toml` reaches every view without any literal in SQL.
"""

from __future__ import annotations

import hashlib

import duckdb
import polars as pl

from pipelines.settings import Settings
from pipelines.warehouse.views import VIEW_ORDER, view_sql

# Settings the SQL views and queries read, as columns of the one-row `kpi_settings` table.
KPI_SETTING_FIELDS: tuple[str, ...] = (
    "sla_days",
    "otd_tolerance_days",
    "otd_early_days",
    "batch_qty",
    "repeat_count",
    "repeat_window_days",
    "recurrence_days",
    "pareto_other_share",
    "min_survey_responses",
)

_TARGET_SCHEMA = {
    "kpi": pl.String,
    "period_kind": pl.String,
    "target": pl.Float64,
    "direction": pl.String,
    "customer": pl.String,
}


def causes_frame(settings: Settings) -> pl.DataFrame:
    """The taxonomy as the `causes` table stores it."""
    return settings.causes().select(
        "code",
        "category",
        "name_zh",
        "name_en",
        "aliases",
        "supplier_responsible",
        "sort_order",
    )


def targets_frame(settings: Settings) -> pl.DataFrame:
    """One row per KPI default target (customer NULL) and per customer override."""
    defaults = [
        {
            "kpi": t.kpi,
            "period_kind": t.period,
            "target": t.target,
            "direction": t.direction,
            "customer": None,
        }
        for t in settings.targets.values()
    ]
    overrides = [
        {
            "kpi": kpi,
            "period_kind": settings.targets[kpi].period if kpi in settings.targets else None,
            "target": target,
            "direction": settings.targets[kpi].direction if kpi in settings.targets else None,
            "customer": customer,
        }
        for customer, kpis in settings.customer_targets.items()
        for kpi, target in kpis.items()
    ]
    return pl.DataFrame(defaults + overrides, schema=_TARGET_SCHEMA)


def kpi_settings_frame(settings: Settings) -> pl.DataFrame:
    """The one-row table of thresholds the views use (otd_early_days NULL = no early limit)."""
    return pl.DataFrame(
        {name: [getattr(settings, name)] for name in KPI_SETTING_FIELDS},
        schema={
            **{name: pl.Int32 for name in KPI_SETTING_FIELDS},
            "pareto_other_share": pl.Float64,
        },
    )


def write_reference_tables(con: duckdb.DuckDBPyConnection, settings: Settings) -> None:
    """Replace `causes`, `kpi_targets` and `kpi_settings` with the current reference files."""
    tables = {
        "causes": causes_frame(settings),
        "kpi_targets": targets_frame(settings),
        "kpi_settings": kpi_settings_frame(settings),
    }
    for name, frame in tables.items():
        staging = f"_reference_{name}"
        con.register(staging, frame.to_arrow())
        try:
            con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM {staging}")
        finally:
            con.unregister(staging)


def reference_fingerprint(settings: Settings) -> str:
    """A digest of everything a refresh writes: reference tables and view definitions.

    Stored in `reference_state` by each refresh, so a report can tell over a read-only
    connection whether the warehouse is current, and take the writer lock only when not.
    """
    digest = hashlib.sha256()
    for frame in (causes_frame(settings), targets_frame(settings), kpi_settings_frame(settings)):
        digest.update(frame.write_csv().encode("utf-8"))
    for name in VIEW_ORDER:
        digest.update(view_sql(name).encode("utf-8"))
    return digest.hexdigest()


def stored_fingerprint(con: duckdb.DuckDBPyConnection) -> str | None:
    """The fingerprint of the last refresh, or None when the warehouse has never had one."""
    try:
        rows = con.sql("select fingerprint from reference_state").fetchall()
    except duckdb.CatalogException:
        return None
    return rows[0][0] if rows else None


def store_fingerprint(con: duckdb.DuckDBPyConnection, fingerprint: str) -> None:
    con.execute(
        "create or replace table reference_state as select ?::varchar as fingerprint", [fingerprint]
    )
