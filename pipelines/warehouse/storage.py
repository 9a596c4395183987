"""The warehouse file's storage format (SPEC §11): the one `[settings] storage_version` names.

DuckDB decides a file's format when it creates it and keeps it for good, so a file written in
another format (DuckDB 2's own, by an earlier release of the product) is rewritten once, at
the next write: copied whole into a new file of the setting's format beside it, which then
replaces it. `latest` keeps whatever format a file has.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb


def storage_tag(con: duckdb.DuckDBPyConnection) -> str:
    """The open database's format as DuckDB names it, e.g. 'v1.4.0+'."""
    return con.execute(
        "select tags['storage_version'] from duckdb_databases() "
        "where database_name = current_database()"
    ).fetchone()[0] or ""


def needs_rewrite(con: duckdb.DuckDBPyConnection, storage_version: str) -> bool:
    return storage_version != "latest" and storage_tag(con) != f"{storage_version}+"


def _quoted(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def rewrite_in_format(
    con: duckdb.DuckDBPyConnection, warehouse: Path, storage_version: str
) -> None:
    """Copy the database `con` holds into `storage_version`'s format and put the copy in
    place of `warehouse`; `con` is closed. Called under the writer lock, so nothing else
    writes meanwhile; a failure leaves the original file as it was."""
    converted = warehouse.with_name(f".{warehouse.name}.{storage_version}.converting")
    converted.unlink(missing_ok=True)
    try:
        con.execute("checkpoint")  # the WAL folded in, so the file alone is the database
        con.execute(
            f"attach {_quoted(converted)} as converted (storage_version '{storage_version}')"
        )
        name = con.execute("select current_database()").fetchone()[0].replace('"', '""')
        con.execute(f'copy from database "{name}" to converted')
        con.execute("detach converted")
    except BaseException:
        con.close()
        converted.unlink(missing_ok=True)
        raise
    con.close()
    os.replace(converted, warehouse)
