"""Cells a row cannot be loaded with, found while reading (SPEC §12): a formula without a
saved value, an Excel error value, an implausible date, a line in another encoding than its
file's.

Each is a row error: the gate quarantines the row naming the column and the problem, in place
of whatever its checks would say about the same cell ("required value missing", "unparseable
date #N/A"), because the reader knows why the cell holds what it holds. A problem is one row
of a `problems` frame (PROBLEM_SCHEMA); `column` is a source column, or null for the whole row.
"""

from __future__ import annotations

import polars as pl

from pipelines.batch import PROBLEM_SCHEMA
from pipelines.ingest.plausible import DateRange
from pipelines.sources import Kind, Source

FORMULA_WITHOUT_VALUE = "formula_without_value"
EXCEL_ERROR = "excel_error"
IMPLAUSIBLE_DATE = "implausible_date"
MIXED_ENCODING = "mixed_encoding"
# The gate's English for each code ({value}, {other} are the problem's quoted values); the
# pack words the same codes from pipelines/labels/<lang>.toml, group [finding].
REASONS = {
    FORMULA_WITHOUT_VALUE: "formula {value} without a saved value: open and save the file in Excel",
    EXCEL_ERROR: "Excel error value {value}",
    IMPLAUSIBLE_DATE: "implausible date {value}, outside {other}",
    MIXED_ENCODING: (
        "the line is {value} text in a {other} file (mixed encodings): "
        "save the file again in one encoding"
    ),
}
# What Excel shows in a cell whose formula failed (and a CSV export writes as text).
EXCEL_ERRORS = ("#DIV/0!", "#N/A", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!",
                "#SPILL!", "#CALC!", "#GETTING_DATA")

CELL = "cell"  # marks: the table's cell column (c0, c1, ...), null for the whole row
MARK_SCHEMA = {"source_row": pl.Int64, CELL: pl.String, "code": pl.String,
               "value": pl.String, "other": pl.String}


def no_problems() -> pl.DataFrame:
    return pl.DataFrame(schema=PROBLEM_SCHEMA)


def no_marks() -> pl.DataFrame:
    return pl.DataFrame(schema=MARK_SCHEMA)


def marked_problems(
    marks: pl.DataFrame, rows: pl.Series, kept: pl.Series, columns: dict[str, str]
) -> pl.DataFrame:
    """The table's marks as problems of the kept rows.

    A mark names a row by the line it is on (a CSV row may span lines) or by its row number
    (a sheet): it belongs to the last row starting at or before that line. `rows` holds the
    starting line of every row below the header, `kept` those of the rows kept; `columns`
    maps source columns to cell columns (marks on other columns are not the source's).
    """
    if marks.height == 0 or kept.len() == 0:
        return no_problems()
    starts = pl.DataFrame({"row": rows.cast(pl.Int64)}).sort("row")
    placed = (
        marks.sort("source_row")
        .join_asof(starts, left_on="source_row", right_on="row", strategy="backward")
        .filter(pl.col("row").is_not_null() & pl.col("row").is_in(kept.implode()))
    )
    names = {cell: name for name, cell in columns.items()}
    named = pl.col(CELL).replace_strict(names, default=None, return_dtype=pl.String)
    return (
        placed.with_columns(named.alias("column"))
        .filter(pl.col(CELL).is_null() | pl.col("column").is_not_null())
        .select(pl.col("row").alias("source_row"), "column", "code", "value", "other")
        .unique(["source_row", "column", "code"], keep="first", maintain_order=True)
    )


def excel_errors(kept: pl.DataFrame, columns: dict[str, str], parsed: set[str]) -> pl.DataFrame:
    """Cells whose whole text is an Excel error value (`#DIV/0!`, `#N/A`, ...).

    Columns in `parsed` read completely as numbers or dates and hold none; the others are
    searched, first for a leading `#` (cheap), then for the exact words.
    """
    searched = {n: c for n, c in columns.items() if n not in parsed and c in kept.columns}
    if not searched or kept.height == 0:
        return no_problems()
    hashed = kept.select(
        pl.any_horizontal(pl.col(c).str.starts_with("#") for c in searched.values())
        .fill_null(False)
        .any()
    ).item()
    if not hashed:
        return no_problems()
    found = [
        kept.filter(pl.col(cell).is_in(EXCEL_ERRORS)).select(
            "source_row",
            pl.lit(name).alias("column"),
            pl.lit(EXCEL_ERROR).alias("code"),
            pl.col(cell).alias("value"),
            pl.lit(None, dtype=pl.String).alias("other"),
        )
        for name, cell in searched.items()
    ]
    return pl.concat(found).cast(PROBLEM_SCHEMA)


def implausible_dates(
    frame: pl.DataFrame,
    kept: pl.DataFrame,
    source: Source,
    columns: dict[str, str],
    dates: DateRange,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Dates (and months) outside `dates`, as problems; in `frame` they become null.

    `frame` is the typed frame of `kept` (same rows, same order): the problem quotes the cell
    as written (`60`, `20549`, `1900/1/1`), not the date it parsed as.
    """
    first, last = pl.lit(dates.first), pl.lit(dates.last)
    checks = {}
    for column in source.columns:
        if column.kind not in (Kind.DATE, Kind.MONTH) or column.name not in columns:
            continue
        day = pl.col(column.name)
        early = (day.dt.month_end() if column.kind is Kind.MONTH else day) < first
        checks[column.name] = (early | (day > last)).fill_null(False)
    if not checks or frame.height == 0:
        return frame, no_problems()
    flags = frame.select(expr.alias(name) for name, expr in checks.items())
    hit = [name for name in checks if flags[name].any()]
    if not hit:
        return frame, no_problems()
    problems = pl.concat(
        [
            kept.select("source_row", pl.col(columns[name]).alias("value"))
            .filter(flags[name])
            .select(
                "source_row",
                pl.lit(name).alias("column"),
                pl.lit(IMPLAUSIBLE_DATE).alias("code"),
                "value",
                pl.lit(dates.text()).alias("other"),
            )
            for name in hit
        ]
    ).cast(PROBLEM_SCHEMA)
    frame = frame.with_columns(
        pl.when(pl.lit(flags[name])).then(None).otherwise(pl.col(name)).alias(name)
        for name in hit
    )
    return frame, problems
