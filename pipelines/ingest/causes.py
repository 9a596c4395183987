"""A complaint's cause text -> a cause code of the user's taxonomy (data/reference/causes.csv).

A cause matches by its code, Chinese name (with or without its parenthesised part:
`仓库出货错误(错发、漏发)` or `仓库出货错误`), English name or any alias, compared after
trimming, width folding and lower-casing. Empty -> `pending`; anything else -> `unmapped`.
"""

from __future__ import annotations

import polars as pl

from pipelines.ingest.text import fold, folded, without_parens

PENDING = "pending"
UNMAPPED = "unmapped"


def cause_words(causes: pl.DataFrame) -> dict[str, str]:
    """Folded word -> cause code; codes first, then names, then aliases, in taxonomy order."""
    ordered = causes.sort("sort_order") if "sort_order" in causes.columns else causes
    rows = ordered.select("code", "name_zh", "name_en", "aliases").rows()
    tiers: list[list[tuple[str | None, str]]] = [[], [], [], []]
    for code, zh, en, aliases in rows:
        tiers[0].append((code, code))
        tiers[1] += [(zh, code), (without_parens(fold(zh or "")), code)]
        tiers[2].append((en, code))
        tiers[3] += [(alias, code) for alias in (aliases or "").split("|")]
    words: dict[str, str] = {}
    for tier in tiers:
        for word, code in tier:
            if word and fold(word):
                words.setdefault(fold(word), code)
    return words


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
