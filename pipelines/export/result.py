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


def choose_format(chosen: str | None, output: Path | None) -> str:
    """--format as given, else told by the --output file's name, else a table."""
    if chosen is None:
        told = format_of(output) if output else None
        if output and told is None:
            raise AftersalesError(
                f"Cannot tell the format of {output} from its name; add --format csv, json "
                "or xlsx."
            )
        chosen = told or "table"
    if chosen == "table" and output:
        raise AftersalesError("--output writes csv, json or xlsx; add --format xlsx (or csv).")
    if chosen == "xlsx" and not output:
        raise AftersalesError("--format xlsx writes a file; add --output FILE.xlsx.")
    return chosen


def write_result(frame: pl.DataFrame, fmt: str, path: Path) -> Path:
    """Write the result to `path` in `fmt`, renamed into place only once complete."""
    if fmt == "xlsx":
        return write_atomically(path, lambda temporary: write_workbook(frame, temporary))
    text = result_text(frame, fmt)
    return write_atomically(path, lambda temporary: temporary.write_text(text, encoding="utf-8"))
