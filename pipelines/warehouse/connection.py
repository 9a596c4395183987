"""Connections to the warehouse file: one writer at a time, readers never stuck behind it.

Writers take an OS-level lock file beside the warehouse (`<warehouse>.lock`), released by the
operating system if the process dies, so a crashed writer never leaves a stale lock. DuckDB
itself allows one read-write process or many read-only ones, so both sides retry opening the
file for a bounded time while the other side holds it.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
from filelock import FileLock, Timeout

from pipelines.errors import WarehouseBusy, WarehouseMissing
from pipelines.settings import Settings
from pipelines.warehouse.schema import create_tables

RETRY_PAUSE_SECONDS = 0.2


def lock_path(warehouse: Path) -> Path:
    return warehouse.with_name(warehouse.name + ".lock")


def _is_lock_conflict(exc: duckdb.Error) -> bool:
    text = str(exc).lower()
    return "lock" in text or "conflicting" in text


def _connect(warehouse: Path, *, read_only: bool, wait_seconds: float) -> duckdb.DuckDBPyConnection:
    """Open the file, retrying while another process holds DuckDB's own file lock."""
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            return duckdb.connect(str(warehouse), read_only=read_only)
        except duckdb.IOException as exc:
            if not _is_lock_conflict(exc) or time.monotonic() >= deadline:
                if _is_lock_conflict(exc):
                    raise WarehouseBusy(
                        f"The warehouse {warehouse} is held open by another program for "
                        f"more than {wait_seconds:g} s; close it (a notebook or DuckDB "
                        "shell writing to it) and run the command again."
                    ) from exc
                raise
            time.sleep(RETRY_PAUSE_SECONDS)


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
        con = _connect(
            settings.warehouse, read_only=False, wait_seconds=settings.lock_timeout_seconds
        )
        try:
            create_tables(con)
            yield con
        finally:
            con.close()


@contextmanager
def connect_for_reading(settings: Settings) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection; waits a bounded time while a writer is landing a file."""
    if not settings.warehouse.is_file():
        raise WarehouseMissing(
            f"No warehouse at {settings.warehouse}; run `aftersales ingest PATH` or "
            "`aftersales demo` first."
        )
    con = _connect(settings.warehouse, read_only=True, wait_seconds=settings.lock_timeout_seconds)
    try:
        yield con
    finally:
        con.close()
