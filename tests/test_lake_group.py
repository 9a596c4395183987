"""The group warehouse (SPEC §13): all plants as one company, and each plant's own scorecard
with its own targets. Numbers worked out by hand in tests/lake_support.py."""

from __future__ import annotations

import duckdb
import pytest
from lake_support import AFTERSALES, cli, group_project, make_plant

from pipelines.lake.catalog import locate
from pipelines.lake.group import build_group
from pipelines.lake.publish import publish


@pytest.fixture(scope="module")
def group(tmp_path_factory):
    root = tmp_path_factory.mktemp("group")
    lake = locate(str(root / "lake"))
    for code in ("SH01", "BJ02"):
        publish(make_plant(root, code), lake, code)
    settings = group_project(root)
    built = build_group(settings, lake, root / "group.duckdb")
    con = duckdb.connect(str(built.warehouse), read_only=True)
    yield con
    con.close()


def monthly(con, view: str, kpi: str) -> dict:
    rows = con.execute(
        f"select {'plant, ' if view.endswith('_by_plant') else ''}period_start::varchar, "
        f"numerator, denominator, value, target, met from {view} "
        "where kpi = ? and period_kind = 'month' order by all",
        [kpi],
    ).fetchall()
    return {row[:-5] if view.endswith("_by_plant") else row[0]: row[-5:] for row in rows}


def test_group_ppm_is_summed_defects_over_summed_parts_not_a_mean(group):
    ppm = monthly(group, "kpi_scorecard", "ppm")
    assert ppm["2024-09-01"] == (80.0, 50000.0, 1600.0, 200.0, False)
    assert ppm["2024-10-01"] == (10.0, 5000.0, 2000.0, 200.0, False)


def test_group_otd_over_all_plants_lines(group):
    otd = monthly(group, "kpi_scorecard", "otd")
    assert otd["2024-09-01"] == (2.0, 2.0, 100.0, 98.0, True)
    assert otd["2024-10-01"] == (0.0, 1.0, 0.0, 98.0, False)


def test_each_plants_scorecard_with_its_own_target(group):
    ppm = monthly(group, "kpi_scorecard_by_plant", "ppm")
    assert ppm[("SH01", "2024-09-01")] == (30.0, 10000.0, 3000.0, 200.0, False)
    assert ppm[("BJ02", "2024-09-01")] == (50.0, 40000.0, 1250.0, 1500.0, True)
    assert ppm[("SH01", "2024-10-01")] == (10.0, 5000.0, 2000.0, 200.0, False)
    # BJ02's scorecard runs over its own months only (September)
    assert sorted(k for k in ppm if k[0] == "BJ02") == [("BJ02", "2024-09-01")]
    scorecard = [c[0] for c in group.execute("describe kpi_scorecard").fetchall()]
    by_plant = [c[0] for c in group.execute("describe kpi_scorecard_by_plant").fetchall()]
    assert by_plant == ["plant", *scorecard]


def test_group_causes_and_plant_qualified_ids(group):
    causes = group.execute(
        "select month::varchar, cause_code, complaints, defect_qty from complaint_causes_monthly "
        "order by all").fetchall()
    assert causes == [("2024-09-01", "cracking", 2, 80), ("2024-10-01", "cracking", 1, 10)]
    ids = group.execute("select plant, complaint_id from complaints order by all").fetchall()
    assert ids == [("BJ02", "BJ02/C-0001"), ("SH01", "SH01/C-0001"), ("SH01", "SH01/C-0002")]
    published = group.execute(
        "select plant, rows from group_publishes where table_name = 'deliveries' order by plant"
    ).fetchall()
    assert published == [("BJ02", 1), ("SH01", 2)]


def test_group_build_on_the_command_line(tmp_path):
    settings = make_plant(tmp_path, "SH01")
    done = cli(settings.project_dir, "--warehouse", str(settings.warehouse), "publish",
               "--lake", str(tmp_path / "lake"), "--plant", "SH01")
    assert done.returncode == 0, done.stderr
    assert "Published plant SH01" in done.stdout
    target = tmp_path / "g.duckdb"
    built = cli(settings.project_dir, "group", "build", "--lake", str(tmp_path / "lake"),
                "--warehouse", str(target))
    assert built.returncode == 0, built.stderr
    with duckdb.connect(str(target), read_only=True) as con:
        assert con.execute("select count(*) from deliveries").fetchone() == (2,)
    missing = cli(settings.project_dir, "group", "build", "--lake", str(tmp_path / "none"))
    assert missing.returncode == 1
    assert missing.stderr.strip() == (
        f"Error: No lake at {tmp_path / 'none'} (no catalog.db in it); publish a plant first "
        f"with `{AFTERSALES} publish --lake LAKE --plant CODE`."
    )
