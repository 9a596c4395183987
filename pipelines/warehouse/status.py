"""What is in the warehouse: batches per source, months covered, open quarantine."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import polars as pl

from pipelines.sql import sql


def _query(con: duckdb.DuckDBPyConnection, name: str) -> pl.DataFrame:
    return con.sql(sql(name)).pl()


@dataclass
class WarehouseStatus:
    batches: pl.DataFrame  # per source: batches_loaded, files_rejected, rows, last_loaded_at
    months: pl.DataFrame  # per source: first_month, last_month, months_with_data, rows
    open_quarantine: pl.DataFrame  # one row per quarantined row not fixed by a later batch
    storage_version: str  # e.g. "v1.4.0+": DuckDB 1.4.0 and later open the file

    @property
    def clients(self) -> str:
        """Which DuckDB clients open the file, in words (SPEC §11)."""
        oldest = self.storage_version.rstrip("+") or "?"
        return f"DuckDB {oldest.removeprefix('v')} and later (CLI, Python, JDBC, ODBC...)"


def warehouse_status(con: duckdb.DuckDBPyConnection) -> WarehouseStatus:
    return WarehouseStatus(
        batches=_query(con, "status_batches"),
        months=_query(con, "status_months"),
        open_quarantine=_query(con, "status_open_quarantine"),
        storage_version=str(_query(con, "status_storage").item() or ""),
    )
