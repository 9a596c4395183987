"""The closing-the-loop demo frames as the files users have (SPEC §8).

The 8D tracker is a workbook a year with a title and a 填表人 line; the quality cost ledger a
quarterly GBK CSV from finance; the risk register one workbook; each key customer's portal
its own export (workbook, BOM CSV or GBK CSV) with the portal's own labels.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import numpy as np
import polars as pl

from pipelines.demo.files import (
    _amount_text,
    _as_text,
    _dates_as_text,
    _quarter,
    _split,
    _styles,
    chinese_headers,
    write_source_file,
)
from pipelines.demo.vocabulary import load_loop_vocabulary, load_vocabulary
from pipelines.demo.writers import Sheet, write_bom_csv, write_gbk_csv, write_xlsx
from pipelines.sources import Kind, get_source

LOOP_SOURCES = ("actions", "quality_costs", "risks", "customer_scorecards")
RISK_REGISTER = "风险和机遇登记表"
_YES_NO = {True: "是", False: "否"}

__all__ = ["LOOP_SOURCES", "RISK_REGISTER", "loop_files", "write_demo_file"]


def _year(column: str) -> pl.Expr:
    return pl.col(column).dt.year().cast(pl.String).alias("_period")


def _labels(source: str, column: str) -> dict[str, str]:
    """An enum's code -> the first label the source accepts for it."""
    return {code: labels[0] for code, labels in get_source(source).column(column).choices.items()}


def actions_files(frame: pl.DataFrame, rng: np.random.Generator, shares: dict) -> dict:
    """The 8D tracker, a workbook per year opened; a few dates typed by hand."""
    dates = [c.name for c in get_source("actions").columns if c.kind is Kind.DATE]
    text = frame.with_columns(_year("opened_date")).with_columns(
        _dates_as_text(dates, pl.lit(_styles(rng, frame.height, shares))),
        effective=pl.col("effective").replace_strict(_YES_NO, return_dtype=pl.String),
    )
    return {k: _as_text(v) for k, v in _split(text).items()}


def quality_cost_files(frame: pl.DataFrame, rng: np.random.Generator, loop: dict) -> dict:
    """Finance's quarterly cost ledgers: Chinese category names, amounts as Excel shows them."""
    labels = pl.col("category").replace_strict(
        {code: cfg["labels"] for code, cfg in loop["quality_costs"].items()},
        return_dtype=pl.List(pl.String),
    )
    pick = pl.lit(pl.Series(rng.integers(0, 1_000, frame.height)))
    text = frame.with_columns(_quarter("cost_date")).with_columns(
        _dates_as_text(["cost_date"], pl.lit("slash")),
        category=labels.list.get(pick % labels.list.len()),
        amount=_amount_text(pl.col("amount")),
    )
    return {k: _as_text(v) for k, v in _split(text).items()}


def risk_files(frame: pl.DataFrame) -> dict:
    """The register as one workbook, with the score column (风险值) the seed's table has."""
    columns = frame.columns
    at = columns.index("likelihood") + 1
    text = frame.select(
        *columns[:at],
        (pl.col("severity") * pl.col("likelihood")).alias("score"),
        *columns[at:],
    ).with_columns(
        kind=pl.col("kind").replace_strict(_labels("risks", "kind")),
        review_date=pl.col("review_date").dt.strftime("%Y-%m-%d"),
    )
    return {RISK_REGISTER: _as_text(text)}


def _portal_month(style: str) -> pl.Expr:
    month = pl.col("month")
    if style == "zh":
        return pl.concat_str(month.dt.year(), pl.lit("年"), month.dt.month(), pl.lit("月"))
    return month.dt.strftime("%Y-%m")


def scorecard_files(frame: pl.DataFrame, loop: dict) -> dict:
    """One export per portal, in the portal's own words: PPM, 准时交付率, 2026年9月, 97.5%."""
    files = {}
    for portal in loop["scorecards"]["portals"]:
        part = frame.filter(pl.col("customer") == portal["customer"])
        value = pl.when(pl.col("kpi") == "ppm").then(pl.col("value").cast(pl.Int64).cast(pl.String))
        otd = pl.col("value").round(1).cast(pl.String)
        otd = pl.concat_str(otd, pl.lit("%")) if portal["otd_percent"] else otd
        files[portal["file"]] = _as_text(
            part.with_columns(
                month=_portal_month(portal["month"]),
                kpi=pl.col("kpi").replace_strict(portal["kpis"]),
                value=value.otherwise(otd),
            )
        )
    return files


def loop_files(frames: dict[str, pl.DataFrame], rng: np.random.Generator) -> dict:
    """The text frames of every closing-the-loop file: {source: {file stem: frame}}."""
    loop = load_loop_vocabulary()
    return {
        "actions": actions_files(frames["actions"], rng, loop["actions"]["date_styles"]),
        "quality_costs": quality_cost_files(frames["quality_costs"], rng, loop),
        "risks": risk_files(frames["risks"]),
        "customer_scorecards": scorecard_files(frames["customer_scorecards"], loop),
    }


def _filled_on() -> str:
    """The day after the export, as the 填表时间 line writes it."""
    as_of = date.fromisoformat(load_vocabulary()["calendar"]["as_of"]) + timedelta(days=1)
    return f"{as_of.year}年{as_of.month}月{as_of.day}日"


def _typed_columns(source: str) -> dict:
    spec = get_source(source)
    numbers = (Kind.INT, Kind.DECIMAL)
    return dict(
        date_columns=tuple(c.name for c in spec.columns if c.kind is Kind.DATE),
        number_columns=(*(c.name for c in spec.columns if c.kind in numbers), "score"),
    )


def _loop_sheet(source: str, stem: str, frame: pl.DataFrame, filled_by: str) -> Sheet:
    """The worksheet of an 8D tracker or of the risk register."""
    headers = chinese_headers(source)
    if source == "actions":
        title = [f"{stem}年8D跟踪表", f"填表人: {filled_by}  填表时间: {_filled_on()}"]
    else:
        headers |= {"description": "风险/机遇描述", "score": "风险值"}
        title = [RISK_REGISTER, f"过程: 售后服务 (C4)  编制: {filled_by}  日期: 2026年9月28日"]
    return Sheet(
        name="8D跟踪" if source == "actions" else "登记表",
        frame=frame,
        header=[headers[c] for c in frame.columns],
        title_lines=title,
        **_typed_columns(source),
    )


def _write_portal(stem: str, frame: pl.DataFrame, folder: Path, filled_by: str) -> Path:
    portal = next(p for p in load_loop_vocabulary()["scorecards"]["portals"] if p["file"] == stem)
    named = frame.rename(portal["headers"])
    if portal["format"] == "bom_csv":
        return write_bom_csv(named, folder / f"{stem}.csv")
    if portal["format"] == "gbk_csv":
        return write_gbk_csv(named, folder / f"{stem}.csv")
    sheet = Sheet(
        name="绩效",
        frame=frame,
        header=list(named.columns),
        title_lines=[f"{stem} 供应商绩效导出"],
        number_columns=("value",),
    )
    return write_xlsx(folder / f"{stem}.xlsx", [sheet], author=filled_by)


def write_demo_file(
    source: str, stem: str, frame: pl.DataFrame, folder: Path, filled_by: str
) -> Path:
    """Write one demo file of any source in that source's export format."""
    if source in ("actions", "risks"):
        sheet = _loop_sheet(source, stem, frame, filled_by)
        return write_xlsx(folder / f"{stem}.xlsx", [sheet], author=filled_by)
    if source == "quality_costs":
        return write_gbk_csv(frame.rename(chinese_headers(source)), folder / f"{stem}.csv")
    if source == "customer_scorecards":
        return _write_portal(stem, frame, folder, filled_by)
    return write_source_file(source, stem, frame, folder, filled_by)
