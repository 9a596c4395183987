"""Land many small files of one source in one transaction, with a few statements for all.

Landing a file alone costs about fifteen statements whatever its rows (the ledger look-ups,
the key delete, the inserts, begin and commit): on 500 one-row files that was 10 s of an
ingest. Here the group's rows are stacked, each row carrying its file's batch id, and each
table gets one statement. The warehouse ends exactly as `land_batch` file after file, in
order, leaves it:

- last batch wins: a row whose key a later file of the group holds again is not written
  (file after file, the later file's delete would remove it); a key with a missing part is
  never replaced, as SQL's `IN` never matches a null;
- one delete removes the earlier rows holding any of the group's keys;
- each file keeps its own ledger row, quarantine and warnings under its own batch id, and its
  counts are those of its own gate (`rows_loaded` is what the file loaded, as file after file).

All or nothing for the group: if a statement fails the transaction is rolled back and the
caller lands the files one by one, so one file's failure stops no other. A source with
references (an action's complaint) is landed file by file: its warnings are found on the rows
as each file leaves the table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import duckdb
import polars as pl

from pipelines.batch import GatedBatch
from pipelines.sources import Source, clean_table_columns
from pipelines.warehouse import ledger
from pipelines.warehouse.load import (
    Landed,
    _is_empty,
    _registered,
    _transaction,
    loaded_entry,
)

_FILE = "__file"  # a stacked row's file: its position in the group


@dataclass(frozen=True)
class Arrival:
    """One file of a group: its verdict, the batch id it lands under, the gate's summary."""

    gated: GatedBatch
    batch_id: str
    started_at: datetime
    gate: str | None


def can_land_together(source: Source) -> bool:
    return not source.references


def _stacked_clean(arrivals: Sequence[Arrival], source: Source) -> pl.DataFrame:
    """Every file's clean rows with its batch id, without the rows a later file replaces."""
    names = [name for name, _ in clean_table_columns(source) if name != "batch_id"]
    stacked = pl.concat(
        [
            a.gated.clean.select(names).with_columns(
                pl.lit(a.batch_id, pl.Utf8).alias("batch_id"), pl.lit(i, pl.Int32).alias(_FILE)
            )
            for i, a in enumerate(arrivals)
        ],
        how="vertical",
    )
    keys = list(source.key_columns)
    whole_key = pl.all_horizontal(pl.col(k).is_not_null() for k in keys)
    last_file = pl.col(_FILE) == pl.col(_FILE).max().over(keys)
    return stacked.filter(~whole_key | last_file).drop(_FILE)


def _with_lineage(frames: Sequence[tuple[pl.DataFrame, str]], source: Source) -> pl.DataFrame:
    """Frames of findings stacked, each row with its file's batch id and the source."""
    return pl.concat(
        [
            frame.with_columns(pl.lit(batch_id, pl.Utf8).alias("batch_id"),
                               pl.lit(source.name, pl.Utf8).alias("source"))
            for frame, batch_id in frames
        ],
        how="vertical",
    )


def _insert(con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame,
            columns: Sequence[str]) -> None:
    if frame.height == 0:
        return
    names = ", ".join(columns)
    with _registered(con, f"incoming_{table}", frame) as incoming:
        con.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM {incoming}")


def land_many(con: duckdb.DuckDBPyConnection, arrivals: Sequence[Arrival]) -> list[Landed]:
    """Write the files' rows and their ledger rows in one transaction (see the module)."""
    source = arrivals[0].gated.read.source
    if any(a.gated.read.source.name != source.name for a in arrivals):
        raise ValueError("files of one source only land together")
    if not can_land_together(source):
        raise ValueError(f"{source.name} files land one by one (their references)")
    landed = [
        Landed(batch_id=a.batch_id, rows_loaded=a.gated.clean.height,
               rows_quarantined=a.gated.quarantine.height, rows_warned=a.gated.rows_warned)
        for a in arrivals
    ]
    clean = _stacked_clean(arrivals, source)
    quarantine = _with_lineage([(a.gated.quarantine, a.batch_id) for a in arrivals], source)
    warnings = _with_lineage([(a.gated.warnings, a.batch_id) for a in arrivals], source)
    with _transaction(con):
        if clean.height and not _is_empty(con, source.name):
            key = ", ".join(source.key_columns)
            with _registered(con, "incoming_keys", clean.select(source.key_columns)) as keys:
                con.execute(
                    f"DELETE FROM {source.name} WHERE ({key}) IN (SELECT {key} FROM {keys})"
                )
        _insert(con, source.name, clean, clean.columns)
        _insert(con, "quarantine", quarantine, quarantine.columns)
        _insert(con, "ingest_warnings", warnings, warnings.columns)
        ledger.record_batches(con, [loaded_entry(a.gated, d, a.started_at, a.gate)
                                    for a, d in zip(arrivals, landed, strict=True)])
    return landed
