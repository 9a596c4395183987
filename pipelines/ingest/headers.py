"""Find the header row and tell which source a file is, from its header names.

Aliases overlap across sources (编号, 客户, 日期, 数量), so a header is always matched
against one source at a time; a file's source is the one whose required columns all appear.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pipelines.ingest.text import header_key
from pipelines.sources import Source
from pipelines.taxonomy import without_parens


@dataclass(frozen=True)
class HeaderMatch:
    """Where a source's columns sit in one head row of a table."""

    source: Source
    row: int  # index into the table's head rows
    columns: dict[str, int]  # column name -> cell index

    @property
    def complete(self) -> bool:
        return all(c.name in self.columns for c in self.source.required)

    @property
    def missing(self) -> list[str]:
        return [c.name for c in self.source.required if c.name not in self.columns]


def match_columns(cells: Sequence[str | None], source: Source) -> dict[str, int]:
    """Column name -> index of the header cell naming it.

    Names are tried in (English name, *aliases) order, so when two headers name one
    column the earlier name wins and the other header stays an unknown column. A header
    with a unit suffix (`索赔金额(元)`) matches only when no header matches exactly.
    """
    keys = [header_key(cell) for cell in cells]
    taken: set[int] = set()
    found: dict[str, int] = {}
    for candidates in (keys, [without_parens(k) for k in keys]):
        for column in source.columns:
            if column.name in found:
                continue
            for name in (column.name, *column.aliases):
                wanted = header_key(name)
                index = next(
                    (i for i, k in enumerate(candidates) if k == wanted and i not in taken),
                    None,
                )
                if index is not None:
                    found[column.name] = index
                    taken.add(index)
                    break
    return {name: found[name] for name in source.column_names if name in found}


def find_header(head: Sequence[Sequence[str | None]], source: Source) -> HeaderMatch:
    """The first head row holding every required column, else the row closest to it."""
    best: HeaderMatch | None = None
    for row, cells in enumerate(head):
        match = HeaderMatch(source, row, match_columns(cells, source))
        if match.complete:
            return match
        if best is None or len(match.missing) < len(best.missing):
            best = match
    return best or HeaderMatch(source, 0, {})


def infer_source(
    head: Sequence[Sequence[str | None]], sources: Sequence[Source]
) -> list[HeaderMatch]:
    """The complete matches of the best-fitting sources (most matched columns first).

    One element: the source is clear. Several: a tie. None: no source fits.
    """
    complete = [m for m in (find_header(head, s) for s in sources) if m.complete]
    if not complete:
        return []
    most = max(len(m.columns) for m in complete)
    return [m for m in complete if len(m.columns) == most]


def accepted_headers(source: Source, column: str) -> str:
    col = source.column(column)
    return ", ".join((col.name, *col.aliases))
