"""DDL of the warehouse's base tables: clean source tables, quarantine, warnings, ledger.

Clean table columns come from `pipelines.sources`, so the DDL can never drift from the readers.
Reference tables (causes, targets, settings) are rewritten from the user-editable files in
`data/reference/` by `pipelines.warehouse.reference`.
"""

from __future__ import annotations

import duckdb

from pipelines.sources import SOURCES, Source, clean_table_columns


def clean_table_ddl(source: Source) -> str:
    body = ",\n    ".join(
        f"{name} {sql_type}{_storage(source, name, sql_type)}"
        for name, sql_type in clean_table_columns(source)
    )
    return f"CREATE TABLE IF NOT EXISTS {source.name} (\n    {body}\n)"


def _storage(source: Source, name: str, sql_type: str) -> str:
    """How a column is stored when DuckDB's own choice costs more than it saves.

    A one-column text key holds a distinct value in every row: dictionary encoding finds
    nothing to share, and DuckDB's FSST training and encoding of 10 M delivery ids took
    1.5 s of CPU of the 2.2 s their write took (0.7 s uncompressed), for a column of 57 MB
    against 182 MB as written.
    """
    if source.key_columns == (name,) and sql_type == "VARCHAR":
        return " USING COMPRESSION uncompressed"
    return ""


LEDGER_DDL = """
CREATE TABLE IF NOT EXISTS ingest_batches (
    batch_id VARCHAR PRIMARY KEY,
    source VARCHAR,              -- NULL when a file was rejected before its source was known
    file_name VARCHAR NOT NULL,
    file_path VARCHAR,
    file_sha256 VARCHAR NOT NULL,
    sheet VARCHAR,
    encoding VARCHAR,
    header_row INTEGER,
    rows_read BIGINT NOT NULL,
    rows_loaded BIGINT NOT NULL,
    rows_quarantined BIGINT NOT NULL,
    rows_skipped BIGINT NOT NULL,
    rows_warned BIGINT NOT NULL,
    status VARCHAR NOT NULL,     -- loaded | rejected
    message VARCHAR,
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP NOT NULL,
    code_version VARCHAR,
    gate JSON                    -- the gate's verdict per expectation and the skipped rows'
                                 -- kinds, for the pack's per-file data-quality report
)
"""

QUARANTINE_DDL = """
CREATE TABLE IF NOT EXISTS quarantine (
    batch_id VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    row_number BIGINT NOT NULL,  -- the row's number in the file as a spreadsheet shows it
    natural_key VARCHAR,
    reasons VARCHAR NOT NULL,    -- '; '-joined, e.g. 'received_date: unparseable date "2024-13-45"'
    record JSON NOT NULL,        -- the raw row keyed by the file's own header names
    findings JSON                -- the reasons as facts: [{column, check, value, other,
                                 -- other_column}], check a code such as 'unparseable_date'
)
"""

WARNINGS_DDL = """
CREATE TABLE IF NOT EXISTS ingest_warnings (
    batch_id VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    row_number BIGINT,           -- NULL for file-level findings (unknown extra columns)
    natural_key VARCHAR,
    column_name VARCHAR,
    check_name VARCHAR NOT NULL, -- the expectation type, or 'unknown_columns'
    message VARCHAR NOT NULL,
    value VARCHAR,
    code VARCHAR,                -- what the message says, e.g. 'not_in_taxonomy'
    other VARCHAR,               -- the compared column's value, or the bound broken
    other_column VARCHAR         -- the compared column of a column-pair check
)
"""

# Columns added after the first release: a warehouse created before lacks them (NULL in its
# older rows, where readers fall back to the English text).
ADDED_COLUMNS = (
    ("quarantine", "findings", "JSON"),
    ("quarantine", "row_date", "DATE"),  # the row's own date where it parsed
    ("ingest_warnings", "code", "VARCHAR"),
    ("ingest_warnings", "other", "VARCHAR"),
    ("ingest_warnings", "other_column", "VARCHAR"),
    ("ingest_batches", "gate", "JSON"),
)


def create_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create every base table that does not exist yet, and add the columns an older
    warehouse lacks (idempotent)."""
    for source in SOURCES.values():
        con.execute(clean_table_ddl(source))
    con.execute(LEDGER_DDL)
    con.execute(QUARANTINE_DDL)
    con.execute(WARNINGS_DDL)
    for table, column, sql_type in ADDED_COLUMNS:
        con.execute(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {column} {sql_type}")
