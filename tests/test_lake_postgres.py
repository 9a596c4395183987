"""The lake with its catalog in PostgreSQL, for plants publishing from many machines: a real
server (tests/pg_support.py), two plants publishing at the same moment, the group built from
it. Numbers: tests/lake_support.py."""

from __future__ import annotations

import duckdb
import pytest
from lake_support import group_project, make_plant, publish_together
from pg_support import postgres_server
from pyiceberg.catalog.sql import SqlCatalog

from pipelines.lake.catalog import LakeError, locate
from pipelines.lake.group import build_group


@pytest.fixture(scope="module")
def catalog_uri():
    with postgres_server() as uri:
        yield uri


def test_plants_publish_together_to_a_postgresql_catalog(catalog_uri, tmp_path):
    plants = {code: make_plant(tmp_path, code) for code in ("SH01", "BJ02")}
    data = tmp_path / "lake-data"
    publish_together(plants, catalog_uri, str(data))
    # any Iceberg reader: pyiceberg's SQL catalog on the same database, catalog name `lake`
    catalog = SqlCatalog("lake", uri=catalog_uri)
    complaints = catalog.load_table("aftersales.complaints").scan().to_arrow().to_pylist()
    assert sorted((r["plant"], r["complaint_id"], r["defect_qty"]) for r in complaints) == [
        ("BJ02", "C-0001", 50), ("SH01", "C-0001", 30), ("SH01", "C-0002", 10)]
    # the data files are under the data location named for the lake
    files = catalog.load_table("aftersales.deliveries").inspect.files().to_pylist()
    assert files and all(f["file_path"].startswith(data.as_uri()) for f in files)
    built = build_group(group_project(tmp_path), locate(catalog_uri, str(data)),
                        tmp_path / "group.duckdb")
    with duckdb.connect(str(built.warehouse), read_only=True) as con:
        ppm = con.execute(
            "select value from kpi_scorecard where kpi = 'ppm' and period_kind = 'month' "
            "and period_start = '2024-09-01'").fetchone()
    assert ppm == (1600.0,)  # (30 + 50) / (10,000 + 40,000) × 1e6


def test_a_catalog_uri_needs_a_data_location():
    with pytest.raises(LakeError) as raised:
        locate("postgresql+psycopg2://lake:secret@db.example/lake")
    assert str(raised.value) == (
        "The lake postgresql+psycopg2://lake:***@db.example/lake is a catalog URI: name where "
        "its data files go with --lake-warehouse (a shared folder or an object store URI, e.g. "
        "file:///mnt/lake)."
    )
