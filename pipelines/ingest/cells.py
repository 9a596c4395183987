"""Workbook cells -> the text a user sees in them, a whole column at a time.

A sheet comes from the workbook reader as Python values (str, float, datetime, bool, ...).
`cell_text` is the rule for one cell; `text_column` gives the same text for a column by
converting all cells of one Python type together in polars, so a million-row sheet is
not formatted cell by cell.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import polars as pl

_SAFE_INTEGER = 2.0**53  # floats below this convert to Int64 and back without change


def cell_text(value: object) -> str | None:
    """A workbook cell as the text a user sees: 12 not 12.0, dates as YYYY-MM-DD."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(float(f"{value:.15g}"))  # Excel shows 15 significant digits
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def text_column(values: Sequence[object]) -> pl.Series:
    """`cell_text` of every value, as one pl.String series."""
    kinds = set(map(type, values))
    if kinds <= {str, type(None)}:
        return _text(pl.Series(values, dtype=pl.String))
    parts = [_converted(kind, [v if type(v) is kind else None for v in values]) for kind in kinds]
    return pl.select(pl.coalesce(parts)).to_series() if len(parts) > 1 else parts[0]


def _converted(kind: type, values: list[object]) -> pl.Series:
    """The text of the cells of one Python type (the other cells are None here)."""
    if kind is type(None):
        return pl.Series(values, dtype=pl.String)
    if kind is str:
        return _text(pl.Series(values, dtype=pl.String))
    if kind is bool:
        return pl.Series(values, dtype=pl.Boolean).replace_strict(
            {True: "true", False: "false"}, return_dtype=pl.String
        )
    if kind is float:
        return _float_text(pl.Series(values, dtype=pl.Float64), values)
    if kind in (dt.datetime, dt.time):
        return _clock_text(kind, values)
    if kind is dt.date:
        return pl.Series(values, dtype=pl.Date).dt.to_string("%Y-%m-%d")
    return pl.Series([cell_text(v) for v in values], dtype=pl.String)


def _text(series: pl.Series) -> pl.Series:
    return series.replace("", None)


def _float_text(numbers: pl.Series, values: list[object]) -> pl.Series:
    """Whole numbers in polars; fractions (and huge numbers) by `cell_text`, one by one."""
    whole = (numbers == numbers.floor()) & (numbers.abs() < _SAFE_INTEGER)
    text = pl.select(
        pl.when(pl.lit(whole)).then(pl.lit(numbers).cast(pl.Int64, strict=False).cast(pl.String))
    ).to_series()
    rest = (numbers.is_not_null() & ~whole).arg_true()
    if rest.len() == 0:
        return text
    return text.scatter(rest, [cell_text(values[i]) for i in rest])


def _clock_text(kind: type, values: list[object]) -> pl.Series:
    """Datetimes and times; seconds get their microseconds only when there are some."""
    clock = pl.lit(pl.Series(values, dtype=pl.Datetime("us") if kind is dt.datetime else pl.Time))
    seconds = "%Y-%m-%d %H:%M:%S" if kind is dt.datetime else "%H:%M:%S"
    return pl.select(
        pl.when(clock.dt.microsecond() != 0)
        .then(clock.dt.to_string(seconds + "%.6f"))
        .otherwise(clock.dt.to_string(seconds))
    ).to_series()
