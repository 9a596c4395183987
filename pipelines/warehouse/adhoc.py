"""Ad-hoc read-only SQL for `aftersales sql`: only queries, on a read-only connection."""

from __future__ import annotations

import duckdb
import polars as pl

from pipelines.errors import AftersalesError, ReadOnlyViolation

READ_STATEMENTS = {duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN}


def run_query(con: duckdb.DuckDBPyConnection, query: str) -> pl.DataFrame:
    """The result of one read-only query; anything that would change data is refused."""
    try:
        statements = con.extract_statements(query)
    except duckdb.Error as exc:
        raise AftersalesError(f"The query does not parse: {_first_line(exc)}") from exc
    if not statements:
        raise AftersalesError("The query is empty; give a SELECT statement.")
    for statement in statements:
        if statement.type not in READ_STATEMENTS:
            kind = statement.type.name
            raise ReadOnlyViolation(
                f"`aftersales sql` only reads the warehouse, and this query is a {kind} "
                "statement; use a SELECT (changes come from `aftersales ingest`)."
            )
    try:
        relation = con.sql(query)
    except duckdb.Error as exc:
        raise AftersalesError(f"The query failed: {_first_line(exc)}") from exc
    if relation is None:
        return pl.DataFrame()
    try:
        return relation.pl()
    except duckdb.Error as exc:
        raise AftersalesError(f"The query failed: {_first_line(exc)}") from exc


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
