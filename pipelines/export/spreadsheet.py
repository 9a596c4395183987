"""CSV that a spreadsheet opens as data: text cells never run as formulas (SPEC §12).

Excel, LibreOffice and Google Sheets evaluate a cell starting with `=`, `+`, `-` or `@` (and
strip a leading tab or carriage return first), so a complaint description such as
`=HYPERLINK("http://...")` would run when the CSV is opened. Such text gets a leading `'`,
the spreadsheets' own mark for "this is text"; numbers, dates and flags are left as they are.
"""

from __future__ import annotations

import polars as pl

FORMULA_START = r"^[=+\-@\t\r]"


def neutralise_formulas(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame with every text cell a spreadsheet would run as a formula quoted by `'`."""
    text = [name for name, dtype in frame.schema.items() if dtype == pl.String]
    return frame.with_columns(
        pl.when(pl.col(name).str.contains(FORMULA_START))
        .then(pl.lit("'") + pl.col(name))
        .otherwise(pl.col(name))
        .alias(name)
        for name in text
    )


def csv_text(frame: pl.DataFrame) -> str:
    """The frame as CSV with formula-like text neutralised; numbers exact as stored."""
    return neutralise_formulas(frame).write_csv()
