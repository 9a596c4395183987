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

from pipelines.disk import OutputNotWritten, disk_sentence, os_error_sentence
from pipelines.errors import WarehouseBusy
from pipelines.settings import Settings
from pipelines.warehouse.reading import open_retrying
from pipelines.warehouse.schema import create_tables
from pipelines.warehouse.storage import needs_rewrite, rewrite_in_format


def storage_config(settings: Settings) -> dict[str, str | bool]:
    """DuckDB's setting for the storage format of a file it creates (SPEC §11).

    It decides the format only when the file is new; a file of another format is rewritten
    (`pipelines.warehouse.storage`).
    """
    return {"storage_compatibility_version": settings.storage_version}


def lock_path(warehouse: Path) -> Path:
    return warehouse.with_name(warehouse.name + ".lock")


@contextmanager
def writer_lock(settings: Settings) -> Iterator[None]:
    """Hold the warehouse's writer lock, waiting at most `lock_timeout_seconds`."""
    lock = FileLock(str(lock_path(settings.warehouse)), timeout=settings.lock_timeout_seconds)
    try:
        settings.warehouse.parent.mkdir(parents=True, exist_ok=True)
        lock.acquire()
    except Timeout:  # before OSError: filelock's Timeout is a TimeoutError
        raise WarehouseBusy(
            f"Another ingest is writing to the warehouse {settings.warehouse} and did not "
            f"finish within {settings.lock_timeout_seconds:g} s; run the command again when "
            "it is done."
        ) from None
    except OSError as error:  # a read-only or full folder: no lock file can be made
        raise OutputNotWritten(os_error_sentence(error, settings.warehouse)) from None
    try:
        yield
    finally:
        lock.release()


@contextmanager
def connect_for_writing(settings: Settings) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-write connection under the writer lock, base tables created; closed on exit."""
    with writer_lock(settings), _disk_errors_said(settings.warehouse):
        con = _open(settings)
        if needs_rewrite(con, settings.storage_version):  # a file of an earlier release
            rewrite_in_format(con, settings.warehouse, settings.storage_version)
            con = _open(settings)
        try:
            create_tables(con)
            yield con
        finally:
            con.close()


def _open(settings: Settings) -> duckdb.DuckDBPyConnection:
    return open_retrying(
        settings.warehouse,
        read_only=False,
        wait_seconds=settings.lock_timeout_seconds,
        config=storage_config(settings),
    )


@contextmanager
def _disk_errors_said(warehouse: Path) -> Iterator[None]:
    """A full disk or read-only folder met by DuckDB, as one sentence; the transaction it
    broke was rolled back, so the warehouse holds what it held before."""
    try:
        yield
    except (duckdb.Error, OSError) as error:
        sentence = disk_sentence(error, warehouse)
        if sentence is None:
            raise
        raise OutputNotWritten(sentence) from error
