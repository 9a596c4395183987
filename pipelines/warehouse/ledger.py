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
    record_batches(con, [entry])


def record_batches(con: duckdb.DuckDBPyConnection, entries: list[LedgerEntry]) -> None:
    """The entries' rows in one statement, as one list of structs: a group of small files
    costs one insert (250 rows: 0.04 s, against 0.6 s as 250 parameter sets)."""
    if not entries:
        return
    columns = ", ".join(f.name for f in fields(LedgerEntry))
    con.execute(
        f"INSERT INTO ingest_batches ({columns}) "
        f"SELECT {columns} FROM (SELECT unnest(?, max_depth := 2))",
        [[asdict(e) for e in entries]],
    )


def loaded_batch_for(con: duckdb.DuckDBPyConnection, sha256: str) -> tuple[str, str] | None:
    """(batch_id, source) of the batch that already loaded a file with this content, if any."""
    return loaded_batches_for(con, [sha256]).get(sha256)


def loaded_hashes(con: duckdb.DuckDBPyConnection) -> set[str]:
    rows = con.execute(
        "SELECT DISTINCT file_sha256 FROM ingest_batches WHERE status = 'loaded'"
    ).fetchall()
    return {r[0] for r in rows}


def loaded_batches_for(con: duckdb.DuckDBPyConnection, hashes: list[str]
                       ) -> dict[str, tuple[str, str]]:
    """For each hash a batch loaded, that batch (the first to load it): {sha256: (batch_id,
    source)}, in one query for a group of files."""
    rows = con.execute(
        "SELECT file_sha256, arg_min(batch_id, started_at), arg_min(source, started_at) "
        "FROM ingest_batches WHERE status = 'loaded' AND file_sha256 IN (SELECT unnest(?)) "
        "GROUP BY file_sha256",
        [hashes],
    ).fetchall()
    return {sha: (batch_id, source) for sha, batch_id, source in rows}


def _batch_id_base(source: str | None, sha256: str, started_at: datetime) -> str:
    return f"{source or 'unknown'}-{started_at:%Y%m%dT%H%M%S}-{sha256[:8]}"


def new_batch_ids(
    con: duckdb.DuckDBPyConnection, files: list[tuple[str | None, str, datetime]]
) -> list[str]:
    """`new_batch_id` of each (source, sha256, started_at), in one query, distinct from each
    other as well as from the ledger's."""
    bases = [_batch_id_base(*file) for file in files]
    taken = {
        r[0]
        for r in con.execute(
            "SELECT DISTINCT b.batch_id FROM ingest_batches AS b, (SELECT unnest(?) AS base) "
            "WHERE starts_with(b.batch_id, base)",
            [sorted(set(bases))],
        ).fetchall()
    }
    ids: list[str] = []
    for base in bases:
        candidate, n = base, 1
        while candidate in taken:
            n += 1
            candidate = f"{base}-{n}"
        taken.add(candidate)
        ids.append(candidate)
    return ids


def new_batch_id(
    con: duckdb.DuckDBPyConnection, source: str | None, sha256: str, started_at: datetime
) -> str:
    """`<source>-<YYYYmmddTHHMMSS>-<sha8>`, with a counter if that exact id exists."""
    return new_batch_ids(con, [(source, sha256, started_at)])[0]
