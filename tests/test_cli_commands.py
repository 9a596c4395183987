"""The `aftersales` command as users run it: ingest, sql, status, help, errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipelines.cli import app

PROJECT = Path(__file__).resolve().parent.parent
HEADER = "complaint_id,received_date,customer,defect_qty\n"


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    """A fresh project folder as the current directory; its warehouse does not exist yet."""
    folder = tmp_path / "project"
    shutil.copytree(PROJECT / "data" / "reference", folder / "data" / "reference")
    shutil.copytree(PROJECT / "expectations", folder / "expectations")
    monkeypatch.chdir(folder)
    monkeypatch.delenv("AFTERSALES_WAREHOUSE", raising=False)
    monkeypatch.setenv("COLUMNS", "200")
    return folder


def run(*args: str):
    return CliRunner().invoke(app, list(args))


@pytest.fixture
def loaded(project) -> Path:
    # 3 complaints, C-3 has a negative quantity: 2 loaded, 1 quarantined.
    path = project / "complaints.csv"
    path.write_text(
        HEADER + "C-1,2024-09-03,A,1\nC-2,2024-09-04,B,2\nC-3,2024-09-05,B,-1\n", encoding="utf-8"
    )
    result = run("ingest", str(path))
    assert result.exit_code == 0, result.output
    return project


def test_ingest_prints_a_summary_row_per_file(loaded):
    path = loaded / "complaints.csv"
    result = run("ingest", str(path))  # same content again: no-op
    assert result.exit_code == 0
    assert "already loaded as batch complaints-" in result.output
    line = next(x for x in result.output.splitlines() if "complaints.csv" in x and "│" in x)
    assert [c.strip() for c in line.split("│")[1:-1]] == [
        "complaints.csv",
        "complaints",
        "0",
        "0",
        "0",
        "0",
        "0",
        "duplicate",
    ]


def test_first_ingest_counts(project):
    path = project / "c.csv"
    # 3 read; C-2 bad date -> quarantined; total row skipped: 1 loaded, 1 quarantined, 1 skipped.
    path.write_text(HEADER + "C-1,2024-09-03,A,1\nC-2,2024-9-31,A,1\nTotal,,,2\n", encoding="utf-8")
    result = run("ingest", str(path))
    assert result.exit_code == 0, result.output
    line = next(x for x in result.output.splitlines() if "c.csv" in x and "│" in x)
    assert [c.strip() for c in line.split("│")[1:-1]] == [
        "c.csv",
        "complaints",
        "3",
        "1",
        "1",
        "1",
        "0",
        "loaded*",
    ]
    assert list((project / "reports" / "data-quality").glob("complaints-*.html"))


def test_ingest_exits_1_when_a_file_is_rejected(project):
    (project / "bad.csv").write_text("complaint_id,customer\nC-1,A\n", encoding="utf-8")
    result = run("ingest", str(project / "bad.csv"))
    assert result.exit_code == 1
    assert "Rejected:" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "query",
    [
        "delete from complaints",
        "drop table complaints",
        "insert into complaints (complaint_id) values ('X')",
    ],
)
def test_sql_refuses_writes(loaded, query):
    result = run("sql", query)
    assert result.exit_code == 1
    assert "only reads the warehouse" in result.output
    assert run("sql", "select count(*) as n from complaints", "--format", "csv").output == "n\n2\n"


def test_sql_answers_in_three_formats(loaded):
    query = "select count(*) as n from complaints"
    assert run("sql", query, "--format", "csv").output == "n\n2\n"
    assert json.loads(run("sql", query, "--format", "json").output) == [{"n": 2}]
    table = run("sql", query).output
    cells = [x.strip("│┃ ") for x in table.splitlines() if x[:1] in "│┃"]
    assert cells == ["n", "2"]


def test_status_shows_batches_months_and_open_quarantine(loaded):
    result = run("status")
    assert result.exit_code == 0, result.output
    assert "2024-09" in result.output
    assert "Open quarantine: 1 row(s)" in result.output


def test_fixing_a_quarantined_key_closes_it(loaded):
    fix = loaded / "fix.csv"
    fix.write_text(HEADER + "C-3,2024-09-05,B,1\n", encoding="utf-8")
    assert run("ingest", str(fix)).exit_code == 0
    assert "Open quarantine: none" in run("status").output


def test_missing_warehouse_is_one_red_line(project):
    result = run("sql", "select 1")
    assert result.exit_code == 1
    assert result.output.count("\n") == 1
    assert "No warehouse at" in result.output


@pytest.mark.parametrize("command", ["ingest", "sql", "status", "demo", "report", "run"])
def test_every_command_has_help_with_an_example(command):
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Example: aftersales" in result.output
