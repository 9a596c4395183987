"""Build a warehouse from a folder of fixture CSVs, through the real ingest, for the KPI tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from pipelines.ingest_pipeline import ingest_paths
from pipelines.settings import Settings, load_settings

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "kpi"


def make_project(folder: Path, extra_toml: str = "") -> Settings:
    """A project folder with the shipped taxonomy, targets and expectation suites, plus
    `extra_toml` appended to settings.toml (e.g. a per-customer override)."""
    reference = folder / "data" / "reference"
    reference.mkdir(parents=True)
    shutil.copy(REPO / "data" / "reference" / "causes.csv", reference / "causes.csv")
    shipped = (REPO / "data" / "reference" / "settings.toml").read_text(encoding="utf-8")
    (reference / "settings.toml").write_text(shipped + "\n" + extra_toml, encoding="utf-8")
    shutil.copytree(REPO / "expectations", folder / "expectations")
    return load_settings(folder, warehouse=folder / "warehouse.duckdb")


def ingest_fixture(settings: Settings, fixture: str) -> None:
    """Ingest every file of tests/fixtures/kpi/<fixture>/; each must load without rejection."""
    outcomes = ingest_paths(settings, [FIXTURES / fixture])
    failed = [(o.path.name, o.message) for o in outcomes if o.status != "loaded"]
    assert not failed, failed
    quarantined = [(o.path.name, o.rows_quarantined) for o in outcomes if o.rows_quarantined]
    assert not quarantined, quarantined


def read_only(settings: Settings) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(settings.warehouse), read_only=True)


def rows(con: duckdb.DuckDBPyConnection, query: str, **params: object) -> list[dict]:
    """Query result as a list of dicts (column -> value)."""
    return con.sql(query, params=params or None).pl().to_dicts()
