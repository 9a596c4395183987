"""A small project with a warehouse built through the real ingest, for the pack tests.

tests/fixtures/report/ holds one month of everything (September 2024) plus August for
"previous period" columns. Numbers the tests assert, worked out by hand:
- Complaints in September, not rejected: C-0901 cracking 3, C-0902 rough_surface 150,
  C-0903 logistics 1, C-0904 customer_caused 2, C-0905 pending 1 -> 5 complaints
  (C-0906 is rejected; C-0907 has the date 2024-13-45 and is quarantined).
  August: C-0801 cracking, C-0802 packaging, C-0803 unmapped ("未知问题", a warning)
  -> 3 complaints. Summary table totals: 5 this month, 3 last month.
- PPM September: supplier-responsible defects 3 + 150 + 1 = 154 over 10000 + 5000 + 2000
  + 3000 = 20000 parts shipped -> 7700 PPM (target 200: missed).
- OTD September: D-0901 and D-0903 on time, D-0902 late, D-0904 undelivered -> 2/4 = 50 %.
- Rows held back behind September: 1 (C-0907).

tests/fixtures/report/signal/ holds January to August 2024 for control-chart signals,
escalations, the action list and a half-year without surveys; its numbers are worked out
in tests/test_report_signals.py.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from pipelines.ingest_pipeline import ingest_paths
from pipelines.settings import Settings, load_settings

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "report"
SIGNAL_FIXTURES = FIXTURES / "signal"
HOSTILE = ("window.__pwned", "<img src=x")


def make_project(root: Path, fixtures: Path = FIXTURES) -> Settings:
    """A project folder: shipped reference files and expectations, fixture data ingested."""
    reference = root / "data" / "reference"
    reference.mkdir(parents=True)
    for name in ("causes.csv", "settings.toml"):
        shutil.copy(REPO / "data" / "reference" / name, reference / name)
    shutil.copytree(REPO / "expectations", root / "expectations")
    settings = load_settings(root, warehouse=root / "data" / "warehouse.duckdb")
    ingest_paths(settings, sorted(fixtures.glob("*.csv")))
    return settings
