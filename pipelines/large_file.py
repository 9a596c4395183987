"""A large file's check and landing side by side (`land_while_checking`).

Checking a file and writing its rows each take seconds on a file of millions of lines, and
use different parts of the machine: Great Expectations runs pandas on one core, DuckDB
writes on the others. So a large file's rows are written inside its transaction while the
gate checks them, and the rows the gate holds back are deleted again before the commit.
The guarantees are those of the one-after-the-other road (`pipelines.ingest_pipeline`): one
transaction per file, last batch wins by key, the ledger row and the quarantine with it;
a file the gate rejects leaves the warehouse as it was and gets its ledger row.

The writer lock is held from the check on, not only while the file lands.
"""

from __future__ import annotations

from datetime import datetime

from pipelines.batch import GatedBatch, ReadBatch
from pipelines.errors import FileRejected
from pipelines.ingest_outcomes import FileOutcome, checked, duplicate, loaded, reject
from pipelines.ingest_reports import IngestReports
from pipelines.quality import QualityGate, gate_summary
from pipelines.quality.suites import suite_path
from pipelines.settings import Settings
from pipelines.warehouse import ledger
from pipelines.warehouse.load import land_while_checking
from pipelines.warehouse.writing import connect_for_writing


class _GateFailed(Exception):
    """The gate's own failure, carried out of the transaction it rolled back."""

    def __init__(self, rejection: FileRejected) -> None:
        super().__init__(str(rejection))
        self.rejection = rejection


def check_while_landing(
    settings: Settings,
    gate: QualityGate,
    read: ReadBatch,
    started_at: datetime,
    source: str | None,
) -> FileOutcome:
    """Check `read` with the gate and land it, the rows written while the gate runs."""
    suite = suite_path(settings.expectations_dir, read.source.name)

    def check() -> GatedBatch:
        try:
            return checked(gate, read)
        except FileRejected as error:
            raise _GateFailed(error) from error

    try:
        with connect_for_writing(settings) as con:
            earlier = ledger.loaded_batch_for(con, read.sha256)
            if earlier:  # loaded by another process since it was read
                return duplicate(read.path, earlier)
            batch_id = ledger.new_batch_id(con, read.source.name, read.sha256, started_at)
            gated, done = land_while_checking(
                con, read, batch_id, started_at, check, lambda g: gate_summary(g, suite)
            )
    except _GateFailed as failed:  # rolled back, the writer lock released: its ledger row
        return reject(settings, read.path, read.sha256, source, failed.rejection, started_at)
    outcome = loaded(gated, batch_id, done)
    outcome.report_path = IngestReports(settings).write(gated, batch_id)
    return outcome
