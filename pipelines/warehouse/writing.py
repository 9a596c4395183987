"""Writing connections to the warehouse file: one writer at a time.

Writers take an OS-level lock file beside the warehouse (`<warehouse>.lock`), released by the
operating system if the process dies, so a crashed writer never leaves a stale lock; readers
(`pipelines.warehouse.reading`) never take it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
from filelock import FileLock, Timeout

from pipelines.errors import WarehouseBusy
from pipelines.settings import Settings
from pipelines.warehouse.reading import open_retrying
from pipelines.warehouse.schema import create_tables


def storage_config(settings: Settings) -> dict[str, str | bool]:
    """DuckDB's setting for the storage format of a file it creates (SPEC §11).

    It decides the format only when the file is new; an existing file keeps its own.
    """
    return {"storage_compatibility_version": settings.storage_version}


def lock_path(warehouse: Path) -> Path:
    return warehouse.with_name(warehouse.name + ".lock")


@contextmanager
def writer_lock(settings: Settings) -> Iterator[None]:
    """Hold the warehouse's writer lock, waiting at most `lock_timeout_seconds`."""
    settings.warehouse.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(lock_path(settings.warehouse)), timeout=settings.lock_timeout_seconds)
    try:
        lock.acquire()
    except Timeout:
        raise WarehouseBusy(
            f"Another ingest is writing to the warehouse {settings.warehouse} and did not "
            f"finish within {settings.lock_timeout_seconds:g} s; run the command again when "
            "it is done."
        ) from None
    try:
        yield
    finally:
        lock.release()


@contextmanager
def connect_for_writing(settings: Settings) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-write connection under the writer lock, base tables created; closed on exit."""
    with writer_lock(settings):
        con = open_retrying(
            settings.warehouse,
            read_only=False,
            wait_seconds=settings.lock_timeout_seconds,
            config=storage_config(settings),
        )
        try:
            create_tables(con)
            yield con
        finally:
            con.close()
