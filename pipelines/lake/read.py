"""Read the lake as readers must: each plant's latest complete publish, at the snapshots it
recorded, never a table's newest state (which may hold half of a publish still running, or
killed midway)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import polars as pl
import pyarrow as pa
from pyiceberg.catalog.sql import SqlCatalog
from pyiceberg.exceptions import NoSuchTableError
from pyiceberg.expressions import EqualTo

from pipelines.lake.catalog import identifier
from pipelines.lake.tables import PLANT_COLUMN, PUBLISHES_TABLE


@dataclass(frozen=True)
class Publish:
    """One plant's complete publish: the snapshot of each table it wrote, and row counts."""

    plant: str
    publish_id: str
    published_at: datetime
    snapshots: dict[str, int | None]
    rows: dict[str, int]


def latest_publishes(catalog: SqlCatalog) -> dict[str, Publish]:
    """Per plant, its last publish recorded in `publishes` (by time, then id), by plant code."""
    try:
        table = catalog.load_table(identifier(PUBLISHES_TABLE))
    except NoSuchTableError:
        return {}
    frame = pl.from_arrow(table.scan().to_arrow())
    assert isinstance(frame, pl.DataFrame)
    if frame.is_empty():
        return {}
    latest = (
        frame.sort("published_at", "publish_id")
        .group_by(PLANT_COLUMN, maintain_order=True)
        .agg(pl.col("publish_id").last())
    )
    chosen = frame.join(latest, on=[PLANT_COLUMN, "publish_id"])
    found: dict[str, Publish] = {}
    for (plant,), rows in chosen.sort(PLANT_COLUMN).group_by(PLANT_COLUMN, maintain_order=True):
        found[str(plant)] = Publish(
            plant=str(plant),
            publish_id=rows["publish_id"][0],
            published_at=rows["published_at"][0],
            snapshots=dict(zip(rows["table_name"], rows["snapshot_id"], strict=True)),
            rows=dict(zip(rows["table_name"], rows["rows"], strict=True)),
        )
    return found


def plant_rows(catalog: SqlCatalog, name: str, publish: Publish) -> pa.RecordBatchReader | None:
    """The plant's rows of table `name` as its publish wrote them, streamed; None when that
    publish did not write the table (an older release) or wrote no snapshot of it."""
    snapshot = publish.snapshots.get(name)
    if snapshot is None:
        return None
    try:
        table = catalog.load_table(identifier(name))
    except NoSuchTableError:
        return None
    scan = table.scan(row_filter=EqualTo(PLANT_COLUMN, publish.plant), snapshot_id=snapshot)
    return scan.to_arrow_batch_reader()
