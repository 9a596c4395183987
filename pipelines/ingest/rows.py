"""Which rows of a table are not data: fully empty rows, total rows, identical repeats.

They are skipped and counted in every format, so `rows_read` always equals rows kept plus
rows skipped.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import polars as pl

TOTAL_WORDS = ("合计", "总计", "total")
EMPTY, TOTAL, REPEAT = "__empty", "__total", "__repeat"


@dataclass(frozen=True)
class RowCounts:
    read: int
    empty: int
    total: int
    repeat: int


def total_spellings() -> list[str]:
    """Every spelling of a total label a cell may hold: any letter case, ASCII or
    full-width, with or without a trailing colon. Matching against this set is a hash
    lookup, far cheaper than lower-casing every cell of a large file."""
    spellings: list[str] = []
    for word in TOTAL_WORDS:
        widths = [word, "".join(chr(ord(ch) + 0xFEE0) if ch.isascii() else ch for ch in word)]
        for form in widths:
            cases = ({ch.lower(), ch.upper()} for ch in form)
            for letters in itertools.product(*cases):
                spellings += ["".join(letters) + colon for colon in ("", ":", "：")]
    return sorted(set(spellings))


def classify_rows(cells: pl.DataFrame, columns: list[str]) -> pl.DataFrame:
    """Adds boolean columns __empty, __total, __repeat (exclusive, in that priority).

    `cells` holds trimmed text (null when empty) in `columns`.
    """
    if not columns:
        return cells.with_columns(
            pl.lit(True).alias(EMPTY), pl.lit(False).alias(TOTAL), pl.lit(False).alias(REPEAT)
        )
    words = total_spellings()
    empty = pl.all_horizontal(pl.col(c).is_null() for c in columns)
    total = pl.any_horizontal(pl.col(c).is_in(words).fill_null(False) for c in columns)
    repeat = pl.Series(REPEAT, repeated_rows(cells.select(columns)))
    return cells.with_columns(repeat).with_columns(
        empty.alias(EMPTY),
        (total & ~empty).alias(TOTAL),
        (pl.col(REPEAT) & ~empty & ~total).alias(REPEAT),
    )


def repeated_rows(cells: pl.DataFrame) -> pl.Series:
    """True for each row identical in every column to an earlier row.

    Row hashes find the candidates fast; the exact comparison then runs only on rows
    whose hash occurs more than once, so a hash collision can never drop a row.
    """
    candidates = cells.hash_rows().is_duplicated()
    if not candidates.any():
        return pl.repeat(False, cells.height, dtype=pl.Boolean, eager=True).alias(REPEAT)
    index = pl.int_range(pl.len(), dtype=pl.UInt32).alias("__index")
    suspects = cells.with_columns(index).filter(candidates)
    exact = suspects.select(
        "__index", (~pl.struct(cells.columns).is_first_distinct()).alias(REPEAT)
    ).filter(REPEAT)
    repeat = pl.repeat(False, cells.height, dtype=pl.Boolean, eager=True).alias(REPEAT)
    return repeat.scatter(exact["__index"], True)


def count_rows(classified: pl.DataFrame) -> RowCounts:
    sums = classified.select(
        pl.len(), pl.col(EMPTY).sum(), pl.col(TOTAL).sum(), pl.col(REPEAT).sum()
    )
    read, empty, total, repeat = sums.row(0)
    return RowCounts(int(read), int(empty or 0), int(total or 0), int(repeat or 0))


def keep_rows() -> pl.Expr:
    return ~(pl.col(EMPTY) | pl.col(TOTAL) | pl.col(REPEAT))
