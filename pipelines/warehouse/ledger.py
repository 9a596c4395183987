"""The batch ledger `ingest_batches`: one row per file landed or rejected."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from datetime import datetime

import duckdb

import pipelines


@dataclass
class LedgerEntry:
    """One row of `ingest_batches` (see pipelines.warehouse.schema.LEDGER_DDL); a rejected
    file keeps the defaults: nothing read from it, no sheet, encoding or header row."""

    batch_id: str
    source: str | None
    file_name: str
    file_path: str
    file_sha256: str
    status: str  # loaded | rejected
    started_at: datetime
    message: str | None = None
    sheet: str | None = None
    encoding: str | None = None
    header_row: int | None = None
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    rows_skipped: int = 0
    rows_warned: int = 0
    finished_at: datetime = field(default_factory=datetime.now)
    code_version: str | None = pipelines.__version__
    gate: str | None = None  # JSON: pipelines.quality.report.gate_summary


def record_batch(con: duckdb.DuckDBPyConnection, entry: LedgerEntry) -> None:
    names = [f.name for f in fields(LedgerEntry)]
    placeholders = ", ".join("?" for _ in names)
    con.execute(
        f"INSERT INTO ingest_batches ({', '.join(names)}) VALUES ({placeholders})",
        list(asdict(entry).values()),
    )


def loaded_batch_for(con: duckdb.DuckDBPyConnection, sha256: str) -> tuple[str, str] | None:
    """(batch_id, source) of the batch that already loaded a file with this content, if any."""
    row = con.execute(
        "SELECT batch_id, source FROM ingest_batches WHERE file_sha256 = ? AND status = 'loaded' "
        "ORDER BY started_at LIMIT 1",
        [sha256],
    ).fetchone()
    return (row[0], row[1]) if row else None


def loaded_hashes(con: duckdb.DuckDBPyConnection) -> set[str]:
    rows = con.execute(
        "SELECT DISTINCT file_sha256 FROM ingest_batches WHERE status = 'loaded'"
    ).fetchall()
    return {r[0] for r in rows}


def new_batch_id(
    con: duckdb.DuckDBPyConnection, source: str | None, sha256: str, started_at: datetime
) -> str:
    """`<source>-<YYYYmmddTHHMMSS>-<sha8>`, with a counter if that exact id exists."""
    base = f"{source or 'unknown'}-{started_at:%Y%m%dT%H%M%S}-{sha256[:8]}"
    taken = {
        r[0]
        for r in con.execute(
            "SELECT batch_id FROM ingest_batches WHERE batch_id LIKE ? || '%'", [base]
        ).fetchall()
    }
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate
