"""What the group pack shows, read from the group warehouse (`pipelines.lake.group`) with the
plant pack's own queries where they fit (`pipelines.report.pages.queries`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import polars as pl

from pipelines import kpis
from pipelines.months import add_months, parse_month
from pipelines.report.pages.queries import check_month, default_month, query
from pipelines.warehouse.reading import open_retrying

TOP_CAUSES = 3
WAIT_SECONDS = 30.0  # while `group build` moves a new group warehouse into place


@dataclass(frozen=True)
class GroupFacts:
    month: date
    publishes: pl.DataFrame  # plant, publish_id, published_at, rows
    scorecard: pl.DataFrame  # the plant pack's scorecard rows, over all plants
    plants: pl.DataFrame  # plant, kpi, period_kind, period_start, value, target, met
    ranking: pl.DataFrame  # kpi, best, worst (plant codes; worst NULL with one plant)
    causes_month: pl.DataFrame  # category, cause_code, names, complaints, defect_qty
    causes_year: pl.DataFrame
    plant_causes: pl.DataFrame  # plant, cause_code, complaints, defect_qty
    cause_names: pl.DataFrame  # code, name_zh, name_en
    other_share: float


def rank_plants(plants: pl.DataFrame) -> pl.DataFrame:
    """Per KPI, the best and the worst plant by the KPI's direction (the registry's): lowest
    is best for a KPI that must stay at most its target (PPM), highest for one that must
    reach it (OTD). Plants without a value are not ranked; ties go to the first code, and
    when every plant has the same value none is the worst."""
    rows = []
    for kpi in kpis.codes():
        valued = plants.filter((pl.col("kpi") == kpi) & pl.col("value").is_not_null())
        if valued.is_empty():
            rows.append({"kpi": kpi, "best": None, "worst": None})
            continue
        low_is_good = kpis.kpi(kpi).direction == "max"
        order = valued.sort(["value", "plant"], descending=[not low_is_good, False])
        best = order["plant"][0]
        worst_first = valued.sort(["value", "plant"], descending=[low_is_good, False])
        spread = valued["value"].n_unique() > 1
        worst = worst_first["plant"][0] if spread else None
        rows.append({"kpi": kpi, "best": best, "worst": worst})
    return pl.DataFrame(rows, schema={"kpi": pl.String, "best": pl.String, "worst": pl.String})


def read_facts(con: duckdb.DuckDBPyConnection, month: date | None) -> GroupFacts:
    """Everything the group pack shows for `month` (default: the last complete month)."""
    month = check_month(con, month) if month else default_month(con)
    plants = query(con, "group_plants", month=month)
    share = con.sql("select pareto_other_share from kpi_settings").fetchall()
    return GroupFacts(
        month=month,
        publishes=query(con, "group_publishes"),
        scorecard=query(con, "scorecard", month=month),
        plants=plants,
        ranking=rank_plants(plants),
        causes_month=query(con, "causes_window", month=month, start=month),
        causes_year=query(con, "causes_window", month=month, start=add_months(month, -11)),
        plant_causes=query(con, "group_plant_causes", month=month, top=TOP_CAUSES),
        cause_names=query(con, "cause_names"),
        other_share=float(share[0][0]),
    )


def open_facts(warehouse: str | Path, month: str | date | None) -> GroupFacts:
    """`read_facts` over a read-only connection opened and closed here; `month` YYYY-MM (or
    empty: the last complete month), as a notebook's parameters give it."""
    first_day = parse_month(month) if isinstance(month, str) and month else month or None
    con = open_retrying(Path(warehouse), read_only=True, wait_seconds=WAIT_SECONDS)
    try:
        return read_facts(con, first_day)
    finally:
        con.close()
