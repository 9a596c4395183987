"""The README's first command, as a user runs it: `aftersales demo` in a fresh project folder.

Runs the installed console script in a subprocess (real GX, DuckDB, papermill, nbconvert),
then checks the promises of the quick start: it says where the pack is, the warehouse answers
SQL, a second demo doubles nothing, and writes are refused.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
AFTERSALES = Path(sys.executable).parent / "aftersales"


def aftersales(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "AFTERSALES_WAREHOUSE"}
    env["COLUMNS"] = "200"
    return subprocess.run(
        [str(AFTERSALES), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )


def count(cwd: Path, query: str) -> int:
    result = aftersales(cwd, "sql", query, "--format", "json")
    assert result.returncode == 0, result.stderr
    return int(next(iter(json.loads(result.stdout)[0].values())))


@pytest.fixture(scope="module")
def demo_project(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    folder = tmp_path_factory.mktemp("demo") / "project"
    for part in ("data/reference", "expectations", "notebooks"):
        shutil.copytree(PROJECT / part, folder / part)
    return folder, aftersales(folder, "demo")


def test_demo_says_where_the_pack_is(demo_project):
    folder, result = demo_project
    assert result.returncode == 0, result.stdout + result.stderr
    # the month: the demo calendar ends in October 2026 (pipelines/demo: fixed calendar)
    index = folder / "reports" / "2026-10" / "index.html"
    assert f"Review pack: {index}" in result.stdout.replace("\n", "")
    assert index.is_file()
    assert "Traceback" not in result.stderr


def test_demo_quarantine_holds_exactly_the_planned_bad_rows(demo_project):
    folder, _ = demo_project
    plan = tomllib.loads((PROJECT / "pipelines/demo/bad_rows.toml").read_text(encoding="utf-8"))
    # a planned duplicate key quarantines both rows sharing it; any other bad row just itself
    expected = sum(
        2 if "duplicate" in row else 1 for row in plan["bad_rows"] if row["gate"] == "quarantine"
    )
    assert count(folder, "select count(*) from quarantine") == expected
    unaccounted = "select sum(rows_read - rows_loaded - rows_quarantined - rows_skipped)"
    assert count(folder, unaccounted + " from ingest_batches") == 0


def test_second_demo_doubles_nothing(demo_project):
    folder, _ = demo_project
    queries = [f"select count(*) from {t}" for t in ("complaints", "deliveries", "quarantine")]
    queries.append("select count(*) from ingest_batches")
    before = [count(folder, q) for q in queries]
    again = aftersales(folder, "demo")
    assert again.returncode == 0, again.stdout + again.stderr
    assert "already loaded" in again.stdout
    assert [count(folder, q) for q in queries] == before


def test_sql_refuses_to_delete(demo_project):
    folder, _ = demo_project
    result = aftersales(folder, "sql", "delete from complaints")
    assert result.returncode == 1
    assert "only reads" in result.stderr
    assert count(folder, "select count(*) from complaints") > 0


def test_run_ingests_only_what_is_new_then_reports(demo_project):
    folder, _ = demo_project
    before = count(folder, "select count(*) from complaints")
    new = folder / "data" / "inbox" / "complaints" / "late-entry.csv"
    new.write_text(
        "complaint_id,received_date,customer,defect_qty,cause\n"
        "KS-LATE-1,2026-10-30,测试客户,2,开裂\n",
        encoding="utf-8",
    )
    result = aftersales(folder, "run", "--lang", "en")
    assert result.returncode == 0, result.stdout + result.stderr
    # the summary lists the one new file; the 86 demo files are known by their SHA-256
    assert "late-entry.csv" in result.stdout
    assert "2026-10.xlsx" not in result.stdout
    assert count(folder, "select count(*) from complaints") == before + 1
    assert "Review pack:" in result.stdout


@pytest.mark.parametrize("notebook", ["review.ipynb", "data_quality.ipynb"])
def test_notebooks_run_all_in_jupyter_with_their_defaults(demo_project, tmp_path, notebook):
    """An analyst opens notebooks/ in Jupyter and runs all cells: no parameter injected."""
    import papermill

    folder, _ = demo_project
    executed = tmp_path / notebook
    papermill.execute_notebook(
        str(folder / "notebooks" / notebook),
        str(executed),
        cwd=str(folder / "notebooks"),
        progress_bar=False,
    )
    text = executed.read_text(encoding="utf-8")
    assert '"output_type": "error"' not in text
    # the default month is the last complete month with data: the demo ends in October 2026
    assert "2026-10" in text
