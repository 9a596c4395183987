"""Cause text -> cause codes of the user's taxonomy (data/reference/causes.csv).

A cause matches by its code, Chinese name (with or without its parenthesised part:
`仓库出货错误(错发、漏发)` or `仓库出货错误`), English name or any alias, compared after
trimming, width folding and lower-casing. A complaint names one cause: empty -> `pending`;
anything else -> `unmapped`. A risk lists several (`risk_causes`): each piece not in the
taxonomy is reported and linked to nothing.
"""

from __future__ import annotations

import polars as pl

from pipelines.ingest.text import WHITESPACE, folded
from pipelines.taxonomy import cause_words

PENDING = "pending"
UNMAPPED = "unmapped"
# What separates the causes of a risk (full-width forms fold to these): | , ; 、 line breaks.
CAUSE_SEPARATORS = "|,;、\n\r"
UNMATCHED_CAUSES = "unmatched_causes"  # a risk's pieces not in the taxonomy, for the gate


def map_causes(text: pl.Expr, causes: pl.DataFrame) -> pl.Expr:
    """The cause code for each cause text (already trimmed, null when empty)."""
    words = cause_words(causes)
    key = folded(text)
    exact = key.replace_strict(words, default=None, return_dtype=pl.String)
    # `仓库出货错误（漏发）` names the cause even when its bracketed detail differs.
    short = key.str.replace(r"\s*\([^()]*\)$", "").replace_strict(
        words, default=None, return_dtype=pl.String
    )
    return (
        pl.when(text.is_null())
        .then(pl.lit(PENDING))
        .otherwise(pl.coalesce(exact, short, pl.lit(UNMAPPED)))
    )


def split_causes(text: pl.Expr, causes: pl.DataFrame) -> pl.Expr:
    """The causes a text lists, as written (width-folded, trimmed), in order: a list.

    A taxonomy word holding a separator (`粗糙、起毛、不平整`) is taken whole where it stands
    as a piece of its own, the longest word first; anything else splits at every separator.
    """
    separators = pl.escape_regex(CAUSE_SEPARATORS)
    whole = sorted(
        (w for w in cause_words(causes) if any(ch in w for ch in CAUSE_SEPARATORS)),
        key=len,
        reverse=True,
    )
    piece = f"[^{separators}]+"
    if whole:
        names = "|".join(pl.escape_regex(w) for w in whole)
        piece = f"(?i)(?:{names})\\s*(?:[{separators}]|$)|{piece}"
    strip = CAUSE_SEPARATORS + "".join(WHITESPACE)
    pieces = text.str.normalize("NFKC").str.extract_all(piece)
    return pieces.list.eval(
        pl.element().str.strip_chars(strip).filter(pl.element().str.strip_chars(strip) != "")
    )


def risk_causes(text: pl.Expr, causes: pl.DataFrame) -> tuple[pl.Expr, pl.Expr]:
    """(cause_codes, unmatched) for a risk's cause text: the distinct codes its pieces name,
    in order (empty list when the text is empty), and its pieces not in the taxonomy joined
    by " | " (null when there are none)."""
    pieces = split_causes(text, causes)
    code = map_causes(pl.element(), causes)
    known = pieces.list.eval(code.filter(code != UNMAPPED)).list.unique(maintain_order=True)
    joined = pieces.list.eval(pl.element().filter(code == UNMAPPED)).list.join(" | ")
    return (
        pl.when(text.is_null()).then(pl.lit([], dtype=pl.List(pl.String))).otherwise(known),
        pl.when(joined != "").then(joined),
    )

