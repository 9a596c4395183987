"""A demo-sized warehouse (the demo's two years of every source), built through the real ingest
without the pack, for tests that need realistic volume rather than hand-made rows."""

from __future__ import annotations

import shutil
from pathlib import Path

from pipelines.demo import write_demo_inbox
from pipelines.ingest_pipeline import ingest_paths
from pipelines.settings import Settings, load_settings

REPO = Path(__file__).resolve().parent.parent


def make_demo_warehouse(root: Path) -> Settings:
    """A project folder at `root` with the demo inbox ingested into data/warehouse.duckdb."""
    for part in ("data/reference", "expectations", "notebooks"):
        shutil.copytree(REPO / part, root / part)
    settings = load_settings(root, warehouse=root / "data" / "warehouse.duckdb")
    written = write_demo_inbox(settings.inbox_dir, causes_file=settings.causes_file)
    ingest_paths(settings, written)
    return settings
