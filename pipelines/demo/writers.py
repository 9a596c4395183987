"""Writers for the kinds of files users have: Chinese Excel CSV (GBK), BOM CSV, XLSX, Parquet.

Every writer produces the same bytes for the same frame: no timestamps, fixed metadata.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
import xlsxwriter

# Excel files get a fixed creation time so that a rerun writes identical bytes.
_CREATED = dt.datetime(2026, 11, 1, 8, 30)


def _blank_as_null(frame: pl.DataFrame) -> pl.DataFrame:
    """Blank cells as nothing between the commas, the way Excel saves them (not "")."""
    return frame.with_columns(pl.col(pl.String).replace("", None))


def write_gbk_csv(frame: pl.DataFrame, path: Path) -> Path:
    """CSV as Chinese Excel saves it: GBK, CRLF line ends."""
    text = _blank_as_null(frame).write_csv(line_terminator="\r\n", quote_style="necessary")
    path.write_bytes(text.encode("gbk"))
    return path


def write_bom_csv(frame: pl.DataFrame, path: Path) -> Path:
    """CSV in UTF-8 with a byte-order mark, as Excel's "CSV UTF-8" option saves it."""
    _blank_as_null(frame).write_csv(path, include_bom=True, quote_style="necessary")
    return path


def write_parquet(frame: pl.DataFrame, path: Path) -> Path:
    frame.write_parquet(path, compression="zstd", statistics=False)
    return path


@dataclass
class Sheet:
    """A worksheet as people lay it out: title lines, a header row, data, a total row.

    `frame` holds text; columns named in `date_columns` become Excel date cells where the
    text is an ISO date, columns in `number_columns` become numbers where the text is one.
    Any other text (a typed date such as 2026年10月3日, a bad value) stays text.
    """

    name: str
    frame: pl.DataFrame
    header: list[str]
    title_lines: list[str] = field(default_factory=list)
    date_columns: tuple[str, ...] = ()
    number_columns: tuple[str, ...] = ()
    total_label: str | None = None  # written in the first column of a total row
    total_columns: tuple[str, ...] = ()


def _cells(frame: pl.DataFrame, sheet: Sheet) -> list[list]:
    """Each column as a list of cell values (date, float, text or None for blank)."""
    columns = []
    for name in frame.columns:
        text = frame[name]
        if name in sheet.date_columns:
            typed = text.str.strptime(pl.Date, "%Y-%m-%d", strict=False)
        elif name in sheet.number_columns:
            typed = text.cast(pl.Float64, strict=False)
        else:
            typed = pl.Series([None] * len(text), dtype=pl.Null)
        columns.append(
            [
                t if t is not None else (s or None)
                for t, s in zip(typed.to_list(), text.to_list(), strict=True)
            ]
        )
    return columns


def write_xlsx(path: Path, sheets: list[Sheet], author: str) -> Path:
    """An XLSX workbook with one worksheet per Sheet."""
    book = xlsxwriter.Workbook(str(path), {"in_memory": True, "default_date_format": "yyyy/m/d"})
    book.set_properties({"author": author, "created": _CREATED})
    bold = book.add_format({"bold": True})
    title = book.add_format({"bold": True, "font_size": 14, "align": "center"})
    for sheet in sheets:
        ws = book.add_worksheet(sheet.name)
        width = len(sheet.header)
        row = 0
        for i, line in enumerate(sheet.title_lines):
            if i == 0:
                ws.merge_range(row, 0, row, width - 1, line, title)
            else:
                ws.write_string(row, 0, line)
            row += 1
        ws.write_row(row, 0, sheet.header, bold)
        ws.set_column(0, width - 1, 13)
        row += 1
        for col, values in enumerate(_cells(sheet.frame, sheet)):
            ws.write_column(row, col, values)
        if sheet.total_label:
            last = row + sheet.frame.height
            ws.write_string(last, 0, sheet.total_label, bold)
            for name in sheet.total_columns:
                total = sheet.frame[name].cast(pl.Float64, strict=False).sum()
                ws.write_number(last, sheet.frame.columns.index(name), float(total), bold)
    book.close()
    return path
