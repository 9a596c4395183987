"""Re-map stored complaints to the taxonomy in force, from the cause text as written.

The taxonomy is user-editable: an alias added to data/reference/causes.csv must reclassify
complaints already loaded as `unmapped` (their files are not re-read: same SHA-256).
"""

from __future__ import annotations

import duckdb
import polars as pl

from pipelines.ingest.causes import map_causes


def remap_complaint_causes(con: duckdb.DuckDBPyConnection, causes: pl.DataFrame) -> int:
    """Set complaints.cause from cause_text with `causes`; returns the number of rows changed."""
    texts = con.sql("select distinct cause_text from complaints").pl()
    if texts.is_empty():
        return 0
    written = pl.col("cause_text").str.strip_chars()
    mapping = texts.with_columns(
        code=map_causes(pl.when(written != "").then(written), causes)
    )
    con.register("cause_mapping", mapping.to_arrow())
    try:
        changed = con.execute(
            """
            update complaints set cause = cause_mapping.code
            from cause_mapping
            where complaints.cause_text is not distinct from cause_mapping.cause_text
              and complaints.cause is distinct from cause_mapping.code
            """
        ).fetchone()
    finally:
        con.unregister("cause_mapping")
    return int(changed[0]) if changed else 0
