"""Ingest orchestration: expand paths, read each file, run the gate, land it in the warehouse.

Reading and checking happen before the warehouse is opened, so the writer lock is held only
while a file lands.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from pipelines.batch import GatedBatch
from pipelines.errors import AftersalesError, FileRejected, WarehouseBusy
from pipelines.ingest import read_file
from pipelines.ingest.plausible import plausible_dates
from pipelines.ingest.read import file_sha256
from pipelines.quality import QualityGate, gate_summary, write_quality_report
from pipelines.settings import Settings
from pipelines.sources import SOURCES
from pipelines.warehouse import ledger
from pipelines.warehouse.load import land_batch, record_rejection
from pipelines.warehouse.reading import connect_for_reading
from pipelines.warehouse.refresh import has_views, refresh_views
from pipelines.warehouse.writing import connect_for_writing

INPUT_SUFFIXES = (".csv", ".xlsx", ".parquet")


@dataclass
class FileOutcome:
    """What happened to one input file."""

    path: Path
    source: str | None
    status: str  # loaded | duplicate | rejected
    batch_id: str | None
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    rows_skipped: int = 0
    rows_warned: int = 0
    message: str = ""
    report_path: Path | None = None


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


def _duplicate(path: Path, earlier: tuple[str, str]) -> FileOutcome:
    batch_id, source = earlier
    return FileOutcome(
        path=path,
        source=source,
        status="duplicate",
        batch_id=batch_id,
        message=f"already loaded as batch {batch_id}",
    )


def _without_read_frames(gated: GatedBatch) -> GatedBatch:
    """Free the read frames once gated: landing needs the clean rows and the read's counts.

    On a 10 M-row file the raw text copy alone is about a gigabyte.
    """
    read = gated.read
    gated.read = replace(read, frame=read.frame.clear(), raw=read.raw.clear())
    return gated


def _land(settings: Settings, gated: GatedBatch, started_at: datetime) -> FileOutcome:
    read = gated.read
    with connect_for_writing(settings) as con:
        earlier = ledger.loaded_batch_for(con, read.sha256)
        if earlier:  # loaded by another process while this one was reading
            return _duplicate(read.path, earlier)
        batch_id = ledger.new_batch_id(con, read.source.name, read.sha256, started_at)
        suite = settings.expectations_dir / f"{read.source.name}.json"
        landed = land_batch(con, gated, batch_id, started_at, gate_summary(gated, suite))
    report = write_quality_report(gated, batch_id, settings.reports_dir / "data-quality", suite)
    return FileOutcome(
        path=read.path,
        source=read.source.name,
        status="loaded",
        batch_id=batch_id,
        rows_read=read.rows_read,
        rows_loaded=landed.rows_loaded,
        rows_quarantined=landed.rows_quarantined,
        rows_skipped=read.rows_skipped,
        rows_warned=landed.rows_warned,
        report_path=report,
    )


def _reject(
    settings: Settings,
    path: Path,
    sha256: str,
    source: str | None,
    error: FileRejected,
    started_at: datetime,
) -> FileOutcome:
    message = str(error)
    with connect_for_writing(settings) as con:
        batch_id = record_rejection(
            con, path=path, sha256=sha256, source=source, message=message, started_at=started_at
        )
    return FileOutcome(
        path=path, source=source, status="rejected", batch_id=batch_id, message=message
    )


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
    sha256 = file_sha256(path)
    earlier = _already_loaded(settings, sha256)
    if earlier:
        return _duplicate(path, earlier)
    causes = settings.causes()
    try:
        read = read_file(
            path,
            causes=causes,
            dates=plausible_dates(settings.min_date),
            source=source,
            sheet=sheet,
            sha256=sha256,
        )
        gated = _without_read_frames(gate.check(read))
    except FileRejected as error:
        return _reject(settings, path, sha256, source, error, started_at)
    except AftersalesError:
        raise  # a broken suite or settings: every file would fail alike
    except Exception as error:  # noqa: BLE001 - one file's unforeseen failure stops no other
        return _reject(settings, path, sha256, source, _unreadable(path, error), started_at)
    del read
    return _land(settings, gated, started_at)


def _unreadable(path: Path, error: Exception) -> FileRejected:
    """The sentence for a file the reader failed on in a way no rule foresaw."""
    detail = (str(error).strip().splitlines() or [""])[0][:200]
    return FileRejected(
        f"File {path.name} could not be read ({type(error).__name__}: {detail}); export it "
        "again as CSV, XLSX or Parquet."
    )



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
    try:
        for path in files:
            if progress:
                progress(str(path))
            outcomes.append(ingest_file(settings, path, gate, source=source, sheet=sheet))
    except WarehouseBusy:
        raise  # the views are the other writer's to refresh; waiting again would not help
    except Exception:
        _refresh_after(settings, outcomes)  # the files landed so far are in the views
        raise
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
