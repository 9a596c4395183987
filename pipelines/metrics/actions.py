"""The action list, the review's action plan (IATF 16949 9.3.3.1): what missed its target or
disagrees with a customer's own scorecard, by how much, who drives it, who owns it, and which
open corrective actions already address it."""

from __future__ import annotations

from datetime import date

import duckdb
import polars as pl

from pipelines import kpis
from pipelines.metrics.owners import owner_of_phase
from pipelines.sql import sql
from pipelines.warehouse.frames import frame

TOP_N = 3
COLUMNS = (
    "kpi", "scope", "line", "value", "target", "top_customers", "top_causes", "owner",
    "open_actions",
)

def action_list(con: duckdb.DuckDBPyConnection, month: date) -> pl.DataFrame:
    """One line per missed KPI of the periods containing `month` (scope 'all'), per customer
    missing its own target that month (the registry's customer_actions KPIs: PPM, OTD) and per
    customer scorecard disagreeing with our number (line 'scorecard': value ours, target the
    customer's), with the top customers and causes, the owner (of the phase contributing most
    for complaint KPIs, else the KPI's owner in the registry) and `open_actions`: the
    corrective actions open at the month's end that address the line (its customer, or for a
    company line a contributing customer or cause), as a list of structs; empty: one is needed.

    Targets and thresholds reach the SQL through the warehouse's reference tables.
    """
    start = month.replace(day=1)
    lines = frame(con.sql(sql("missed_kpis"), params={"month": start}))
    first, last = con.sql(sql("action_periods"), params={"month": start}).fetchall()[0]
    contributions = frame(con.sql(sql("action_contributors"),
                                  params={"month": start, "first": first, "last": last}))
    keys = ["kpi", "scope"]
    pairs = lines.select(keys).unique()
    scoped = _scope_contributions(contributions, pairs)
    tops = (
        pairs.join(_top(scoped, "customer", keys, "top_customers"), on=keys, how="left")
        .join(_top(scoped, "label", keys, "top_causes"), on=keys, how="left")
        .join(_owners(scoped, keys), on=keys, how="left")
        .join(_addressed_by(pairs, scoped, _open_actions(con, start), keys), on=keys,
              how="left")
    )
    order = {code: k.order for code, k in kpis.registry().items()}
    return (
        lines.join(tops, on=keys, how="left")
        .with_columns(
            pl.col("owner").fill_null(pl.col("kpi").replace_strict(_kpi_owners(), default=None)),
            _kpi_order=pl.col("kpi").replace_strict(order, default=len(order)),
            _is_customer=pl.col("scope") != "all",
        )
        .sort(["_kpi_order", "_is_customer", "scope", "line"])
        .select(COLUMNS)
    )


def _open_actions(con: duckdb.DuckDBPyConnection, month: date) -> pl.DataFrame:
    return frame(con.sql(sql("open_actions"), params={"month": month}))


def _addressed_by(
    pairs: pl.DataFrame, scoped: pl.DataFrame, open_actions: pl.DataFrame, keys: list[str]
) -> pl.DataFrame:
    """Per line, the open actions addressing it, soonest due first: a customer line's own
    customer's; for a company line, those of a contributing customer or cause."""
    fields = ["action_id", "owner", "next_step", "next_due"]
    customer_lines = pairs.filter(pl.col("scope") != "all").join(
        open_actions, left_on="scope", right_on="customer")
    company = scoped.filter(pl.col("scope") == "all")
    by_customer = company.select(*keys, "customer").unique().join(open_actions, on="customer")
    by_cause = company.select(*keys, cause="label").unique().join(
        open_actions.drop_nulls("cause"), on="cause")
    matched = pl.concat([f.select(*keys, *fields) for f in (customer_lines, by_customer, by_cause)])
    return (
        matched.unique([*keys, "action_id"])
        .sort([*keys, "next_due", "action_id"])
        .group_by(keys, maintain_order=True)
        .agg(pl.struct(fields).alias("open_actions"))
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
