"""`aftersales sql` output: a readable table, exact CSV and JSON, a typed Excel workbook.

CSV and the workbook are opened in spreadsheets, so text that a spreadsheet would run as a
formula (a leading `=`, `+`, `-`, `@`, tab or carriage return) is neutralised in CSV with a
leading `'`, and written as a text cell (never a formula) in the workbook (SPEC §12).
"""

from __future__ import annotations

import json
import shutil
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook
from typer.testing import CliRunner

from pipelines.cli import app

PROJECT = Path(__file__).resolve().parent.parent
# Two complaints whose free text starts like a formula; claim amounts DECIMAL(18,2).
COMPLAINTS = (
    "complaint_id,received_date,customer,defect_qty,description,claim_amount\n"
    'C-1,2024-09-03,"=HYPERLINK(""http://x.example"",""click"")",2,+SUM(A1:A9),178.50\n'
    "C-2,2024-09-04,-Minus Co,1,@cmd,10\n"
    "C-3,2024-09-05,Plain Co,3,a = b,0\n"
)
QUERY = (
    "select complaint_id, customer, description, defect_qty, claim_amount, received_date "
    "from complaints order by complaint_id"
)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "project"
    shutil.copytree(PROJECT / "data" / "reference", folder / "data" / "reference")
    shutil.copytree(PROJECT / "expectations", folder / "expectations")
    monkeypatch.chdir(folder)
    monkeypatch.delenv("AFTERSALES_WAREHOUSE", raising=False)
    (folder / "complaints.csv").write_text(COMPLAINTS, encoding="utf-8")
    result = run("ingest", str(folder / "complaints.csv"))
    assert result.exit_code == 0, result.output
    return folder


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def test_csv_neutralises_formula_text_and_keeps_numbers(project: Path) -> None:
    result = run("sql", QUERY, "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "complaint_id,customer,description,defect_qty,claim_amount,received_date",
        "C-1,\"'=HYPERLINK(\"\"http://x.example\"\",\"\"click\"\")\",'+SUM(A1:A9),2,178.50,"
        "2024-09-03",
        "C-2,'-Minus Co,'@cmd,1,10.00,2024-09-04",
        "C-3,Plain Co,a = b,3,0.00,2024-09-05",  # `=` inside the text is harmless
    ]


def test_csv_neutralises_tab_and_carriage_return_but_not_negative_numbers(project: Path) -> None:
    query = (
        "select -5 as n, -0.25::double as x, '-5' as t, chr(9) || 'tab' as a, "
        "chr(13) || 'cr' as b"
    )
    result = run("sql", query, "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.output == "n,x,t,a,b\n-5,-0.25,'-5,'\ttab,\"'\rcr\"\n"


def test_table_rounds_floats_while_csv_and_json_stay_exact(project: Path) -> None:
    query = "select 178.50419999999997::double as value, 2.0::double as whole, 7 as n"
    table = run("sql", query).output
    row = next(line for line in table.splitlines() if line.startswith("│"))
    assert [cell.strip() for cell in row.strip("│").split("│")] == ["178.504", "2", "7"]
    csv = run("sql", query, "--format", "csv").output
    assert csv == "value,whole,n\n178.50419999999997,2.0,7\n"
    assert json.loads(run("sql", query, "--format", "json").output) == [
        {"value": 178.50419999999997, "whole": 2.0, "n": 7}
    ]


def test_table_shows_times_to_the_second(project: Path) -> None:
    query = "select timestamp '2026-11-02 08:15:42.123456' as at"
    table = run("sql", query).output
    assert "2026-11-02 08:15:42" in table and "123456" not in table


def test_xlsx_writes_typed_cells_and_no_formula(project: Path) -> None:
    target = project / "out" / "complaints.xlsx"
    target.parent.mkdir()
    result = run("sql", QUERY, "--format", "xlsx", "--output", str(target))
    assert result.exit_code == 0, result.output
    assert "Wrote 3 row(s)" in result.output
    rows = CalamineWorkbook.from_path(str(target)).get_sheet_by_index(0).to_python()
    assert rows[0] == [
        "complaint_id", "customer", "description", "defect_qty", "claim_amount", "received_date"
    ]
    assert rows[1] == [
        "C-1", '=HYPERLINK("http://x.example","click")', "+SUM(A1:A9)", 2.0, 178.5,
        date(2024, 9, 3),
    ]
    assert rows[2][1:3] == ["-Minus Co", "@cmd"]
    with zipfile.ZipFile(target) as book:
        sheet = book.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet  # no cell holds a formula
    # numbers are numeric cells (no t="s"), dates numbers with a date style
    assert '<c r="D2" s="0"><v>2</v></c>' in sheet or '<c r="D2"><v>2</v></c>' in sheet


def test_xlsx_keeps_datetimes_and_booleans(project: Path) -> None:
    target = project / "typed.xlsx"
    query = "select timestamp '2026-11-02 08:15:42' as at, true as ok, null::int as nothing"
    assert run("sql", query, "--output", str(target)).exit_code == 0  # told by the name
    rows = CalamineWorkbook.from_path(str(target)).get_sheet_by_index(0).to_python()
    assert rows[1][:2] == [datetime(2026, 11, 2, 8, 15, 42), True]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "xlsx"], "--format xlsx writes a file; add --output FILE.xlsx."),
        (["--output", "result.txt"], "Cannot tell the format of result.txt from its name"),
        (["--format", "table", "--output", "r.csv"], "--output writes csv, json or xlsx"),
    ],
)
def test_output_options_that_do_not_fit_are_one_sentence(project, args, message) -> None:
    result = run("sql", "select 1 as n", *args)
    assert result.exit_code == 1
    assert message in result.output
    assert result.output.count("\n") == 1


def test_a_failed_query_leaves_no_file(project: Path) -> None:
    target = project / "never.xlsx"
    result = run("sql", "select * from no_such_view", "--output", str(target))
    assert result.exit_code == 1
    assert not target.exists()
    assert list(project.glob(".never.xlsx*")) == []
