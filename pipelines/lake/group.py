"""Build the group warehouse: one DuckDB file from the lake's latest complete publishes.

`main` holds every plant's rows (with `plant`) and the views of SPEC §4, §5 and §8 over all of
them as one company, with the group's own targets and settings (`data/reference` of the folder
the command runs in); each plant's own views live in its schema (`pipelines.lake.plants`) and
`kpi_scorecard_by_plant` stacks them. The file is built beside the target and moved into place
when complete, so a reader of the group warehouse never sees half of one.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa

from pipelines.lake.catalog import LakeError, LakeLocation, check_plant, open_catalog
from pipelines.lake.plants import create_by_plant_views, create_plant_schema
from pipelines.lake.read import Publish, latest_publishes, plant_rows
from pipelines.lake.tables import LEDGER_TABLE, PLANT_COLUMN, PUBLISHES_TABLE, REFERENCE_TABLES
from pipelines.settings import Settings
from pipelines.sources import SOURCES, clean_table_columns
from pipelines.warehouse.reference import (
    reference_fingerprint,
    store_fingerprint,
    write_reference_tables,
)
from pipelines.warehouse.schema import create_tables
from pipelines.warehouse.views import apply_views
from pipelines.warehouse.writing import storage_config

# The group's table of the publishes it was built from: plant, publish id and time, rows.
GROUP_PUBLISHES = "group_publishes"
ID_SEPARATOR = "/"


@dataclass(frozen=True)
class GroupBuilt:
    warehouse: Path
    publishes: dict[str, Publish]


def _insert(con: duckdb.DuckDBPyConnection, table: str, reader: pa.RecordBatchReader) -> None:
    con.register("_lake_rows", reader)
    try:
        con.execute(f"insert into {table} by name select * from _lake_rows")
    finally:
        con.unregister("_lake_rows")


def _load_sources(con, catalog, publishes: dict[str, Publish]) -> None:
    """Every source's table with `plant` first and the product's column types, all plants."""
    for source in SOURCES.values():
        columns = [(PLANT_COLUMN, "VARCHAR"), *clean_table_columns(source)]
        body = ", ".join(f"{name} {sql_type}" for name, sql_type in columns)
        con.execute(f"create table {source.name} ({body})")
        for publish in publishes.values():
            reader = plant_rows(catalog, source.name, publish)
            if reader is not None:
                _insert(con, source.name, reader)


def _load_ledger(con, catalog, publishes: dict[str, Publish]) -> None:
    """The plants' ledgers stacked in one `ingest_batches` (its columns as the lake has them)."""
    readers = [r for p in publishes.values() if (r := plant_rows(catalog, LEDGER_TABLE, p))]
    if not readers:
        create_tables(con)  # the product's empty ledger, plus a plant column
        con.execute(f"alter table {LEDGER_TABLE} add column {PLANT_COLUMN} varchar")
        return
    con.register("_lake_rows", readers[0])
    try:
        con.execute(f"create table {LEDGER_TABLE} as select * from _lake_rows")
    finally:
        con.unregister("_lake_rows")
    for reader in readers[1:]:
        _insert(con, LEDGER_TABLE, reader)


def qualify_references(con: duckdb.DuckDBPyConnection) -> None:
    """Prefix every id another source refers to (a complaint's `complaint_id`, in complaints
    and wherever a column of that name links to one) with its plant, `SH01/C-0001`: two plants
    both numbering from C-0001 then never link an action to the other plant's complaint."""
    for source in SOURCES.values():
        for reference in source.references:
            key = SOURCES[reference.source].key
            assert isinstance(key, str), "a referenced source has a one-column key"
            for table in SOURCES.values():
                if key in {c.name for c in table.columns}:
                    con.execute(
                        f"update {table.name} set {key} = {PLANT_COLUMN} || '{ID_SEPARATOR}' "
                        f"|| {key} where nullif(trim({key}), '') is not null"
                    )


def _record_publishes(con: duckdb.DuckDBPyConnection, publishes: dict[str, Publish]) -> None:
    rows = [
        (p.plant, p.publish_id, p.published_at, table, p.snapshots[table], p.rows[table])
        for p in publishes.values()
        for table in p.snapshots
    ]
    con.execute(
        f"create table {GROUP_PUBLISHES} (plant varchar, publish_id varchar, "
        "published_at timestamp, table_name varchar, snapshot_id bigint, rows bigint)"
    )
    if rows:
        con.executemany(f"insert into {GROUP_PUBLISHES} values (?, ?, ?, ?, ?, ?)", rows)


def _fill(con, catalog, settings: Settings, publishes: dict[str, Publish], step) -> None:
    step("plants' rows")
    _load_sources(con, catalog, publishes)
    _load_ledger(con, catalog, publishes)
    qualify_references(con)
    create_tables(con)  # the product's other base tables (quarantine, warnings), empty
    step("group views")
    write_reference_tables(con, settings)
    apply_views(con)
    store_fingerprint(con, reference_fingerprint(settings))
    for plant, publish in publishes.items():
        step(f"views of plant {plant}")
        references = {t: plant_rows(catalog, t, publish) for t in REFERENCE_TABLES}
        create_plant_schema(con, plant, references)
    create_by_plant_views(con, list(publishes))
    _record_publishes(con, publishes)


def build_group(
    settings: Settings,
    location: LakeLocation,
    target: Path,
    progress: Callable[[str], None] | None = None,
) -> GroupBuilt:
    """Write the group warehouse `target` from the lake's latest complete publishes."""
    catalog = open_catalog(location, create=False)
    publishes = latest_publishes(catalog)
    if not publishes:
        raise LakeError(
            f"The lake {location.shown} holds no complete publish (no rows in its "
            f"{PUBLISHES_TABLE} table); run `aftersales publish --lake LAKE --plant CODE` first."
        )
    for plant in publishes:
        check_plant(plant)
    target = target.expanduser().resolve()
    building = target.with_name(target.name + ".building")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        for leftover in (building, building.with_name(building.name + ".wal")):
            leftover.unlink(missing_ok=True)
    except OSError as exc:
        raise LakeError(
            f"The group warehouse {target} cannot be written ({exc.strerror}); choose a "
            "folder you can write to with --warehouse."
        ) from None
    # the group warehouse opens in the same DuckDB clients as a plant's (SPEC §11)
    con = duckdb.connect(str(building), config=storage_config(settings))
    try:
        _fill(con, catalog, settings, publishes, progress or (lambda _: None))
        con.execute("checkpoint")
    except BaseException:
        con.close()
        building.unlink(missing_ok=True)
        raise
    con.close()
    target.with_name(target.name + ".wal").unlink(missing_ok=True)
    os.replace(building, target)
    return GroupBuilt(target, publishes)
