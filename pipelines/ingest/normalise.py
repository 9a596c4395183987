"""Trimmed text cells -> the typed frame of a ReadBatch (values, `__invalid` texts, defaults).

Parsing runs in two passes over all columns at once: the fast canonical parsers first,
then the full parsers only for columns where the fast pass left cells it could not read.
"""

from __future__ import annotations

from functools import partial

import polars as pl

from pipelines.ingest.causes import UNMATCHED_CAUSES, map_causes, risk_causes
from pipelines.ingest.coded import decoded, is_coded, per_text
from pipelines.ingest.defaults import apply_defaults
from pipelines.ingest.values import has_fast_parse, parse_fast, parse_full, typed
from pipelines.sources import Column, Kind, Source


def invalid_name(name: str) -> str:
    return f"{name}__invalid"


def parse_complete_columns(
    cells: pl.DataFrame, source: Source, columns: dict[str, str]
) -> tuple[pl.DataFrame, set[str]]:
    """Fast-parse the typed columns on the cells as read; keep those parsed completely.

    A column every non-empty cell of which is in canonical form (the common case for
    machine exports) has nothing to trim and no unparseable text: it is parsed once, here,
    and neither trimmed nor parsed again. A dictionary-coded column (`coded`) is parsed
    once per distinct text. Returns `cells` with those columns added under their source
    names, and the set of those names; the coded columns not parsed completely come back
    as plain text, for the full parsers.
    """
    fast = [c for c in source.columns if c.name in columns and has_fast_parse(c)]
    if not fast or cells.height == 0:
        return decoded(cells), set()
    plain = [c for c in fast if not is_coded(cells[columns[c.name]])]
    coded = {
        c.name: per_text(cells[columns[c.name]], partial(parse_fast, c))
        for c in fast
        if c not in plain
    }
    parsed = cells.with_columns(
        *(parse_fast(c, pl.col(columns[c.name])).alias(c.name) for c in plain),
        *(expr.alias(name) for name, (expr, _) in coded.items()),
    )
    unread = {name: texts_unread for name, (_, texts_unread) in coded.items()}
    if plain:
        unread |= parsed.select(
            (pl.col(columns[c.name]).is_not_null() & pl.col(c.name).is_null()).sum().alias(c.name)
            for c in plain
        ).row(0, named=True)
    complete = {c.name for c in fast if unread[c.name] == 0}
    parsed = parsed.drop(c.name for c in fast if c.name not in complete)
    done = {columns[name] for name in complete}
    return decoded(parsed, [n for n in cells.columns if n not in done]), complete


def normalise(
    cells: pl.DataFrame,
    source: Source,
    columns: dict[str, str],
    *,
    causes: pl.DataFrame,
    complete: set[str] = frozenset(),
) -> pl.DataFrame:
    """The typed frame for `cells` (trimmed text, null when empty, plus `source_row`).

    `columns` maps a source column to the cell column holding it; absent optional columns
    come out all-null. Columns named in `complete` are already parsed in `cells`
    (see `parse_complete_columns`).
    """
    text_of = {
        c.name: (
            pl.col(columns[c.name]) if c.name in columns else pl.lit(None, dtype=pl.String)
        ).alias(_text(c.name))
        for c in source.columns
    }
    texts = cells.select(*text_of.values(), *sorted(complete), "source_row")
    parsed = [c for c in source.columns if c.kind is not Kind.TEXT]
    pending = [c for c in parsed if c.name not in complete]

    fast = {c.name: parse_fast(c, pl.col(_text(c.name))) for c in pending}
    first = texts.with_columns(
        (fast[c.name] if fast[c.name] is not None else pl.lit(None, dtype=typed(c))).alias(c.name)
        for c in pending
    )
    unread = first.select(
        (_failed(c.name) if fast[c.name] is not None else pl.col(_text(c.name)).is_not_null())
        .sum()
        .alias(c.name)
        for c in pending
    )
    redo = [c for c in pending if unread.height and unread[c.name][0]]
    second = first.with_columns(_full(c, fast[c.name] is not None) for c in redo)

    result = second.with_columns(
        *(pl.col(_text(c.name)).alias(c.name) for c in source.columns if c.kind is Kind.TEXT),
        *(
            (
                pl.lit(None, dtype=pl.String)
                if c.name in complete
                else pl.when(_failed(c.name)).then(pl.col(_text(c.name)))
            ).alias(invalid_name(c.name))
            for c in parsed
        ),
    )
    derived = _cause_columns(source, causes)
    result = result.with_columns(expr.alias(name) for name, expr in derived.items())
    extras = [name for name in derived if name not in source.column_names]
    result = result.select(
        *source.column_names,
        *extras,
        "source_row",
        *(invalid_name(c.name) for c in parsed),
    )
    return apply_defaults(result, source)


def _cause_columns(source: Source, causes: pl.DataFrame) -> dict[str, pl.Expr]:
    """Columns derived from the cause text as written: a complaint's `cause` code (the text
    kept as `cause_text`), a risk's `cause_codes` and its pieces not in the taxonomy."""
    if source.name == "complaints":
        written = pl.col(_text("cause"))
        return {"cause_text": written, "cause": map_causes(written, causes)}
    if source.name == "risks":
        codes, unmatched = risk_causes(pl.col(_text("causes")), causes)
        return {"cause_codes": codes, UNMATCHED_CAUSES: unmatched}
    return {}


def _text(name: str) -> str:
    return f"{name}__text"


def _failed(name: str) -> pl.Expr:
    return pl.col(_text(name)).is_not_null() & pl.col(name).is_null()


def _full(column: Column, has_fast: bool) -> pl.Expr:
    full = parse_full(column, pl.col(_text(column.name))).cast(typed(column), strict=False)
    if has_fast:
        full = pl.coalesce(pl.col(column.name), full)
    return full.alias(column.name)
