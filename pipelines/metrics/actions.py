"""The action list for missed targets (IATF 16949 9.3.3.1): what missed, by how much, who drives
it and who owns the action."""

from __future__ import annotations

from datetime import date

import duckdb
import polars as pl

from pipelines import kpis
from pipelines.metrics.owners import owner_of_phase
from pipelines.sql import sql

TOP_N = 3
COLUMNS = ("kpi", "scope", "value", "target", "top_customers", "top_causes", "owner")

def action_list(con: duckdb.DuckDBPyConnection, month: date) -> pl.DataFrame:
    """One line per missed KPI of the periods containing `month` (scope 'all') and per customer
    missing its own target that month (the registry's customer_actions KPIs: PPM, OTD), with
    the top customers and causes and the owner: the owner of the phase contributing most for
    complaint KPIs, else the KPI's owner in the registry.

    Targets and thresholds reach the SQL through the warehouse's reference tables.
    """
    start = month.replace(day=1)
    missed = con.sql(sql("missed_kpis"), params={"month": start}).pl()
    contributions = con.sql(sql("action_contributors"), params={"month": start}).pl()
    scoped = _scope_contributions(contributions, missed)
    keys = ["kpi", "scope"]
    actions = (
        missed.join(_top(scoped, "customer", keys, "top_customers"), on=keys, how="left")
        .join(_top(scoped, "label", keys, "top_causes"), on=keys, how="left")
        .join(_owners(scoped, keys), on=keys, how="left")
        .with_columns(
            pl.col("owner").fill_null(pl.col("kpi").replace_strict(_kpi_owners(), default=None))
        )
    )
    order = {code: k.order for code, k in kpis.registry().items()}
    return (
        actions.with_columns(
            _kpi_order=pl.col("kpi").replace_strict(order, default=len(order)),
            _is_customer=pl.col("scope") != "all",
        )
        .sort(["_kpi_order", "_is_customer", "scope"])
        .select(COLUMNS)
    )


def _kpi_owners() -> dict[str, str]:
    return {code: k.owner for code, k in kpis.registry().items()}


def _scope_contributions(contributions: pl.DataFrame, missed: pl.DataFrame) -> pl.DataFrame:
    """Contributions of each missed line: all customers for scope 'all', else that customer."""
    company = contributions.with_columns(scope=pl.lit("all"))
    per_customer = contributions.with_columns(scope=pl.col("customer"))
    both = pl.concat([company, per_customer])
    return both.join(missed.select("kpi", "scope"), on=["kpi", "scope"], how="semi")


def _top(scoped: pl.DataFrame, by: str, keys: list[str], name: str) -> pl.DataFrame:
    """'A (12), B (3)': the TOP_N largest amounts per key, ties by name."""
    amount = pl.col("amount")
    amount_text = (
        pl.when(amount == amount.round(0))
        .then(amount.cast(pl.Int64).cast(pl.String))
        .otherwise(amount.round(2).cast(pl.String))
    )
    return (
        scoped.drop_nulls(by)
        .group_by([*keys, by])
        .agg(amount.sum())
        .sort([*keys, "amount", by], descending=[False, False, True, False])
        .group_by(keys, maintain_order=True)
        .agg(pl.format("{} ({})", pl.col(by), amount_text).head(TOP_N).str.join(", ").alias(name))
    )


def _owners(scoped: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    """The owner of the phase contributing most (complaint KPIs); ties by phase code."""
    return (
        scoped.drop_nulls("phase")
        .group_by([*keys, "phase"])
        .agg(pl.col("amount").sum())
        .sort([*keys, "amount", "phase"], descending=[False, False, True, False])
        .group_by(keys, maintain_order=True)
        .agg(pl.col("phase").first())
        .with_columns(owner=owner_of_phase(pl.col("phase")))
        .drop("phase")
    )
