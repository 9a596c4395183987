"""Reference tables the SQL views join: the cause taxonomy, the KPI registry, KPI targets and
KPI settings.

They are rewritten from their files on every refresh, so a target or a setting changed in
`data/reference/settings.toml`, or a KPI added to `pipelines/kpis.toml`, reaches every view
without any literal in SQL.
"""

from __future__ import annotations

import hashlib

import duckdb
import polars as pl

from pipelines import kpis
from pipelines.settings import ACTION_STEPS, Settings
from pipelines.warehouse.views import all_view_sql

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
    "risk_low_max",
    "risk_medium_max",
    "risk_high_max",
    "risk_recheck_count",
    "reconcile_ppm_points",
    "reconcile_otd_points",
)
FLOAT_SETTINGS = ("pareto_other_share", "reconcile_ppm_points", "reconcile_otd_points")

_TARGET_SCHEMA = {"kpi": pl.String, "customer": pl.String, "target": pl.Float64}

# One column of `kpi_definitions` per field of the registry the SQL needs.
_DEFINITION_SCHEMA = {
    "kpi": pl.String,
    "sort_order": pl.Int32,
    "period_kind": pl.String,  # month | quarter | half
    "direction": pl.String,  # max | min
    "value_kind": pl.String,  # ratio | total
    "scale": pl.Float64,  # ratio KPIs: value = numerator * scale / denominator
    "empty_value": pl.String,  # total KPIs: zero | null in a period without rows
    "per_customer": pl.Boolean,
    "customer_actions": pl.Boolean,
    "control_chart": pl.String,  # laney_u | laney_p | p_chart, NULL for none
    "driver": pl.String,  # cause | reason | item, NULL for none
    "unit": pl.String,
    "digits": pl.Int32,
    "owner": pl.String,
}


def definitions_frame() -> pl.DataFrame:
    """The KPI registry as the `kpi_definitions` table stores it: one row per KPI."""
    rows = [
        {
            "kpi": k.code,
            "sort_order": k.order,
            "period_kind": k.period,
            "direction": k.direction,
            "value_kind": k.value,
            "scale": k.scale,
            "empty_value": k.empty,
            "per_customer": k.per_customer,
            "customer_actions": k.customer_actions,
            "control_chart": None if k.limits == "none" else k.limits,
            "driver": None if k.driver == "none" else k.driver,
            "unit": k.unit,
            "digits": k.digits,
            "owner": k.owner,
        }
        for k in kpis.registry().values()
    ]
    return pl.DataFrame(rows, schema=_DEFINITION_SCHEMA)


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
    """One row per KPI's target in force (customer NULL) and per customer override."""
    defaults = [
        {"kpi": t.kpi, "customer": None, "target": t.target} for t in settings.targets.values()
    ]
    overrides = [
        {"kpi": kpi, "customer": customer, "target": target}
        for customer, kpis_of_customer in settings.customer_targets.items()
        for kpi, target in kpis_of_customer.items()
    ]
    return pl.DataFrame(defaults + overrides, schema=_TARGET_SCHEMA)


def kpi_settings_frame(settings: Settings) -> pl.DataFrame:
    """The one-row table of thresholds the views use (otd_early_days NULL = no early limit)."""
    return pl.DataFrame(
        {name: [getattr(settings, name)] for name in KPI_SETTING_FIELDS},
        schema={
            **{name: pl.Int32 for name in KPI_SETTING_FIELDS},
            **{name: pl.Float64 for name in FLOAT_SETTINGS},
        },
    )


def action_days_frame(settings: Settings) -> pl.DataFrame:
    """One row per 8D step's deadline (customer NULL) and per customer override: `step`
    (d3, d4, d6, d8), `customer`, `days` after opened_date."""
    rows = [
        {"step": step, "customer": None, "days": getattr(settings, f"{step}_days")}
        for step in ACTION_STEPS
    ] + [
        {"step": step, "customer": customer, "days": days}
        for customer, steps in settings.customer_action_days.items()
        for step, days in steps.items()
    ]
    return pl.DataFrame(rows, schema={"step": pl.String, "customer": pl.String, "days": pl.Int32})


def write_reference_tables(con: duckdb.DuckDBPyConnection, settings: Settings) -> None:
    """Replace `causes`, `kpi_definitions`, `kpi_targets` and `kpi_settings` with the current
    reference files."""
    tables = {
        "causes": causes_frame(settings),
        "kpi_definitions": definitions_frame(),
        "kpi_targets": targets_frame(settings),
        "kpi_settings": kpi_settings_frame(settings),
        "action_step_days": action_days_frame(settings),
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
    frames = (causes_frame(settings), definitions_frame(), targets_frame(settings),
              kpi_settings_frame(settings), action_days_frame(settings))
    for frame in frames:
        digest.update(frame.write_csv().encode("utf-8"))
    digest.update(all_view_sql().encode("utf-8"))
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
