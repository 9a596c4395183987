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

from pipelines.batch import GatedBatch, ReadBatch
from pipelines.errors import AftersalesError, FileRejected, WarehouseBusy
from pipelines.ingest import read_file
from pipelines.ingest.plausible import plausible_dates
from pipelines.ingest.read import file_sha256
from pipelines.ingest_outcomes import (
    FileOutcome,
    checked,
    duplicate,
    loaded,
    reject,
    unreadable,
)
from pipelines.ingest_reports import IngestReports
from pipelines.large_file import check_while_landing
from pipelines.quality import QualityGate, gate_summary
from pipelines.settings import Settings
from pipelines.sources import SOURCES
from pipelines.warehouse import ledger
from pipelines.warehouse.load import Landed, land_batch
from pipelines.warehouse.reading import connect_for_reading
from pipelines.warehouse.refresh import has_views, refresh_views
from pipelines.warehouse.writing import connect_for_writing

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


def _land_all(
    settings: Settings,
    items: list[tuple[GatedBatch, datetime]],
    reports: IngestReports | None = None,
) -> list[FileOutcome]:
    """Land gated files in order, each in its own transaction, under one writer connection
    (opening the warehouse costs more than landing a one-row file).

    With `reports`, the files' reports are sections of the ingest's grouped page; else each
    file gets its own page."""
    landed: list[tuple[GatedBatch, str, Landed] | FileOutcome] = []
    with connect_for_writing(settings) as con:
        for gated, started_at in items:
            read = gated.read
            earlier = ledger.loaded_batch_for(con, read.sha256)
            if earlier:  # loaded by another process, or an identical file of this ingest
                landed.append(duplicate(read.path, earlier))
                continue
            batch_id = ledger.new_batch_id(con, read.source.name, read.sha256, started_at)
            suite = settings.expectations_dir / f"{read.source.name}.json"
            summary = gate_summary(gated, suite)
            landed.append((gated, batch_id, land_batch(con, gated, batch_id, started_at, summary)))
    outcomes: list[FileOutcome] = []
    for item in landed:
        if isinstance(item, FileOutcome):
            outcomes.append(item)
            continue
        gated, batch_id, done = item
        outcome = loaded(gated, batch_id, done)
        if reports is None:
            outcome.report_path = IngestReports(settings).write(gated, batch_id)
        else:
            reports.add(gated, batch_id, outcome)
        outcomes.append(outcome)
    return outcomes


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

    The file's SHA-256 is computed in a thread while it is read (hashlib and the CSV parser
    both release the GIL): on a 650 MB file hashing first cost 1.3 s before anything else.
    With `check_loaded` the ledger is asked whether the bytes were loaded before; landing
    asks again in any case, under the writer lock.
    """
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sha256") as pool:
        hashing = pool.submit(file_sha256, path)
        try:
            read = read_file(
                path,
                causes=causes,
                dates=plausible_dates(settings.min_date),
                source=source,
                sheet=sheet,
                sha256=_PENDING_DIGEST,
            )
        except FileRejected as error:
            return _reject_unless_loaded(settings, path, hashing.result(), source, error,
                                         started_at)
        except AftersalesError:
            raise  # a broken suite or settings: every file would fail alike
        except Exception as error:  # noqa: BLE001 - one file's unforeseen failure stops no other
            return _reject_unless_loaded(settings, path, hashing.result(), source,
                                         unreadable(path, error), started_at)
        sha256 = hashing.result()
    earlier = _already_loaded(settings, sha256) if check_loaded else None
    if earlier:
        return duplicate(path, earlier)
    return replace(read, sha256=sha256)


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
            return _land_all(
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
        outcomes.extend(_land_all(settings, [(one, started_at)]))
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

    def flush() -> None:
        if pending:
            outcomes.extend(_gate_and_land(settings, gate, pending, source, reports))
            pending.clear()

    try:
        for path in files:
            if progress:
                progress(str(path))
            if path.stat().st_size > SMALL_FILE_BYTES:
                flush()
                outcomes.append(ingest_file(settings, path, gate, source=source, sheet=sheet))
                continue
            started_at = datetime.now()
            read = _read_step(settings, path, source, sheet, started_at, causes,
                              check_loaded=False)
            if isinstance(read, FileOutcome):
                flush()  # outcomes stay in file order
                outcomes.append(read)
                continue
            if pending and pending[0][0].source.name != read.source.name:
                flush()
            pending.append((read, started_at))
            pending_bytes = sum(r.path.stat().st_size for r, _ in pending)
            if len(pending) >= BATCH_FILES or pending_bytes >= BATCH_BYTES:
                flush()
        flush()
    except WarehouseBusy:
        reports.finish()  # the files landed before the other writer took the lock
        raise  # the views are the other writer's to refresh; waiting again would not help
    except Exception:
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
