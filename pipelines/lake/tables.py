"""The lake's Iceberg tables: which a plant publishes, how each is created (a `plant` column,
identity-partitioned by plant), and how an Arrow batch is fitted to a table's schema.
"""

from __future__ import annotations

import pyarrow as pa
from pyiceberg.catalog import Catalog
from pyiceberg.catalog.sql import SqlCatalog
from pyiceberg.partitioning import PartitionField, PartitionSpec
from pyiceberg.schema import Schema, assign_fresh_schema_ids
from pyiceberg.table import Table
from pyiceberg.transforms import IdentityTransform

from pipelines.lake.catalog import identifier
from pipelines.sources import SOURCES

PLANT_COLUMN = "plant"
LEDGER_TABLE = "ingest_batches"
# The reference tables in force in a plant's warehouse (pipelines.warehouse.reference): they
# travel with the plant's rows, so the group can compute each plant's scorecard with that
# plant's own targets and settings.
REFERENCE_TABLES: tuple[str, ...] = (
    "causes",
    "kpi_definitions",
    "kpi_targets",
    "kpi_settings",
    "action_step_days",
)
DATA_TABLES: tuple[str, ...] = (*SOURCES, LEDGER_TABLE)
PUBLISHED_TABLES: tuple[str, ...] = (*DATA_TABLES, *REFERENCE_TABLES)
PUBLISHES_TABLE = "publishes"

PUBLISHES_SCHEMA = pa.schema(
    [
        (PLANT_COLUMN, pa.string()),
        ("publish_id", pa.string()),
        ("published_at", pa.timestamp("us")),  # UTC
        ("table_name", pa.string()),
        ("snapshot_id", pa.int64()),  # NULL: the table had no snapshot and the plant no rows
        ("rows", pa.int64()),
    ]
)


def iceberg_schema(arrow_schema: pa.Schema) -> Schema:
    """pyiceberg's own Arrow → Iceberg conversion, with field ids assigned from 1."""
    return assign_fresh_schema_ids(Catalog._convert_schema_if_needed(arrow_schema))


def plant_table(catalog: SqlCatalog, name: str, arrow_schema: pa.Schema) -> Table:
    """The lake table `name`, created with `arrow_schema` and partitioned by plant when new."""
    schema = iceberg_schema(arrow_schema)
    spec = PartitionSpec(
        PartitionField(
            source_id=schema.find_field(PLANT_COLUMN).field_id,
            field_id=1000,
            transform=IdentityTransform(),
            name=PLANT_COLUMN,
        )
    )
    return catalog.create_table_if_not_exists(identifier(name), schema=schema, partition_spec=spec)


def new_columns(table_schema: Schema, arrow_schema: pa.Schema) -> bool:
    """Whether the plant's table has columns the lake's does not (a newer release of the
    product added one): the lake's schema is then widened, by name."""
    known = {field.name for field in table_schema.fields}
    return any(name not in known for name in arrow_schema.names)


def conform(batch: pa.RecordBatch, target: pa.Schema) -> pa.RecordBatch:
    """The batch with the target's columns in its order and types; a column the plant lacks
    (an older release) is NULL."""
    columns = []
    for field in target:
        if field.name in batch.schema.names:
            columns.append(batch.column(field.name).cast(field.type))
        else:
            columns.append(pa.nulls(batch.num_rows, field.type))
    return pa.RecordBatch.from_arrays(columns, schema=target)
