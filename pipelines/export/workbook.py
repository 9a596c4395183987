"""An Excel workbook of a query result, with typed cells and text never run as a formula.

XlsxWriter (already the product's writer for the demo's workbooks): maintained, write-only
and fast in its constant-memory mode, and it writes each cell with an explicit type —
`write_number`, `write_datetime`, `write_boolean`, `write_string` — so a text such as
`=1+1` or `http://...` stays text (`strings_to_formulas`/`strings_to_urls` off as well).
openpyxl would also do, but guesses a formula from a leading `=` unless told per cell.
"""

from __future__ import annotations

import io
import math
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

import polars as pl
import xlsxwriter

from pipelines.errors import AftersalesError

EXCEL_MAX_ROWS = 1_048_576
TEXT_MAX = 32_767  # Excel's longest cell text


def write_workbook(frame: pl.DataFrame, path: Path, sheet: str = "result") -> None:
    """Write `frame` to `path` as one sheet: a header row, then one typed cell per value."""
    if frame.height + 1 > EXCEL_MAX_ROWS:
        raise AftersalesError(
            f"The result has {frame.height:,} rows, more than an Excel sheet holds "
            f"({EXCEL_MAX_ROWS - 1:,}); narrow the query or use --format csv."
        )
    options = {
        "constant_memory": True,
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
        "remove_timezone": True,
    }
    # the zip is built in memory (the sheet's rows still stream through temporary files) and
    # then written at once: a full disk is then a plain OSError on our own write, and no
    # half-closed zip is left to fail again when it is collected
    buffer = io.BytesIO()
    _write_sheet(frame, buffer, options, sheet)
    path.write_bytes(buffer.getvalue())


def _write_sheet(frame: pl.DataFrame, target: io.BytesIO, options: dict, sheet: str) -> None:
    with xlsxwriter.Workbook(target, options) as book:
        formats = {
            "date": book.add_format({"num_format": "yyyy-mm-dd"}),
            "datetime": book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"}),
            "time": book.add_format({"num_format": "hh:mm:ss"}),
            "header": book.add_format({"bold": True}),
        }
        ws = book.add_worksheet(sheet)
        ws.freeze_panes(1, 0)
        for col, name in enumerate(frame.columns):
            ws.write_string(0, col, name, formats["header"])
            ws.set_column(col, col, min(max(len(name), 10) + 2, 60))
        for row, values in enumerate(frame.iter_rows(), start=1):
            for col, value in enumerate(values):
                _write_cell(ws, row, col, value, formats)


def _write_cell(ws, row: int, col: int, value: object, formats: dict) -> None:
    if value is None:
        return
    if isinstance(value, bool):
        ws.write_boolean(row, col, value)
    elif isinstance(value, int | float | Decimal):
        value = float(value) if isinstance(value, Decimal) else value
        if isinstance(value, float) and not math.isfinite(value):
            ws.write_string(row, col, str(value))  # Excel has no NaN or infinity
        else:
            ws.write_number(row, col, value)
    elif isinstance(value, datetime):
        ws.write_datetime(row, col, value, formats["datetime"])
    elif isinstance(value, date):
        ws.write_datetime(row, col, value, formats["date"])
    elif isinstance(value, time):
        ws.write_datetime(row, col, value, formats["time"])
    else:
        ws.write_string(row, col, str(value)[:TEXT_MAX])
