"""Dictionary-coded cells: a CSV column of dates or numbers read as its distinct texts.

A machine export repeats the same few thousand dates and quantities over millions of
lines. Read as plain text, each cell costs 16 bytes of fresh memory and each check or
parse runs once per cell; read as categories of their own, each cell is a 4-byte code,
and a parse runs once per distinct text and is looked up by code. The texts are kept
exactly as written (a category *is* the cell's text), so nothing the quarantine quotes
changes.

Each coded column has categories of its own (`pl.Categories.random()`), so its categories
are exactly the distinct non-empty texts of that column, in code order.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

import polars as pl


def coded_type() -> pl.Categorical:
    """The dtype a column is read with to be coded: categories of its own."""
    return pl.Categorical(pl.Categories.random())


def is_coded(series: pl.Series) -> bool:
    return isinstance(series.dtype, pl.Categorical)


def distinct_texts(series: pl.Series) -> pl.Series:
    """The column's distinct non-empty texts, position i holding code i."""
    return series.dtype.categories.to_series()


def per_text(cells: pl.Series, parse: Callable[[pl.Expr], pl.Expr]) -> tuple[pl.Expr, int]:
    """`parse` of every cell of a coded column, run once per distinct text.

    Returns the parsed column as an expression on the frame holding `cells` (null where
    the cell is empty), and how many distinct texts `parse` left null: 0 means every cell
    was read.
    """
    texts = distinct_texts(cells)
    values = pl.select(parse(pl.lit(texts))).to_series()
    codes = pl.int_range(len(texts), dtype=pl.UInt32, eager=True)
    # Looked up code by code within the frame: the column keeps the chunks of the others, so
    # no later step copies the whole frame into one block to align them. One call, not one
    # per chunk: each small call waits for a core while another thread (the GX import) runs.
    parsed = pl.col(cells.name).cat.physical().replace_strict(
        codes, values, return_dtype=values.dtype
    )
    if texts.is_empty():  # no text at all: nothing to look up
        parsed = pl.repeat(None, pl.len(), dtype=values.dtype)
    return parsed, values.null_count()


def decoded(frame: pl.DataFrame, columns: Collection[str] | None = None) -> pl.DataFrame:
    """`frame` with its coded columns (of `columns`, or all) as plain text again."""
    names = [
        n
        for n in (frame.columns if columns is None else columns)
        if n in frame.columns and is_coded(frame[n])
    ]
    return frame.with_columns(pl.col(n).cast(pl.String) for n in names) if names else frame
