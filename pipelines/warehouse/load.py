"""Land one gated file in the warehouse atomically: clean rows, quarantine, warnings, ledger.

Everything happens in one transaction: either the whole file is in (and in the ledger) or
the warehouse is exactly as it was. Frames are inserted through DuckDB's Arrow scan.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl

import pipelines
from pipelines.batch import GatedBatch
from pipelines.warehouse import ledger
from pipelines.warehouse.schema import clean_table_columns


@dataclass(frozen=True)
class Landed:
    batch_id: str
    rows_loaded: int
    rows_quarantined: int
    rows_warned: int


@contextmanager
def _registered(con: duckdb.DuckDBPyConnection, name: str, frame: pl.DataFrame) -> Iterator[str]:
    con.register(name, frame.to_arrow())
    try:
        yield name
    finally:
        con.unregister(name)


@contextmanager
def _transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    con.begin()
    try:
        yield
    except BaseException:
        con.rollback()
        raise
    con.commit()


def _upsert_clean(con: duckdb.DuckDBPyConnection, gated: GatedBatch, batch_id: str) -> None:
    """Last batch wins: rows with the incoming keys are replaced by the incoming rows."""
    source = gated.read.source
    names = [name for name, _ in clean_table_columns(source)]
    frame = gated.clean.with_columns(pl.lit(batch_id).alias("batch_id")).select(names)
    column_list = ", ".join(names)
    with _registered(con, "incoming_clean", frame) as incoming:
        con.execute(
            f"DELETE FROM {source.name} WHERE {source.key} IN (SELECT {source.key} FROM {incoming})"
        )
        con.execute(
            f"INSERT INTO {source.name} ({column_list}) SELECT {column_list} FROM {incoming}"
        )


def _insert_findings(con: duckdb.DuckDBPyConnection, gated: GatedBatch, batch_id: str) -> None:
    lineage = [pl.lit(batch_id).alias("batch_id"), pl.lit(gated.read.source.name).alias("source")]
    quarantine = gated.quarantine.select(*lineage, "row_number", "natural_key", "reasons", "record")
    warnings = gated.warnings.select(
        *lineage, "row_number", "natural_key", "column_name", "check_name", "message", "value"
    )
    with _registered(con, "incoming_quarantine", quarantine) as incoming:
        con.execute(
            "INSERT INTO quarantine (batch_id, source, row_number, natural_key, reasons, record) "
            f"SELECT batch_id, source, row_number, natural_key, reasons, record FROM {incoming}"
        )
    with _registered(con, "incoming_warnings", warnings) as incoming:
        con.execute(
            "INSERT INTO ingest_warnings (batch_id, source, row_number, natural_key, "
            "column_name, check_name, message, value) SELECT batch_id, source, row_number, "
            f"natural_key, column_name, check_name, message, value FROM {incoming}"
        )


def land_batch(
    con: duckdb.DuckDBPyConnection, gated: GatedBatch, batch_id: str, started_at: datetime
) -> Landed:
    """Write one file's rows and its ledger row in one transaction."""
    read = gated.read
    landed = Landed(
        batch_id=batch_id,
        rows_loaded=gated.clean.height,
        rows_quarantined=gated.quarantine.height,
        rows_warned=gated.rows_warned,
    )
    with _transaction(con):
        _upsert_clean(con, gated, batch_id)
        _insert_findings(con, gated, batch_id)
        ledger.record_batch(
            con,
            ledger.LedgerEntry(
                batch_id=batch_id,
                source=read.source.name,
                file_name=read.path.name,
                file_path=str(read.path),
                file_sha256=read.sha256,
                sheet=read.sheet,
                encoding=read.encoding,
                header_row=read.header_row,
                rows_read=read.rows_read,
                rows_loaded=landed.rows_loaded,
                rows_quarantined=landed.rows_quarantined,
                rows_skipped=read.rows_skipped,
                rows_warned=landed.rows_warned,
                status="loaded",
                message=None,
                started_at=started_at,
                finished_at=datetime.now(),
                code_version=pipelines.__version__,
            ),
        )
    return landed


def record_rejection(
    con: duckdb.DuckDBPyConnection,
    *,
    path: Path,
    sha256: str,
    source: str | None,
    message: str,
    started_at: datetime,
) -> str:
    """Ledger row for a file that loaded nothing; returns its batch id."""
    batch_id = ledger.new_batch_id(con, source, sha256, started_at)
    with _transaction(con):
        ledger.record_batch(
            con,
            ledger.LedgerEntry(
                batch_id=batch_id,
                source=source,
                file_name=path.name,
                file_path=str(path),
                file_sha256=sha256,
                sheet=None,
                encoding=None,
                header_row=None,
                rows_read=0,
                rows_loaded=0,
                rows_quarantined=0,
                rows_skipped=0,
                rows_warned=0,
                status="rejected",
                message=message,
                started_at=started_at,
                finished_at=datetime.now(),
                code_version=pipelines.__version__,
            ),
        )
    return batch_id
