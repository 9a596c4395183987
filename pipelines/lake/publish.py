"""Publish one plant's warehouse to the lake: every table replaced for that plant only.

Each table is one Iceberg commit (delete the plant's partition, append its rows streamed from
DuckDB in Arrow batches), retried from a fresh read when another plant's commit won the race.
The `publishes` table is written last: its rows name the snapshot each table commit made, so
readers (`pipelines.lake.read`) only ever see whole publishes, and a publish killed midway
leaves the last complete one readable.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import uuid4

import duckdb
import pyarrow as pa
from pyiceberg.catalog.sql import SqlCatalog
from pyiceberg.expressions import EqualTo

from pipelines.lake.catalog import LakeError, LakeLocation, check_plant, open_catalog, with_retries
from pipelines.lake.tables import (
    PLANT_COLUMN,
    PUBLISHED_TABLES,
    PUBLISHES_SCHEMA,
    PUBLISHES_TABLE,
    conform,
    new_columns,
    plant_table,
)
from pipelines.settings import Settings
from pipelines.warehouse.reading import connect_for_reading

BATCH_ROWS = 100_000  # rows per Arrow batch read from DuckDB
FILE_ROWS = 500_000  # rows per append (one set of Parquet files) inside a table's commit

# Told after each chunk of a table and once when the table is committed:
# (table, rows so far, committed).
Progress = Callable[[str, int, bool], None]


@dataclass(frozen=True)
class TableWritten:
    name: str
    snapshot_id: int | None
    rows: int


@dataclass(frozen=True)
class Published:
    plant: str
    publish_id: str
    published_at: datetime
    tables: tuple[TableWritten, ...]


def _check_tables(con: duckdb.DuckDBPyConnection, settings: Settings) -> None:
    present = {row[0] for row in con.execute("select table_name from duckdb_tables()").fetchall()}
    missing = [name for name in PUBLISHED_TABLES if name not in present]
    if missing:
        raise LakeError(
            f"The warehouse {settings.warehouse} has no table {', '.join(missing)}; run "
            "`aftersales report` once (it writes the reference tables), then publish again."
        )


def _chunks(reader: pa.RecordBatchReader, target: pa.Schema) -> Iterator[pa.Table]:
    """The reader's rows fitted to the lake table's schema, FILE_ROWS at a time."""
    pending: list[pa.RecordBatch] = []
    size = 0
    for batch in reader:
        pending.append(conform(batch, target))
        size += batch.num_rows
        if size >= FILE_ROWS:
            yield pa.Table.from_batches(pending, schema=target)
            pending, size = [], 0
    if pending:
        yield pa.Table.from_batches(pending, schema=target)


def write_plant_table(
    catalog: SqlCatalog,
    con: duckdb.DuckDBPyConnection,
    name: str,
    plant: str,
    progress: Progress | None = None,
) -> TableWritten:
    """Replace the plant's rows of one lake table with the warehouse's, in one commit."""
    query = f"select ?::varchar as {PLANT_COLUMN}, * from {name}"

    def attempt() -> TableWritten:
        reader = con.sql(query, params=[plant]).to_arrow_reader(BATCH_ROWS)
        table = plant_table(catalog, name, reader.schema)
        rows = 0
        with table.transaction() as tx:
            if new_columns(tx.table_metadata.schema(), reader.schema):
                with tx.update_schema() as update:
                    update.union_by_name(reader.schema)
            target = tx.table_metadata.schema().as_arrow()
            with warnings.catch_warnings():
                # a plant's first publish deletes nothing: pyiceberg warns, we expect it
                warnings.simplefilter("ignore", UserWarning)
                tx.delete(EqualTo(PLANT_COLUMN, plant))
            for chunk in _chunks(reader, target):
                tx.append(chunk)
                rows += chunk.num_rows
                if progress:
                    progress(name, rows, False)
        snapshot = table.current_snapshot()
        return TableWritten(name, snapshot.snapshot_id if snapshot else None, rows)

    written = with_retries(attempt, f"publishing {name} of plant {plant}")
    if progress:
        progress(name, written.rows, True)
    return written


def record_publish(catalog: SqlCatalog, published: Published) -> None:
    """Append the publish's rows to `publishes`: the commit that makes it visible."""
    rows = pa.Table.from_pylist(
        [
            {
                PLANT_COLUMN: published.plant,
                "publish_id": published.publish_id,
                "published_at": published.published_at,
                "table_name": t.name,
                "snapshot_id": t.snapshot_id,
                "rows": t.rows,
            }
            for t in published.tables
        ],
        schema=PUBLISHES_SCHEMA,
    )

    def attempt() -> None:
        table = plant_table(catalog, PUBLISHES_TABLE, PUBLISHES_SCHEMA)
        table.append(rows.cast(table.schema().as_arrow()))

    with_retries(attempt, f"recording the publish of plant {published.plant}")


def publish(
    settings: Settings, location: LakeLocation, plant: str, progress: Progress | None = None
) -> Published:
    """Publish the plant's clean tables, ledger and reference tables in force to the lake.

    The warehouse is only read (a read-only connection held for the whole publish, so every
    table comes from the same state of the plant).
    """
    check_plant(plant)
    catalog = open_catalog(location, create=True)
    publish_id = uuid4().hex
    published_at = datetime.now(UTC).replace(tzinfo=None)
    with connect_for_reading(settings) as con:
        _check_tables(con, settings)
        tables = tuple(
            write_plant_table(catalog, con, name, plant, progress) for name in PUBLISHED_TABLES
        )
    published = Published(plant, publish_id, published_at, tables)
    record_publish(catalog, published)
    return published
