"""Ingest orchestration: expand paths, read each file, run the gate, land it in the warehouse.

Reading and checking happen before the warehouse is opened, so the writer lock is held only
while a file lands.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import polars as pl

from pipelines.batch import ReadBatch
from pipelines.errors import AftersalesError, FileRejected, WarehouseBusy
from pipelines.ingest import read_file
from pipelines.ingest.plausible import plausible_dates
from pipelines.ingest.read import file_sha256
from pipelines.ingest_outcomes import (
    FileOutcome,
    checked,
    duplicate,
    reject,
    unreadable,
)
from pipelines.ingest_reports import IngestReports
from pipelines.land_files import land_files
from pipelines.large_file import check_while_landing
from pipelines.quality import QualityGate
from pipelines.read_ahead import ahead
from pipelines.settings import Settings
from pipelines.sources import SOURCES
from pipelines.warehouse import ledger
from pipelines.warehouse.reading import connect_for_reading
from pipelines.warehouse.refresh import has_views, refresh_views

INPUT_SUFFIXES = (".csv", ".xlsx", ".parquet")
# Files up to this size are read first and checked together, up to BATCH_FILES at a time:
# a check run and opening the warehouse cost more than a one-row file's own work.
SMALL_FILE_BYTES = 1 << 20
BATCH_FILES = 250
BATCH_BYTES = 32 << 20  # and no more file bytes than this at a time: memory stays small
# read_file is given this instead of the digest, which a thread computes meanwhile.
_PENDING_DIGEST = "pending"


def _is_input_file(path: Path) -> bool:
    name = path.name
    hidden = name.startswith((".", "~$"))
    return path.is_file() and not hidden and path.suffix.lower() in INPUT_SUFFIXES


def _load_rank(path: Path) -> int:
    """0 for a file in the inbox folder of a source other sources refer to (complaints, which
    actions name), else 1: referred rows land first, so a reference is checked against them."""
    referred = {r.source for s in SOURCES.values() for r in s.references}
    return 0 if referred & set(path.parent.parts) else 1


def expand_paths(paths: Sequence[Path]) -> list[Path]:
    """Files as given plus csv/xlsx/parquet files found under folders, no repeats, in name
    order, the inbox folders of referred sources first (`_load_rank`)."""
    found: dict[Path, None] = {}
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                relative = child.relative_to(path).parts
                if _is_input_file(child) and not any(p.startswith(".") for p in relative):
                    found[child] = None
        elif path.is_file():
            found[path] = None
        else:
            raise AftersalesError(f"{path} does not exist; give an existing file or folder.")
    return sorted(found, key=lambda path: (_load_rank(path), path))


def _already_loaded(settings: Settings, sha256: str) -> tuple[str, str] | None:
    if not settings.warehouse.is_file():
        return None
    with connect_for_reading(settings) as con:
        tables = {r[0] for r in con.execute("SHOW TABLES").fetchall()}
        return ledger.loaded_batch_for(con, sha256) if "ingest_batches" in tables else None


def ingest_file(
    settings: Settings,
    path: Path,
    gate: QualityGate,
    *,
    source: str | None = None,
    sheet: str | None = None,
) -> FileOutcome:
    """Read, check and land one file; an identical file already loaded is left alone."""
    started_at = datetime.now()
    read = _read_step(settings, path, source, sheet, started_at, settings.causes(),
                      check_loaded=True)
    if isinstance(read, FileOutcome):
        return read
    return check_while_landing(settings, gate, read, started_at, source)


def _read_step(
    settings: Settings,
    path: Path,
    source: str | None,
    sheet: str | None,
    started_at: datetime,
    causes: pl.DataFrame,
    *,
    check_loaded: bool,
) -> ReadBatch | FileOutcome:
    """The file read (or its outcome: a duplicate, a rejection).

    With `check_loaded` the ledger is asked whether the bytes were loaded before; landing
    asks again in any case, under the writer lock.
    """
    read = _read_alone(settings, path, source, sheet, causes, hash_beside=True)
    return _settled(settings, read, source, started_at, check_loaded=check_loaded)


def _read_alone(
    settings: Settings,
    path: Path,
    source: str | None,
    sheet: str | None,
    causes: pl.DataFrame,
    *,
    hash_beside: bool,
) -> tuple[Path, ReadBatch | FileRejected, str]:
    """The file read, or why it cannot be: the warehouse is not touched, so files can be
    read in threads ahead of their turn. Returns (path, read or rejection, SHA-256).

    With `hash_beside` the file's SHA-256 is computed in a thread while it is read (hashlib
    and the CSV parser both release the GIL): on a 650 MB file hashing first cost 1.3 s
    before anything else. A small file is hashed first: a thread costs more than its hash.
    """
    if hash_beside:
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sha256") as pool:
            hashing = pool.submit(file_sha256, path)
            batch = _read_or_rejection(settings, path, source, sheet, causes)
            return path, batch, hashing.result()
    sha256 = file_sha256(path)
    return path, _read_or_rejection(settings, path, source, sheet, causes), sha256


def _read_or_rejection(
    settings: Settings, path: Path, source: str | None, sheet: str | None, causes: pl.DataFrame
) -> ReadBatch | FileRejected:
    try:
        return read_file(
            path,
            causes=causes,
            dates=plausible_dates(settings.min_date),
            source=source,
            sheet=sheet,
            sha256=_PENDING_DIGEST,
        )
    except FileRejected as error:
        return error
    except AftersalesError:
        raise  # a broken suite or settings: every file would fail alike
    except Exception as error:  # noqa: BLE001 - one file's unforeseen failure stops no other
        return unreadable(path, error)


def _settled(
    settings: Settings,
    read: tuple[Path, ReadBatch | FileRejected, str],
    source: str | None,
    started_at: datetime,
    *,
    check_loaded: bool,
) -> ReadBatch | FileOutcome:
    """A read's outcome at the file's turn: a rejection recorded unless the same bytes were
    loaded before, a duplicate (`check_loaded`), or the batch to check."""
    path, batch, sha256 = read
    if isinstance(batch, FileRejected):
        return _reject_unless_loaded(settings, path, sha256, source, batch, started_at)
    earlier = _already_loaded(settings, sha256) if check_loaded else None
    if earlier:
        return duplicate(path, earlier)
    return replace(batch, sha256=sha256)


def _gate_and_land(
    settings: Settings,
    gate: QualityGate,
    reads: list[tuple[ReadBatch, datetime]],
    source: str | None,
    reports: IngestReports | None = None,
) -> list[FileOutcome]:
    """Check files of one source and land them, in order; several are checked together."""
    if len(reads) > 1:
        try:
            gated = gate.check_many([read for read, _ in reads])
        except FileRejected:
            gated = None  # one file's rejection: found again when each is checked alone
        except AftersalesError:
            raise
        except Exception:  # noqa: BLE001 - each file alone says which one failed
            gated = None
        if gated is not None:
            return land_files(
                settings,
                [(g.without_read_frames(), t) for g, (_, t) in zip(gated, reads, strict=True)],
                reports,
            )
    outcomes: list[FileOutcome] = []
    for read, started_at in reads:
        try:
            one = checked(gate, read)
        except FileRejected as error:
            outcomes.append(reject(settings, read.path, read.sha256, source, error, started_at))
            continue
        outcomes.extend(land_files(settings, [(one, started_at)]))
    return outcomes


def _reject_unless_loaded(
    settings: Settings,
    path: Path,
    sha256: str,
    source: str | None,
    error: FileRejected,
    started_at: datetime,
) -> FileOutcome:
    """A file that cannot be read is rejected, unless the same bytes were loaded before."""
    earlier = _already_loaded(settings, sha256)
    if earlier:
        return duplicate(path, earlier)
    return reject(settings, path, sha256, source, error, started_at)


def ingest_paths(
    settings: Settings,
    paths: Sequence[Path],
    *,
    source: str | None = None,
    sheet: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> list[FileOutcome]:
    """Ingest every file under `paths`, in name order, one transaction per file."""
    files = expand_paths(paths)
    if not files:
        shown = ", ".join(str(p) for p in paths)
        raise AftersalesError(f"No csv, xlsx or parquet file found in {shown}; check the path.")
    gate = QualityGate(settings.expectations_dir)
    gate.preload()  # Great Expectations imports while the first file is read
    outcomes: list[FileOutcome] = []
    pending: list[tuple[ReadBatch, datetime]] = []  # small files read, not yet checked
    causes = settings.causes()  # read once: the file does not change during an ingest
    reports = IngestReports(settings)  # small files checked together share one page

    pending_bytes = 0

    def flush() -> None:
        nonlocal pending_bytes
        if pending:
            outcomes.extend(_gate_and_land(settings, gate, pending, source, reports))
            pending.clear()
            pending_bytes = 0

    sizes = {path: path.stat().st_size for path in files}
    small = {path for path, size in sizes.items() if size <= SMALL_FILE_BYTES}

    def read_small(path: Path) -> tuple[datetime, tuple[Path, ReadBatch | FileRejected, str]]:
        started_at = datetime.now()
        return started_at, _read_alone(settings, path, source, sheet, causes, hash_beside=False)

    small_reads = ahead(read_small, [path for path in files if path in small])
    try:
        for path in files:
            if progress:
                progress(str(path))
            if path not in small:
                flush()
                outcomes.append(ingest_file(settings, path, gate, source=source, sheet=sheet))
                continue
            started_at, done = next(small_reads)
            read = _settled(settings, done, source, started_at, check_loaded=False)
            if isinstance(read, FileOutcome):
                flush()  # outcomes stay in file order
                outcomes.append(read)
                continue
            if pending and pending[0][0].source.name != read.source.name:
                flush()
            pending.append((read, started_at))
            pending_bytes += sizes[path]
            if len(pending) >= BATCH_FILES or pending_bytes >= BATCH_BYTES:
                flush()
        flush()
    except WarehouseBusy:
        small_reads.close()
        reports.finish()  # the files landed before the other writer took the lock
        raise  # the views are the other writer's to refresh; waiting again would not help
    except Exception:
        small_reads.close()
        reports.finish()
        _refresh_after(settings, outcomes)  # the files landed so far are in the views
        raise
    reports.finish()
    _refresh_after(settings, outcomes)
    return outcomes


def _refresh_after(settings: Settings, outcomes: list[FileOutcome]) -> None:
    """The views exist after any ingest, even on a fresh warehouse whose every file was
    rejected; they are rebuilt when a file landed or was rejected."""
    if any(o.status != "duplicate" for o in outcomes) or not has_views(settings):
        refresh_views(settings)



def pending_inbox_files(settings: Settings) -> list[Path]:
    """Files in data/inbox whose content has not been loaded yet."""
    if not settings.inbox_dir.is_dir():
        return []
    files = expand_paths([settings.inbox_dir])
    done: set[str] = set()
    if settings.warehouse.is_file():
        with connect_for_reading(settings) as con:
            tables = {r[0] for r in con.execute("SHOW TABLES").fetchall()}
            if "ingest_batches" in tables:
                done = ledger.loaded_hashes(con)
    return [f for f in files if file_sha256(f) not in done]
