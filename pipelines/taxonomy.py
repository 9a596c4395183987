"""The cause taxonomy's words: what a cause text is matched by, and whether a taxonomy is sound.

One rule for both: `cause_words` is what the reader maps complaint causes with
(pipelines.ingest.causes), and `taxonomy_mistake` refuses a taxonomy file in which that
mapping would be ambiguous (read_causes, before any command runs).
"""

from __future__ import annotations

import re
import unicodedata

import polars as pl

_TRAILING_PARENS = re.compile(r"\s*\([^()]*\)$")


def fold(text: str) -> str:
    """NFKC, trimmed, lower-case: the form codes and labels are compared in."""
    return unicodedata.normalize("NFKC", text).strip().lower()


def without_parens(text: str) -> str:
    """Drop a trailing parenthesised part: `仓库出货错误(错发、漏发)` -> `仓库出货错误`."""
    return _TRAILING_PARENS.sub("", text).strip()


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


def taxonomy_mistake(causes: pl.DataFrame) -> str | None:
    """What makes a taxonomy ambiguous, in one sentence, or None when it is sound.

    Every code appears once, and no word a cause text is matched by (a code, a Chinese name
    with or without its bracketed part, an English name, an alias: `cause_words`) belongs to
    two causes. A repeated code would join each complaint to two causes and count its defects
    twice in PPM; a shared word would map the text to whichever cause came first. `causes`
    holds the file's rows in order, with `line` (the line each row is on).
    """
    first_line: dict[str, int] = {}
    for code, line in causes.select("code", "line").rows():
        key = fold(code or "")
        if not key:
            return f"line {line} has no code; give every cause a code"
        if key in first_line:
            return (
                f"code {code!r} is on lines {first_line[key]} and {line}; give each cause its "
                "own code (a repeated code counts its complaints twice)"
            )
        first_line[key] = line
    owner: dict[str, tuple[str, int]] = {}
    rows = causes.select("code", "name_zh", "name_en", "aliases", "line").rows()
    for code, zh, en, aliases, line in rows:
        words = [code, zh, without_parens(fold(zh or "")), en, *(aliases or "").split("|")]
        for word in dict.fromkeys(fold(w) for w in words if w and fold(w)):
            other = owner.setdefault(word, (code, line))
            if other[0] != code:
                return (
                    f"{word!r} names both {other[0]} (line {other[1]}) and {code} (line {line}); "
                    "a code, name or alias may name one cause only"
                )
    return None
