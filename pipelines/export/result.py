"""A query result as text (csv, json) or as a file (csv, json, xlsx), whole or not at all."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from pipelines.disk import write_atomically
from pipelines.errors import AftersalesError
from pipelines.export.spreadsheet import csv_text
from pipelines.export.workbook import write_workbook

FILE_FORMATS = ("csv", "json", "xlsx")


def result_text(frame: pl.DataFrame, fmt: str) -> str:
    """CSV (formula-like text neutralised) or JSON (a list of objects), values exact."""
    if fmt == "csv":
        return csv_text(frame)
    if fmt == "json":
        return frame.write_json() + "\n"
    raise AftersalesError(f"--format {fmt} is not a text format; give --output FILE.")


def format_of(path: Path) -> str | None:
    """The format a file name asks for (`.csv`, `.json`, `.xlsx`), else None."""
    suffix = path.suffix.lower().lstrip(".")
    return suffix if suffix in FILE_FORMATS else None


def write_result(frame: pl.DataFrame, fmt: str, path: Path) -> Path:
    """Write the result to `path` in `fmt`, renamed into place only once complete."""
    if fmt == "xlsx":
        return write_atomically(path, lambda temporary: write_workbook(frame, temporary))
    text = result_text(frame, fmt)
    return write_atomically(path, lambda temporary: temporary.write_text(text, encoding="utf-8"))
