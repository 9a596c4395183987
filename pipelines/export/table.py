"""A query result as a terminal table: floats rounded, times to the second, one line a row.

The table is for reading; CSV, JSON and the workbook keep every value exact.
"""

from __future__ import annotations

import math
from datetime import datetime, time

import polars as pl
from rich.table import Table

FLOAT_DIGITS = 3


def cell_text(value: object) -> str:
    """How a value reads in the table: `178.504` not `178.50419999999997`, no microseconds."""
    if value is None:
        return ""
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        text = f"{value:.{FLOAT_DIGITS}f}".rstrip("0").rstrip(".")
        return "0" if text == "-0" else text
    if isinstance(value, datetime | time):
        return value.isoformat(sep=" ", timespec="seconds") if isinstance(
            value, datetime
        ) else value.isoformat(timespec="seconds")
    return str(value)


def frame_table(frame: pl.DataFrame, title: str | None = None) -> Table:
    """A rich table of the frame, numbers right-aligned."""
    table = Table(title=title)
    for name, dtype in frame.schema.items():
        numeric = dtype.is_numeric()
        table.add_column(name, justify="right" if numeric else "left", overflow="fold")
    for row in frame.iter_rows():
        table.add_row(*(cell_text(v) for v in row))
    return table
