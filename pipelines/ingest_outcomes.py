"""What happened to each input file of an ingest, and the outcomes that need no check.

Shared by the ingest's two roads (`pipelines.ingest_pipeline` for every file,
`pipelines.large_file` for a large one landed while it is checked).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pipelines.batch import GatedBatch, ReadBatch
from pipelines.errors import AftersalesError, FileRejected
from pipelines.quality import QualityGate
from pipelines.settings import Settings
from pipelines.warehouse.load import Landed, record_rejection
from pipelines.warehouse.writing import connect_for_writing


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


def loaded(gated: GatedBatch, batch_id: str, done: Landed) -> FileOutcome:
    """The outcome of a file that landed."""
    read = gated.read
    return FileOutcome(
        path=read.path,
        source=read.source.name,
        status="loaded",
        batch_id=batch_id,
        rows_read=read.rows_read,
        rows_loaded=done.rows_loaded,
        rows_quarantined=done.rows_quarantined,
        rows_skipped=read.rows_skipped,
        rows_warned=done.rows_warned,
    )


def duplicate(path: Path, earlier: tuple[str, str]) -> FileOutcome:
    batch_id, source = earlier
    return FileOutcome(
        path=path,
        source=source,
        status="duplicate",
        batch_id=batch_id,
        message=f"already loaded as batch {batch_id}",
    )


def reject(
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


def unreadable(path: Path, error: Exception) -> FileRejected:
    """The sentence for a file the reader failed on in a way no rule foresaw."""
    detail = (str(error).strip().splitlines() or [""])[0][:200]
    return FileRejected(
        f"File {path.name} could not be read ({type(error).__name__}: {detail}); export it "
        "again as CSV, XLSX or Parquet."
    )


def checked(gate: QualityGate, read: ReadBatch) -> GatedBatch:
    """`gate.check(read)` with the read frames freed; a failure no rule foresaw becomes the
    file's rejection (`unreadable`), so one file stops no other. A broken suite or setting
    (any other AftersalesError) is raised as it is: every file would fail alike."""
    try:
        return gate.check(read).without_read_frames()
    except AftersalesError:
        raise
    except Exception as error:  # noqa: BLE001 - one file's unforeseen failure stops no other
        raise unreadable(read.path, error) from error
