"""Publishing plants to the lake (SPEC §13): partitioned Iceberg tables any reader can read,
re-publishing replaces one plant's rows, publishes at the same moment all land, a publish
killed midway leaves the last complete one readable. Numbers: tests/lake_support.py."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from kpi_support import REPO
from lake_support import (
    COMPLAINTS_HEADER,
    ingest_files,
    make_plant,
    publish_together,
    write_csv,
)
from pyiceberg.catalog.sql import SqlCatalog
from pyiceberg.expressions import EqualTo

from pipelines.lake.catalog import locate, open_catalog
from pipelines.lake.group import build_group
from pipelines.lake.publish import publish
from pipelines.lake.read import latest_publishes, plant_rows
from pipelines.lake.tables import PUBLISHED_TABLES


@pytest.fixture(scope="module")
def plants(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("plants")
    return {code: make_plant(root, code) for code in ("SH01", "BJ02")}


def iceberg_only(lake: Path) -> SqlCatalog:
    """The lake as any Iceberg reader opens it: pyiceberg's SQL catalog, nothing of ours (an
    Iceberg SQL/JDBC catalog keys its tables by catalog name: the lake's is `lake`)."""
    return SqlCatalog("lake", uri=f"sqlite:///{lake / 'catalog.db'}", warehouse=lake.as_uri())


def defects(catalog: SqlCatalog, **scan) -> dict[tuple[str, str], int]:
    rows = catalog.load_table("aftersales.complaints").scan(**scan).to_arrow().to_pylist()
    return {(r["plant"], r["complaint_id"]): r["defect_qty"] for r in rows}


def test_published_tables_read_back_with_pyiceberg_alone(plants, tmp_path):
    lake = tmp_path / "lake"
    for code, settings in plants.items():
        publish(settings, locate(str(lake)), code)
    catalog = iceberg_only(lake)
    names = {name for _, name in catalog.list_tables("aftersales")}
    assert names == {*PUBLISHED_TABLES, "publishes"}
    assert defects(catalog) == {("SH01", "C-0001"): 30, ("SH01", "C-0002"): 10,
                                ("BJ02", "C-0001"): 50}
    table = catalog.load_table("aftersales.deliveries")
    (field,) = table.spec().fields
    assert (field.name, str(field.transform)) == ("plant", "identity")
    partitions = table.inspect.partitions().to_pylist()
    assert sorted((p["partition"]["plant"], p["record_count"]) for p in partitions) == [
        ("BJ02", 1), ("SH01", 2)]
    files = [Path(f["file_path"]).parent.name for f in table.inspect.files().to_pylist()]
    assert sorted(files) == ["plant=BJ02", "plant=SH01"]
    # the reference tables travel with each plant: BJ02's own PPM target
    targets = catalog.load_table("aftersales.kpi_targets").scan(
        row_filter="kpi == 'ppm' and customer is null").to_arrow().to_pylist()
    assert sorted((r["plant"], r["target"]) for r in targets) == [("BJ02", 1500.0),
                                                                 ("SH01", 200.0)]
    published = catalog.load_table("aftersales.publishes").scan().to_arrow().to_pylist()
    assert sorted({r["plant"] for r in published}) == ["BJ02", "SH01"]
    assert len(published) == 2 * len(PUBLISHED_TABLES)


def test_republishing_replaces_that_plants_rows_only(plants, tmp_path):
    lake = tmp_path / "lake"
    sh01 = make_plant(tmp_path, "SH01")  # its own copy: this test corrects its data
    for code, settings in {"SH01": sh01, "BJ02": plants["BJ02"]}.items():
        publish(settings, locate(str(lake)), code)
    catalog = iceberg_only(lake)
    bj02_files = {
        f["file_path"] for f in catalog.load_table("aftersales.complaints").inspect.files()
        .to_pylist() if "plant=BJ02" in f["file_path"]}
    # SH01 corrects C-0002 (10 -> 12 defects) and publishes again
    correction = write_csv(sh01.project_dir / "in" / "fix.csv", COMPLAINTS_HEADER,
                           ["C-0002,2024-10-10,客户甲,12,cracking,2024-10-10"])
    ingest_files(sh01, correction)
    publish(sh01, locate(str(lake)), "SH01")
    assert defects(catalog) == {("SH01", "C-0001"): 30, ("SH01", "C-0002"): 12,
                                ("BJ02", "C-0001"): 50}
    after = {f["file_path"] for f in catalog.load_table("aftersales.complaints").inspect.files()
             .to_pylist() if "plant=BJ02" in f["file_path"]}
    assert after == bj02_files  # BJ02's data files were not touched
    latest = latest_publishes(open_catalog(locate(str(lake)), create=False))
    assert latest["SH01"].rows["complaints"] == 2 and latest["BJ02"].rows["complaints"] == 1


def test_two_plants_publishing_at_the_same_moment_both_land(plants, tmp_path):
    lake = tmp_path / "lake"  # new: both processes also race to create the catalog
    ids = publish_together(plants, str(lake))
    latest = latest_publishes(open_catalog(locate(str(lake)), create=False))
    assert {p: latest[p].publish_id for p in latest} == ids
    catalog = iceberg_only(lake)
    assert defects(catalog) == {("SH01", "C-0001"): 30, ("SH01", "C-0002"): 10,
                                ("BJ02", "C-0001"): 50}
    for name in PUBLISHED_TABLES:
        plants_in = {r["plant"] for r in catalog.load_table(f"aftersales.{name}").scan(
            selected_fields=("plant",)).to_arrow().to_pylist()}
        expected = {"SH01", "BJ02"} if latest["SH01"].rows[name] else set()
        assert plants_in == expected, name


# Publish, and kill this very process (SIGKILL: no clean-up runs) once `after` tables of the
# publish are committed.
KILLED_PUBLISH = """
import os, signal, sys
from pathlib import Path
from pipelines.lake.catalog import locate
from pipelines.lake.publish import publish
from pipelines.settings import load_settings
folder, lake, plant, after = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
settings = load_settings(Path(folder), warehouse=Path(folder) / "warehouse.duckdb")
committed = []
def progress(table, rows, done):
    if done:
        committed.append(table)
        if len(committed) == after:
            os.kill(os.getpid(), signal.SIGKILL)
publish(settings, locate(lake), plant, progress=progress)
"""


def test_a_publish_killed_midway_leaves_the_last_complete_one_readable(tmp_path):
    lake = tmp_path / "lake"
    sh01 = make_plant(tmp_path, "SH01")  # its own copy: this test corrects its data
    location = locate(str(lake))
    first = publish(sh01, location, "SH01")
    correction = write_csv(sh01.project_dir / "in" / "fix2.csv", COMPLAINTS_HEADER,
                           ["C-0001,2024-09-05,客户甲,99,cracking,2024-09-05"])
    ingest_files(sh01, correction)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_PUBLISH, str(sh01.project_dir), str(lake), "SH01", "3"],
        env=env, capture_output=True, text=True, timeout=240,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    catalog = open_catalog(location, create=False)
    # the killed publish did commit complaints (the first table): the table's newest state
    # holds the corrected 99 defects...
    newest = iceberg_only(lake).load_table("aftersales.complaints").scan(
        row_filter=EqualTo("complaint_id", "C-0001")).to_arrow().to_pylist()
    assert [r["defect_qty"] for r in newest] == [99]
    # ...but readers read the last complete publish: the first one, with 30
    latest = latest_publishes(catalog)
    assert latest["SH01"].publish_id == first.publish_id
    rows = plant_rows(catalog, "complaints", latest["SH01"]).read_all().to_pylist()
    assert sorted((r["complaint_id"], r["defect_qty"]) for r in rows) == [
        ("C-0001", 30), ("C-0002", 10)]
    # and so does the group: SH01's September PPM is still 30 / 10,000 × 1e6
    built = build_group(sh01, location, tmp_path / "group.duckdb")
    with duckdb.connect(str(built.warehouse), read_only=True) as con:
        ppm = con.sql("select value from kpi_scorecard where kpi = 'ppm' and period_kind = "
                      "'month' and period_start = '2024-09-01'").fetchall()
    assert ppm == [(3000.0,)]
