"""Ad-hoc read-only SQL for `aftersales sql`: only queries, on a sandboxed read-only connection.

Two fences, each enough alone: only SELECT-like statements are run, and the connection itself
(`pipelines.warehouse.reading.SANDBOX_CONFIG`) refuses files, URLs and extensions; what either
refuses is one sentence, never DuckDB's error text with its stack of context.
"""

from __future__ import annotations

import duckdb
import polars as pl

from pipelines.errors import AftersalesError, ReadOnlyViolation

READ_STATEMENTS = {duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN}
# Statements that reach past the warehouse: files, extensions, other databases, settings.
OUTSIDE_STATEMENTS = {"LOAD", "ATTACH", "DETACH", "COPY", "EXPORT", "SET", "PRAGMA", "CALL"}
OUTSIDE = (
    "`aftersales sql` only reads the warehouse's own tables and views, and this query reaches "
    "outside it ({what}); query the views (`select * from kpi_scorecard`), and load files "
    "with `aftersales ingest`."
)


def run_query(con: duckdb.DuckDBPyConnection, query: str) -> pl.DataFrame:
    """The result of one read-only query; anything that would change data is refused."""
    try:
        statements = con.extract_statements(query)
    except duckdb.Error as exc:
        raise AftersalesError(f"The query does not parse: {_first_line(exc)}") from exc
    if not statements:
        raise AftersalesError("The query is empty; give a SELECT statement.")
    if len(statements) > 1:
        raise AftersalesError(
            f"The query holds {len(statements)} statements; give one SELECT at a time."
        )
    for statement in statements:
        if statement.type not in READ_STATEMENTS:
            kind = statement.type.name
            if kind in OUTSIDE_STATEMENTS:
                raise ReadOnlyViolation(OUTSIDE.format(what=f"{_article(kind)} {kind} statement"))
            raise ReadOnlyViolation(
                "`aftersales sql` only reads the warehouse, and this query is "
                f"{_article(kind)} {kind} statement; use a SELECT (changes come from "
                "`aftersales ingest`)."
            )
    try:
        relation = con.sql(query)
        if relation is None:
            return pl.DataFrame()
        return _printable(relation).pl()
    except duckdb.Error as exc:
        raise _refusal(exc) or AftersalesError(f"The query failed: {_first_line(exc)}") from exc


def _refusal(exc: duckdb.Error) -> ReadOnlyViolation | None:
    """The sandbox's refusal of a file, URL, extension or setting, as one sentence."""
    text = _first_line(exc)
    if isinstance(exc, duckdb.PermissionException):
        # 'Permission Error: Cannot access file "/etc/passwd" - file system operations ...'
        what = text.removeprefix("Permission Error: ").split(" - ")[0].rstrip(".")
        return ReadOnlyViolation(OUTSIDE.format(what=what[:1].lower() + what[1:]))
    if "configuration has been locked" in text:
        return ReadOnlyViolation(OUTSIDE.format(what="a setting of the connection"))
    return None


def _printable(relation: duckdb.DuckDBPyRelation) -> duckdb.DuckDBPyRelation:
    """Intervals, lists, structs and maps as text, so every output format can show them."""
    textual = ("INTERVAL", "[", "STRUCT", "MAP", "UNION")
    if not any(any(mark in str(t) for mark in textual) for t in relation.types):
        return relation
    columns = ", ".join(
        f'"{name}"::VARCHAR AS "{name}"'
        if any(mark in str(t) for mark in textual)
        else f'"{name}"'
        for name, t in zip(relation.columns, relation.types, strict=True)
    )
    return relation.project(columns)


def _article(word: str) -> str:
    return "an" if word[:1].upper() in "AEIOU" else "a"


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
