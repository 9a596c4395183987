"""Re-map stored rows to the taxonomy in force, from the cause text as written.

The taxonomy is user-editable: an alias added to data/reference/causes.csv must reclassify
complaints already loaded as `unmapped`, and link risks to the causes their text names (their
files are not re-read: same SHA-256).
"""

from __future__ import annotations

import duckdb
import polars as pl

from pipelines.ingest.causes import map_causes, risk_causes


def _remap(
    con: duckdb.DuckDBPyConnection, table: str, text: str, target: str, mapping: pl.DataFrame
) -> int:
    """Set `table.target` from `mapping` (text -> code) where it differs; rows changed."""
    con.register("cause_mapping", mapping.to_arrow())
    try:
        changed = con.execute(
            f"""
            update {table} set {target} = cause_mapping.code
            from cause_mapping
            where {table}.{text} is not distinct from cause_mapping.{text}
              and {table}.{target} is distinct from cause_mapping.code
            """
        ).fetchone()
    finally:
        con.unregister("cause_mapping")
    return int(changed[0]) if changed else 0


def remap_complaint_causes(con: duckdb.DuckDBPyConnection, causes: pl.DataFrame) -> int:
    """Set complaints.cause from cause_text with `causes`; returns the number of rows changed."""
    texts = con.sql("select distinct cause_text from complaints").pl()
    if texts.is_empty():
        return 0
    written = pl.col("cause_text").str.strip_chars()
    mapping = texts.with_columns(
        code=map_causes(pl.when(written != "").then(written), causes)
    )
    return _remap(con, "complaints", "cause_text", "cause", mapping)


def remap_risk_causes(con: duckdb.DuckDBPyConnection, causes: pl.DataFrame) -> int:
    """Set risks.cause_codes from causes with `causes`; returns the number of rows changed."""
    texts = con.sql("select distinct causes from risks").pl()
    if texts.is_empty():
        return 0
    codes, _ = risk_causes(pl.col("causes"), causes)
    return _remap(con, "risks", "causes", "cause_codes", texts.with_columns(code=codes))
