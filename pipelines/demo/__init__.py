"""The demo data set behind `aftersales demo`: two years of realistic, deterministic exports.

`demo_frames` returns the typed data; `write_demo_inbox` writes it as the files users
have (GBK CSV, workbooks with title rows, BOM CSV, Parquet) with a handful of bad rows.
Besides the five sources of SPEC §2 it writes the closing-the-loop ones of §8: an 8D
tracker, a quality cost ledger, the risk register and key customers' portal scorecards.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl

from pipelines.demo.complaints import demo_complaints
from pipelines.demo.defects import apply_bad_rows
from pipelines.demo.files import (
    complaints_files,
    deliveries_files,
    freight_files,
    property_files,
    surveys_files,
    write_inbox_files,
)
from pipelines.demo.generate import (
    demo_deliveries,
    demo_freight,
    demo_property_checks,
    demo_surveys,
)
from pipelines.demo.loop import (
    STRICT_DEADLINE_CUSTOMER,
    STRICT_DEADLINE_DAYS,
    demo_actions,
    demo_quality_costs,
    demo_risks,
)
from pipelines.demo.loop_files import loop_files, write_demo_file
from pipelines.demo.portals import demo_scorecards
from pipelines.demo.timeline import Calendar, make_calendar
from pipelines.demo.vocabulary import load_bad_rows, load_loop_vocabulary, load_vocabulary
from pipelines.settings import read_causes
from pipelines.sources import SURVEY_DIMENSIONS

DEFAULT_SEED = 20241101
# The taxonomy shipped with the project; a project's own data/reference/causes.csv wins.
SHIPPED_CAUSES = Path(__file__).resolve().parents[2] / "data" / "reference" / "causes.csv"

__all__ = [
    "DEFAULT_SEED",
    "STRICT_DEADLINE_CUSTOMER",
    "STRICT_DEADLINE_DAYS",
    "demo_calendar",
    "demo_frames",
    "write_demo_inbox",
]


def _streams(seed: int) -> list[np.random.Generator]:
    """One independent stream per use, by position: 0-4 the sources of SPEC §2, 5 their file
    formats, 6 actions, 7 quality costs, 8 the closing-the-loop file formats. Adding a
    stream at the end leaves every earlier one, and so the earlier files, as they were."""
    return [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(9)]


def demo_calendar(vocabulary: dict | None = None) -> Calendar:
    """The demo's fixed months (2024-11 to 2026-10) and export day."""
    cfg = (vocabulary or load_vocabulary())["calendar"]
    return make_calendar(cfg["first_month"], cfg["last_month"], cfg["as_of"])


def demo_frames(
    *, seed: int = DEFAULT_SEED, causes_file: Path = SHIPPED_CAUSES
) -> dict[str, pl.DataFrame]:
    """The demo data, typed, one frame per source (complaints carry an extra `cause_code`)."""
    vocabulary = load_vocabulary()
    loop = load_loop_vocabulary()
    cal = demo_calendar(vocabulary)
    # One independent stream per source: changing one generator leaves the others' data alone.
    rngs = _streams(seed)
    deliveries = demo_deliveries(vocabulary, cal, rngs[0])
    shipped = (
        deliveries.group_by(pl.col("ship_date").dt.truncate("1mo"))
        .agg(pl.col("qty").sum())
        .sort("ship_date")["qty"]
        .to_numpy()
    )
    causes = read_causes(causes_file)
    complaints = demo_complaints(vocabulary, causes, cal, rngs[1], shipped)
    return {
        "complaints": complaints,
        "deliveries": deliveries,
        "freight": demo_freight(vocabulary, cal, rngs[2]),
        "surveys": demo_surveys(vocabulary, cal, rngs[3], SURVEY_DIMENSIONS),
        "property_checks": demo_property_checks(vocabulary, cal, rngs[4]),
        "actions": demo_actions(loop, complaints, cal, rngs[6]),
        "quality_costs": demo_quality_costs(vocabulary, loop, complaints, cal, rngs[7]),
        "risks": demo_risks(loop),
        "customer_scorecards": demo_scorecards(loop, complaints, deliveries, causes, cal),
    }


def write_demo_inbox(
    inbox_dir: Path, *, seed: int = DEFAULT_SEED, causes_file: Path | None = None
) -> list[Path]:
    """Write the demo exports to inbox_dir/<source>/ and return the files written.

    Same seed, same bytes: the calendar is fixed and no file records when it was written.
    Causes come from `causes_file`, else from the project's data/reference/causes.csv
    beside data/inbox, else from the shipped taxonomy.
    """
    inbox_dir = Path(inbox_dir)
    if causes_file is None:
        beside = inbox_dir.parent / "reference" / "causes.csv"
        causes_file = beside if beside.is_file() else SHIPPED_CAUSES
    frames = demo_frames(seed=seed, causes_file=causes_file)
    streams = _streams(seed)
    format_rng = streams[5]
    files = {
        "complaints": complaints_files(frames["complaints"], format_rng),
        "deliveries": deliveries_files(frames["deliveries"]),
        "freight": freight_files(frames["freight"], format_rng),
        "surveys": surveys_files(frames["surveys"]),
        "property_checks": property_files(frames["property_checks"]),
        # after the complaints: an action names a complaint already loaded
        **loop_files(frames, streams[8]),
    }
    files = apply_bad_rows(files, load_bad_rows())
    filled_by = load_vocabulary()["calendar"]["filled_by"]
    return write_inbox_files(files, inbox_dir, filled_by, writer=write_demo_file)
