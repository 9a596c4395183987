"""Columns naming a row of another source (an action's complaint_id), checked as a file lands.

The rows named are in the warehouse, not in the file, so the check runs inside the landing
transaction, not in the quality gate: a value no loaded row has is a warning on the row, which
loads (the row it names may arrive in a later file).
"""

from __future__ import annotations

import duckdb
import polars as pl

from pipelines.quality.gate import WARNING_COLUMNS
from pipelines.sources import Reference, Source, get_source

CHECK_NAME = "reference_exists"


def _unknown_sql(source: Source, reference: Reference) -> str:
    """The batch's clean rows whose `reference.column` is the key of no loaded row."""
    (target_key,) = get_source(reference.source).key_columns
    column = f"r.{reference.column}"
    message = (
        f"'{reference.column}: \"' || {column} || '\" is the key of no loaded "
        f"{reference.source} row (it may arrive in a later file)'"
    )
    return f"""
        select
            r.source_row as row_number,
            {source.natural_key_sql("r")} as natural_key,
            '{reference.column}' as column_name,
            '{CHECK_NAME}' as check_name,
            {message} as message,
            {column}::varchar as value,
            '{reference.code}' as code,
            null::varchar as other,
            null::varchar as other_column
        from {source.name} as r
        where r.batch_id = ?
            and {column} is not null
            and not exists (
                select 1 from {reference.source} as t where t.{target_key} = {column}
            )
        order by r.source_row
    """


def unknown_references(
    con: duckdb.DuckDBPyConnection, source: Source, batch_id: str
) -> pl.DataFrame:
    """Warnings (the gate's warning columns) for the rows of batch `batch_id`, already in the
    clean table, whose references name no loaded row."""
    frames = [
        con.sql(_unknown_sql(source, reference), params=[batch_id]).pl()
        for reference in source.references
    ]
    schema = {name: pl.Int64 if name == "row_number" else pl.Utf8 for name in WARNING_COLUMNS}
    return pl.concat(
        [pl.DataFrame(schema=schema), *(f.select(WARNING_COLUMNS).cast(schema) for f in frames)],
        how="vertical",
    )
