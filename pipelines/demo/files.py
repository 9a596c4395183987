"""Turn the typed demo frames into the files users have: one text frame per file.

Deliveries come monthly from the ERP as Chinese Excel CSV, complaints as monthly summary
workbooks, freight as quarterly invoice CSVs, surveys as workbooks per wave and customer
property checks as Parquet. Dates are written the ways people write them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import polars as pl

from pipelines.demo.writers import (
    Sheet,
    write_bom_csv,
    write_gbk_csv,
    write_parquet,
    write_xlsx,
)
from pipelines.sources import Kind, get_source

# Header text per source where the first Chinese alias is not what the export says.
_HEADER_CHOICE: dict[str, dict[str, str]] = {
    "complaints": {
        "part_no": "产品型号",
        "defect_qty": "不良数量",
        "cause": "产生原因",
        "closed_date": "结案日期",
    },
    "deliveries": {"part_no": "料号", "qty": "发货数量", "delivered_date": "签收日期"},
    "freight": {"amount": "运费", "premium": "是否超额"},
    "surveys": {"score": "服务质量评分"},
}

_NUMBER_KINDS = (Kind.INT, Kind.DECIMAL, Kind.RATING)

_DATE_FORMATS = {
    "iso": "%Y-%m-%d",
    "slash": "%Y/%-m/%-d",
    "dot": "%Y.%-m.%-d",
    "zh": "%Y年%-m月%-d日",
}


def chinese_headers(source: str) -> dict[str, str]:
    """Column name -> the Chinese header the export carries (always one of its aliases)."""
    headers = {}
    for column in get_source(source).columns:
        chosen = _HEADER_CHOICE.get(source, {}).get(column.name, column.aliases[0])
        if chosen not in column.aliases:
            raise ValueError(f"{chosen!r} is not an alias of {source}.{column.name}")
        headers[column.name] = chosen
    return headers


def _dates_as_text(columns: list[str], style: pl.Expr) -> list[pl.Expr]:
    """Format date columns in the style named per row by `style` (see _DATE_FORMATS)."""
    exprs = []
    for name in columns:
        expr = pl.col(name).dt.strftime(_DATE_FORMATS["iso"])
        for key, fmt in _DATE_FORMATS.items():
            expr = pl.when(style == key).then(pl.col(name).dt.strftime(fmt)).otherwise(expr)
        exprs.append(expr.alias(name))
    return exprs


def _styles(rng: np.random.Generator, n: int, shares: dict[str, float]) -> pl.Series:
    """A date style per row, drawn with the given shares."""
    return pl.Series(rng.choice(list(shares), n, p=list(shares.values())), dtype=pl.String)


def _as_text(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.select(pl.all().cast(pl.String).fill_null(""))


def _amount_text(expr: pl.Expr) -> pl.Expr:
    """1250.5 -> '1,250.50' (amounts stay below a million)."""
    cents = (expr * 100).round(0).cast(pl.Int64)
    yuan, fraction = cents // 100, (cents % 100).cast(pl.String).str.zfill(2)
    thousands = pl.concat_str(
        (yuan // 1000).cast(pl.String), pl.lit(","), (yuan % 1000).cast(pl.String).str.zfill(3)
    )
    whole = pl.when(yuan >= 1000).then(thousands).otherwise(yuan.cast(pl.String))
    return pl.concat_str(whole, pl.lit("."), fraction)


def _split(frame: pl.DataFrame) -> dict[str, pl.DataFrame]:
    """Split a frame into files by its `_period` label column, in label order."""
    parts = frame.partition_by("_period", as_dict=True, maintain_order=True, include_key=False)
    return {key[0]: part for key, part in sorted(parts.items())}


def _month(column: str) -> pl.Expr:
    return pl.col(column).dt.strftime("%Y-%m").alias("_period")


def _quarter(column: str) -> pl.Expr:
    year = pl.col(column).dt.year().cast(pl.String)
    return pl.concat_str(year, pl.lit("-Q"), pl.col(column).dt.quarter()).alias("_period")


def deliveries_files(frame: pl.DataFrame) -> dict[str, pl.DataFrame]:
    """Monthly ERP exports by ship date; dates as Chinese Excel writes them (2026/10/3)."""
    dates = ["ship_date", "promised_date", "delivered_date"]
    text = frame.with_columns(_month("ship_date")).with_columns(
        _dates_as_text(dates, pl.lit("slash"))
    )
    return {k: _as_text(v) for k, v in _split(text).items()}


def complaints_files(frame: pl.DataFrame, rng: np.random.Generator) -> dict[str, pl.DataFrame]:
    """Monthly complaint summaries; most dates are Excel date cells, some typed by hand."""
    n = frame.height
    closed_label = pl.Series(rng.choice(["已关闭", "结案"], n, p=[0.7, 0.3]))
    rejected_label = pl.Series(rng.choice(["无效", "驳回"], n, p=[0.8, 0.2]))
    styles = _styles(rng, n, {"iso": 0.85, "zh": 0.1, "slash": 0.05})
    text = (
        frame.drop("cause_code")
        .with_columns(_month("received_date"))
        .with_columns(
            _dates_as_text(["received_date", "responded_date", "closed_date"], pl.lit(styles)),
            phase=pl.col("phase").replace_strict(
                {"mass_production": "量产", "sample": "样件", "c_sample": "C样"}
            ),
            status=pl.when(pl.col("status") == "closed")
            .then(pl.lit(closed_label))
            .when(pl.col("status") == "rejected")
            .then(pl.lit(rejected_label))
            .otherwise(pl.lit("处理中")),
            environmental=pl.when("environmental").then(pl.lit("是")).otherwise(pl.lit("否")),
        )
    )
    return {k: _as_text(v) for k, v in _split(text).items()}


def freight_files(frame: pl.DataFrame, rng: np.random.Generator) -> dict[str, pl.DataFrame]:
    """Quarterly freight invoice lists: amounts with thousands separators, 是/否 for premium."""
    styles = _styles(rng, frame.height, {"iso": 0.9, "dot": 0.05, "zh": 0.05})
    text = frame.with_columns(_quarter("ship_date")).with_columns(
        _dates_as_text(["ship_date"], pl.lit(styles)),
        amount=_amount_text(pl.col("amount")),
        premium=pl.when("premium").then(pl.lit("是")).otherwise(pl.lit("否")),
    )
    return {k: _as_text(v) for k, v in _split(text).items()}


def surveys_files(frame: pl.DataFrame) -> dict[str, pl.DataFrame]:
    """One workbook per survey wave; every other wave answers with the form's option texts."""
    source = get_source("surveys")
    ratings = [c for c in source.columns if c.kind is Kind.RATING]
    files = {}
    waves = _split(frame.with_columns(_month("survey_date")))
    for i, (label, part) in enumerate(waves.items()):
        if i % 2 == 0:
            part = part.with_columns(
                pl.col(c.name).replace_strict(
                    {4 - k: text for k, text in enumerate(c.choices)}, return_dtype=pl.String
                )
                for c in ratings
            )
        files[label] = _as_text(part)
    return files


def property_files(frame: pl.DataFrame) -> dict[str, pl.DataFrame]:
    """Quarterly property check lists, typed, with English headers (a Parquet export)."""
    return _split(frame.with_columns(_quarter("check_date")))


def _next_month_zh(label: str) -> str:
    year, month = int(label[:4]), int(label[5:7])
    year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return f"{year}年{month}月1日"


def _sheet(source: str, stem: str, frame: pl.DataFrame, filled_by: str) -> Sheet:
    """The worksheet layout of a complaints summary or a survey wave."""
    spec = get_source(source)
    headers = chinese_headers(source)
    year, month = int(stem[:4]), int(stem[5:7])
    layout = dict(
        name="评价",
        frame=frame,
        header=[headers[c] for c in frame.columns],
        title_lines=[f"售后服务评价表 {year}年{month}月"],
        date_columns=tuple(c.name for c in spec.columns if c.kind is Kind.DATE),
        number_columns=tuple(c.name for c in spec.columns if c.kind in _NUMBER_KINDS),
    )
    if source == "complaints":
        layout.update(
            name="汇总",
            title_lines=[
                f"售后问题{year}年{month}月份汇总表",
                f"填表人: {filled_by}  填表时间: {_next_month_zh(stem)}",
            ],
            total_label="合计",
            total_columns=("defect_qty", "claim_amount"),
        )
    return Sheet(**layout)


def write_source_file(
    source: str, stem: str, frame: pl.DataFrame, folder: Path, filled_by: str
) -> Path:
    """Write one file of a source in that source's export format."""
    if source == "property_checks":
        return write_parquet(frame, folder / f"{stem}.parquet")
    if source == "deliveries":
        return write_gbk_csv(frame.rename(chinese_headers(source)), folder / f"{stem}.csv")
    if source == "freight":
        return write_bom_csv(frame.rename(chinese_headers(source)), folder / f"{stem}.csv")
    sheet = _sheet(source, stem, frame, filled_by)
    return write_xlsx(folder / f"{stem}.xlsx", [sheet], author=filled_by)


def write_inbox_files(
    files: dict[str, dict[str, pl.DataFrame]],
    inbox_dir: Path,
    filled_by: str,
    writer: Callable[[str, str, pl.DataFrame, Path, str], Path] = write_source_file,
) -> list[Path]:
    """Write every file under inbox_dir/<source>/ with `writer`; returns the paths in
    writing order."""
    paths: list[Path] = []
    for source, by_stem in files.items():
        folder = inbox_dir / source
        folder.mkdir(parents=True, exist_ok=True)
        for stem, frame in by_stem.items():
            paths.append(writer(source, stem, frame, folder, filled_by))
    return paths
