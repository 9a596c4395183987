"""Read-only connections to the warehouse file, never stuck behind a writer.

DuckDB allows one read-write process or many read-only ones, so a reader retries opening the
file for a bounded time while a writer lands a file (`pipelines.warehouse.writing`).
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from pipelines.errors import WarehouseBusy, WarehouseMissing
from pipelines.settings import Settings

RETRY_PAUSE_SECONDS = 0.2

# `aftersales sql` (SPEC §12): the query sees the warehouse's tables and views and nothing
# else: no file, URL or Python object, no extension installed or loaded on the fly, and no
# `SET` that could undo any of it. DuckDB's own settings, so every path is closed, however
# the query is written (`read_csv`, a quoted path, `ATTACH`, `COPY ... TO`).
SANDBOX_CONFIG: dict[str, str | bool] = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
    "lock_configuration": True,
}


def _is_lock_conflict(exc: duckdb.Error) -> bool:
    text = str(exc).lower()
    return "lock" in text or "conflicting" in text


def _holder(exc: duckdb.Error) -> str:
    """' (python3.11, PID 4242)' from DuckDB's 'Conflicting lock is held in /usr/bin/python3.11
    (PID 4242)', so the user knows which program to close; '' when DuckDB does not say."""
    found = re.search(r"held in (.+?) \(PID (\d+)\)", str(exc))
    return f" ({Path(found.group(1)).name}, PID {found.group(2)})" if found else ""


def open_retrying(
    warehouse: Path,
    *,
    read_only: bool,
    wait_seconds: float,
    config: dict[str, str | bool] | None = None,
) -> duckdb.DuckDBPyConnection:
    """Open the file, retrying while another process holds DuckDB's own file lock."""
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            return duckdb.connect(str(warehouse), read_only=read_only, config=config or {})
        except duckdb.IOException as exc:
            if not _is_lock_conflict(exc) or time.monotonic() >= deadline:
                if _is_lock_conflict(exc):
                    raise WarehouseBusy(
                        f"The warehouse {warehouse} is held open by another program"
                        f"{_holder(exc)} for more than {wait_seconds:g} s; close it (a "
                        "notebook or DuckDB shell writing to it) and run the command again."
                    ) from exc
                raise
            time.sleep(RETRY_PAUSE_SECONDS)


def _check_exists(settings: Settings) -> None:
    if not settings.warehouse.is_file():
        raise WarehouseMissing(
            f"No warehouse at {settings.warehouse}; run `aftersales ingest PATH` or "
            "`aftersales demo` first."
        )


@contextmanager
def connect_for_reading(settings: Settings) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection; waits a bounded time while a writer is landing a file."""
    _check_exists(settings)
    con = open_retrying(
        settings.warehouse, read_only=True, wait_seconds=settings.lock_timeout_seconds
    )
    try:
        yield con
    finally:
        con.close()


@contextmanager
def connect_sandboxed(settings: Settings) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection whose queries reach nothing outside the warehouse file."""
    _check_exists(settings)
    con = open_retrying(
        settings.warehouse,
        read_only=True,
        wait_seconds=settings.lock_timeout_seconds,
        config=SANDBOX_CONFIG,
    )
    try:
        yield con
    finally:
        con.close()
