"""Tables for the terminal: a query result (floats rounded, times to the second, one line a
row) and the ingest summary.

A table is for reading; CSV, JSON and the workbook keep every value exact.
"""

from __future__ import annotations

import math
from datetime import datetime, time

import polars as pl
from rich.table import Table
from rich.text import Text

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


def outcome_table(outcomes: list) -> Table:
    """The ingest summary: one row per file (pipelines.ingest_pipeline.FileOutcome)."""
    table = Table(title="Ingest summary")
    for name in ("file", "source"):
        table.add_column(name, overflow="fold")
    for name in ("read", "loaded", "quarantined", "skipped", "warnings"):
        table.add_column(name, justify="right")
    table.add_column("status")
    colours = {"loaded": "green", "duplicate": "cyan", "rejected": "red"}
    for o in outcomes:
        status = o.status if o.status != "loaded" or not o.rows_quarantined else "loaded*"
        table.add_row(
            o.path.name,
            o.source or "?",
            *(str(n) for n in (o.rows_read, o.rows_loaded, o.rows_quarantined)),
            *(str(n) for n in (o.rows_skipped, o.rows_warned)),
            Text(status, style=colours[o.status]),
        )
    return table
