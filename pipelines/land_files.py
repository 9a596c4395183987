"""Land gated files in order under one writer connection: a group of small files of one
source together (`pipelines.warehouse.load_many`), any other file, or a group that could not
land together, each in its own transaction."""

from __future__ import annotations

from datetime import datetime

from duckdb import DuckDBPyConnection

from pipelines.batch import GatedBatch
from pipelines.errors import AftersalesError
from pipelines.ingest_outcomes import FileOutcome, duplicate, loaded
from pipelines.ingest_reports import IngestReports
from pipelines.quality import gate_summary
from pipelines.quality.suites import suite_path
from pipelines.settings import Settings
from pipelines.warehouse import ledger
from pipelines.warehouse.load import Landed, land_batch
from pipelines.warehouse.load_many import Arrival, can_land_together, land_many
from pipelines.warehouse.writing import connect_for_writing


def land_files(
    settings: Settings,
    items: list[tuple[GatedBatch, datetime]],
    reports: IngestReports | None = None,
) -> list[FileOutcome]:
    """Land gated files in order under one writer connection (opening the warehouse costs
    more than landing a one-row file): a group of one source together
    (`pipelines.warehouse.load_many`), else, or if that fails, each in its own transaction.

    With `reports`, the files' reports are sections of the ingest's grouped page; else each
    file gets its own page."""
    with connect_for_writing(settings) as con:
        landed = _land_together(con, settings, items) if len(items) > 1 else None
        if landed is None:
            landed = [_land_one(con, settings, gated, started_at) for gated, started_at in items]
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


_Landing = tuple[GatedBatch, str, Landed] | FileOutcome


def _land_one(con: DuckDBPyConnection, settings: Settings, gated: GatedBatch,
              started_at: datetime) -> _Landing:
    read = gated.read
    earlier = ledger.loaded_batch_for(con, read.sha256)
    if earlier:  # loaded by another process, or an identical file of this ingest
        return duplicate(read.path, earlier)
    batch_id = ledger.new_batch_id(con, read.source.name, read.sha256, started_at)
    summary = _summary(settings, gated)
    return gated, batch_id, land_batch(con, gated, batch_id, started_at, summary)


def _summary(settings: Settings, gated: GatedBatch) -> str:
    """The gate's summary the ledger keeps for the file's report."""
    return gate_summary(gated, suite_path(settings.expectations_dir, gated.read.source.name))


def _land_together(con: DuckDBPyConnection, settings: Settings,
                   items: list[tuple[GatedBatch, datetime]]) -> list[_Landing] | None:
    """The files of one source in one transaction, with the ledger asked once for all; None
    when they cannot land together (another source, references) or landing them failed and
    was rolled back: then each file lands alone, and says its own failure."""
    sources = {gated.read.source.name for gated, _ in items}
    if len(sources) > 1 or not can_land_together(items[0][0].read.source):
        return None
    earlier = ledger.loaded_batches_for(con, [gated.read.sha256 for gated, _ in items])
    first: dict[str, tuple[GatedBatch, datetime]] = {}  # each new content's first file
    for gated, started_at in items:
        if gated.read.sha256 not in earlier:
            first.setdefault(gated.read.sha256, (gated, started_at))
    ids = ledger.new_batch_ids(con, [(g.read.source.name, sha, t) for sha, (g, t) in first.items()])
    arrivals = [
        Arrival(gated, batch_id, started_at, _summary(settings, gated))
        for (gated, started_at), batch_id in zip(first.values(), ids, strict=True)
    ]
    try:
        done = land_many(con, arrivals) if arrivals else []
    except AftersalesError:
        raise  # a full disk or a read-only warehouse: every file would fail alike
    except Exception:  # noqa: BLE001 - rolled back; each file alone says which one failed
        return None
    done_by_file = {id(a.gated): (a.batch_id, d) for a, d in zip(arrivals, done, strict=True)}
    earlier |= {a.gated.read.sha256: (a.batch_id, a.gated.read.source.name) for a in arrivals}
    return [
        (gated, *done_by_file[id(gated)]) if id(gated) in done_by_file
        # loaded before, or an identical file earlier in the group
        else duplicate(gated.read.path, earlier[gated.read.sha256])
        for gated, _ in items
    ]
