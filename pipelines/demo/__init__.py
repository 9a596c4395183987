"""The demo data set behind `aftersales demo`: two years of realistic, deterministic exports.

`demo_frames` returns the typed data; `write_demo_inbox` writes it as the files users
have (GBK CSV, workbooks with title rows, BOM CSV, Parquet) with a handful of bad rows.
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
from pipelines.demo.timeline import Calendar, make_calendar
from pipelines.demo.vocabulary import load_bad_rows, load_vocabulary
from pipelines.settings import read_causes
from pipelines.sources import SURVEY_DIMENSIONS

DEFAULT_SEED = 20241101
# The taxonomy shipped with the project; a project's own data/reference/causes.csv wins.
SHIPPED_CAUSES = Path(__file__).resolve().parents[2] / "data" / "reference" / "causes.csv"

__all__ = ["DEFAULT_SEED", "demo_calendar", "demo_frames", "write_demo_inbox"]


def demo_calendar(vocabulary: dict | None = None) -> Calendar:
    """The demo's fixed months (2024-11 to 2026-10) and export day."""
    cfg = (vocabulary or load_vocabulary())["calendar"]
    return make_calendar(cfg["first_month"], cfg["last_month"], cfg["as_of"])


def demo_frames(
    *, seed: int = DEFAULT_SEED, causes_file: Path = SHIPPED_CAUSES
) -> dict[str, pl.DataFrame]:
    """The demo data, typed, one frame per source (complaints carry an extra `cause_code`)."""
    vocabulary = load_vocabulary()
    cal = demo_calendar(vocabulary)
    # One independent stream per source: changing one generator leaves the others' data alone.
    rngs = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(5)]
    deliveries = demo_deliveries(vocabulary, cal, rngs[0])
    shipped = (
        deliveries.group_by(pl.col("ship_date").dt.truncate("1mo"))
        .agg(pl.col("qty").sum())
        .sort("ship_date")["qty"]
        .to_numpy()
    )
    causes = read_causes(causes_file)
    return {
        "complaints": demo_complaints(vocabulary, causes, cal, rngs[1], shipped),
        "deliveries": deliveries,
        "freight": demo_freight(vocabulary, cal, rngs[2]),
        "surveys": demo_surveys(vocabulary, cal, rngs[3], SURVEY_DIMENSIONS),
        "property_checks": demo_property_checks(vocabulary, cal, rngs[4]),
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
    format_rng = np.random.default_rng(np.random.SeedSequence(seed).spawn(6)[5])
    files = {
        "complaints": complaints_files(frames["complaints"], format_rng),
        "deliveries": deliveries_files(frames["deliveries"]),
        "freight": freight_files(frames["freight"], format_rng),
        "surveys": surveys_files(frames["surveys"]),
        "property_checks": property_files(frames["property_checks"]),
    }
    files = apply_bad_rows(files, load_bad_rows())
    filled_by = load_vocabulary()["calendar"]["filled_by"]
    return write_inbox_files(files, inbox_dir, filled_by)
