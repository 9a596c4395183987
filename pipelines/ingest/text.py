"""How header names and coded cell values are compared: trimmed, width-normalised, caseless.

Chinese Excel users type full-width letters, digits and brackets (`（`, `１２`, `ＩＤ`);
NFKC folds them to their ASCII forms so `客户（名称）` and `客户(名称)` compare equal.
"""

from __future__ import annotations

import re

import polars as pl

from pipelines.taxonomy import fold  # the one comparison form, shared with the taxonomy check

_SEPARATORS = re.compile(r"[\s_\-]+")


def header_key(text: str | None) -> str:
    """The comparison form of a header name; `Received Date` and `received_date` are equal."""
    if text is None:
        return ""
    return _SEPARATORS.sub(" ", fold(text)).strip()


def folded(expr: pl.Expr) -> pl.Expr:
    """The vectorised `fold`: NFKC, trimmed, lower-case."""
    return expr.str.normalize("NFKC").str.strip_chars().str.to_lowercase()


def trimmed(expr: pl.Expr) -> pl.Expr:
    """Surrounding whitespace removed (full-width spaces too); empty text becomes null."""
    stripped = expr.str.strip_chars()
    return pl.when(stripped.str.len_bytes() > 0).then(stripped)


def trim_columns(frame: pl.DataFrame, columns: list[str]) -> pl.DataFrame:
    """`trimmed` applied to the columns that need it; the others are kept as they are.

    A cheap scan first finds the columns holding untrimmed or empty text, so a clean
    export is not copied cell by cell.
    """
    if not columns or frame.height == 0:
        return frame
    needs = frame.select(_untrimmed(pl.col(c)).alias(c) for c in columns).row(0)
    dirty = [c for c, need in zip(columns, needs, strict=True) if need]
    return frame.with_columns(trimmed(pl.col(c)).alias(c) for c in dirty) if dirty else frame


# What `str.strip_chars()` strips: the characters of Unicode's White_Space property.
WHITESPACE = (
    "\t", "\n", "\x0b", "\x0c", "\r", " ", "\x85", "\xa0", "\u1680",
    "\u2000", "\u2001", "\u2002", "\u2003", "\u2004", "\u2005", "\u2006", "\u2007",
    "\u2008", "\u2009", "\u200a", "\u2028", "\u2029", "\u202f", "\u205f", "\u3000",
)  # fmt: skip


def _untrimmed(column: pl.Expr) -> pl.Expr:
    """Whether any cell is empty text or starts or ends with whitespace.

    The regex engine's `\\s` is Unicode's White_Space, the characters `str.strip_chars()`
    strips (`WHITESPACE`): one anchored search at each end of a cell, no new strings. It
    took 0.44 s on 10 M delivery ids where a search for the 25 characters anywhere, then a
    strip of the cells holding one, took 0.70 s.
    """
    return ((column.str.len_bytes() == 0) | column.str.contains(r"^\s|\s$")).any()
