"""Which rows of a table are not data: fully empty rows, total rows, identical repeats.

They are skipped and counted in every format, so `rows_read` always equals rows kept plus
rows skipped.
"""

from __future__ import annotations

import itertools
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import polars as pl

TOTAL_WORDS = ("合计", "总计", "total")
EMPTY, TOTAL, REPEAT, KEYLESS = "__empty", "__total", "__repeat", "__keyless"


@dataclass(frozen=True)
class RowCounts:
    read: int
    empty: int
    total: int
    repeat: int

    @property
    def skipped(self) -> int:
        return self.empty + self.total + self.repeat


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


def classify_rows(
    cells: pl.DataFrame,
    columns: list[str],
    *,
    wordless: Collection[str] = (),
    keys: Sequence[str] = (),
) -> tuple[RowCounts, pl.Series]:
    """How many rows are empty, total and repeated rows (exclusive, in that priority), and
    a mask that is True for the rows to keep.

    `cells` holds trimmed text (null when empty) in `columns`. Columns in `wordless` are
    known to hold no total word (every cell in them parsed as a number or date), so they
    are not searched for one. `keys` are the columns holding the source's natural key: a
    row with a key of its own (a key cell holding a value other than a total word) is data
    even when another cell reads like one (a customer coded `TOTAL`), so only the rows
    with empty key cells are searched for a total word. Without `keys` every row is searched.
    """
    if not columns:
        counts = RowCounts(cells.height, cells.height, 0, 0)
        return counts, pl.repeat(False, cells.height, dtype=pl.Boolean, eager=True)
    empty = cells.select(
        pl.all_horizontal(pl.col(c).is_null() for c in columns).alias(EMPTY)
    ).to_series()
    total = total_rows(cells, [c for c in columns if c not in wordless], keys, empty)
    repeat = repeated_rows(cells.select(columns)) & ~empty & ~total
    counts = RowCounts(cells.height, int(empty.sum()), int(total.sum()), int(repeat.sum()))
    return counts, ~(empty | total | repeat)


def total_rows(
    cells: pl.DataFrame, searched: list[str], keys: Sequence[str], empty: pl.Series
) -> pl.Series:
    """True for each total row: a cell of `searched` holds a total word, and every key cell
    (of `keys`, if given) is empty or holds a total word itself.

    With a key, the usual file has few rows without one, so only those are searched
    across columns: far cheaper than testing every cell of a large file.
    """
    words = total_spellings()
    none = pl.repeat(False, cells.height, dtype=pl.Boolean, eager=True).alias(TOTAL)
    if not keys:
        return _holds_word(cells, searched, words) if searched else none
    worded = [pl.col(k).is_in(words).fill_null(False) for k in keys]
    flags = cells.select(
        (
            pl.any_horizontal(worded)
            & pl.all_horizontal(w | pl.col(k).is_null() for w, k in zip(worded, keys, strict=True))
        ).alias(TOTAL),
        (pl.all_horizontal(pl.col(k).is_null() for k in keys) & ~empty).alias(KEYLESS),
    )
    others = [c for c in searched if c not in keys]
    if not others or not flags[KEYLESS].any():
        return flags[TOTAL]
    hits = _holds_word(cells.filter(flags[KEYLESS]), others, words)
    index = pl.int_range(cells.height, dtype=pl.UInt32, eager=True).filter(flags[KEYLESS])
    return flags[TOTAL].scatter(index.filter(hits), True)


def _holds_word(cells: pl.DataFrame, columns: list[str], words: list[str]) -> pl.Series:
    return cells.select(
        pl.any_horizontal(pl.col(c).is_in(words).fill_null(False) for c in columns).alias(TOTAL)
    ).to_series()


def repeated_rows(cells: pl.DataFrame) -> pl.Series:
    """True for each row identical in every column to an earlier row.

    Row hashes find the candidates fast (all distinct, the usual case, settles it); the
    exact comparison then runs only on rows whose hash occurs more than once, so a hash
    collision can never drop a row.
    """
    none = pl.repeat(False, cells.height, dtype=pl.Boolean, eager=True).alias(REPEAT)
    hashes = cells.hash_rows()
    if hashes.n_unique() == cells.height:
        return none
    ordered = hashes.sort()
    twins = ordered.filter(ordered == ordered.shift(1)).unique()
    candidates = hashes.is_in(twins.implode())
    suspects = cells.filter(candidates)
    index = pl.int_range(cells.height, dtype=pl.UInt32, eager=True).filter(candidates)
    later = ~suspects.select(pl.struct(cells.columns).is_first_distinct()).to_series()
    return none.scatter(index.filter(later), True)
