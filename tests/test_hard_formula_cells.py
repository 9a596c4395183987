"""Formula cells and Excel error values (SPEC §12).

A formula is read by the value Excel saved with it. A formula without a saved value (a
workbook written by a script, never opened in Excel) is a row error naming the column, not
"required value missing" and not 0. An error value (#DIV/0!, #N/A, ...) is a row error naming
the error and the column, not an empty cell: python-calamine reads both as "" (upstream
dimastbk/python-calamine#105), so the reader looks at the sheet's XML.

The workbook is written with XlsxWriter (`write_formula(..., value=...)` saves a value; the
value "" writes an empty `<v></v>`, which no spreadsheet program saves for a number), then
two cells are edited in the sheet XML for what XlsxWriter cannot write: a formula with no
`<v>` at all (as openpyxl writes it) and a formula whose saved value is the empty text.
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
import xlsxwriter
from kpi_support import make_project, read_only, rows

from pipelines import labels
from pipelines.ingest.problems import REASONS
from pipelines.ingest_pipeline import ingest_paths

HEADER = ["delivery_id", "customer", "qty", "ship_date", "promised_date", "delivered_date"]
ERRORS = ["#DIV/0!", "#N/A", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!"]


def write_workbook(path: Path) -> Path:
    """Rows 2..15 (Excel row numbers), 14 rows:
    2  D1   qty =5*2 saved 10                          -> loaded, qty 10
    3  D2   customer ="乙" saved 乙                     -> loaded, customer 乙
    4  D3   qty =B1*2 saved ""                          -> quarantined: formula without value
    5  D4   delivered_date formula saved as empty text  -> loaded, not delivered
    6  D5   qty =B1*3, no <v> at all                    -> quarantined: formula without value
    7..13 D6..D12  qty holds one error value each       -> quarantined: Excel error value
    14 D13  customer #N/A                               -> quarantined: Excel error value
    15 D14  delivered_date #REF! (an optional column)   -> quarantined: Excel error value
    read 14 = loaded 3 (D1, D2, D4) + quarantined 11 + skipped 0
    """
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("交付")
    sheet.write_row(0, 0, HEADER)
    dates = ["2025-03-05", "2025-03-06", "2025-03-06"]
    sheet.write_row(1, 0, ["D1", "甲"])
    sheet.write_formula(1, 2, "=5*2", None, 10)
    sheet.write_row(1, 3, dates)
    sheet.write_row(2, 0, ["D2"])
    sheet.write_formula(2, 1, '="乙"', None, "乙")
    sheet.write_row(2, 2, [4, *dates])
    sheet.write_row(3, 0, ["D3", "甲"])
    sheet.write_formula(3, 2, "=B1*2", None, "")
    sheet.write_row(3, 3, dates)
    sheet.write_row(4, 0, ["D4", "甲", 5, *dates[:2]])
    sheet.write_formula(4, 5, "=Z98&Z99", None, "")
    sheet.write_row(5, 0, ["D5", "甲"])
    sheet.write_formula(5, 2, "=B1*3", None, "")
    sheet.write_row(5, 3, dates)
    for i, error in enumerate(ERRORS):
        sheet.write_row(6 + i, 0, [f"D{6 + i}", "甲"])
        sheet.write_formula(6 + i, 2, "=1/0", None, error)
        sheet.write_row(6 + i, 3, dates)
    sheet.write_row(13, 0, ["D13"])
    sheet.write_formula(13, 1, "=NA()", None, "#N/A")
    sheet.write_row(13, 2, [1, *dates])
    sheet.write_row(14, 0, ["D14", "甲", 1, *dates[:2]])
    sheet.write_formula(14, 5, "=A99", None, "#REF!")
    workbook.close()
    _edit_sheet(path, {
        # a formula with no saved value at all, as openpyxl writes one
        r'<c r="C6"><f>B1\*3</f><v></v></c>': '<c r="C6"><f>B1*3</f></c>',
        # a formula whose saved value is the empty text: a value, an empty cell
        r'<c r="F5"><f>': '<c r="F5" t="str"><f>',
    })
    return path


def _edit_sheet(path: Path, edits: dict[str, str]) -> None:
    with zipfile.ZipFile(path) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    xml = parts["xl/worksheets/sheet1.xml"].decode("utf-8")
    for pattern, replacement in edits.items():
        xml, count = re.subn(pattern, replacement, xml)
        assert count == 1, pattern
    parts["xl/worksheets/sheet1.xml"] = xml.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)


@pytest.fixture(scope="module")
def landed(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("formulas")
    settings = make_project(folder / "project")
    [outcome] = ingest_paths(settings, [write_workbook(folder / "交付.xlsx")])
    with read_only(settings) as con:
        clean = rows(con, "select delivery_id, customer, qty, delivered_date from deliveries "
                          "order by source_row")
        held = rows(con, "select row_number, natural_key, reasons, findings from quarantine "
                         "order by row_number")
    return outcome, clean, held


def test_counts_add_up(landed) -> None:
    outcome, _, _ = landed
    assert (outcome.rows_read, outcome.rows_loaded, outcome.rows_quarantined,
            outcome.rows_skipped) == (14, 3, 11, 0)


def test_saved_values_are_read(landed) -> None:
    _, clean, _ = landed
    assert [(r["delivery_id"], r["customer"], r["qty"]) for r in clean] == [
        ("D1", "甲", 10), ("D2", "乙", 4), ("D4", "甲", 5),
    ]
    assert clean[2]["delivered_date"] is None  # the saved empty text: not delivered yet


def test_a_formula_without_a_saved_value_is_named(landed) -> None:
    _, _, held = landed
    by_key = {r["natural_key"]: r for r in held}
    assert by_key["D3"]["reasons"] == (
        'qty: formula "=B1*2" without a saved value: open and save the file in Excel'
    )
    assert by_key["D5"]["reasons"] == (
        'qty: formula "=B1*3" without a saved value: open and save the file in Excel'
    )
    assert json.loads(by_key["D3"]["findings"]) == [{
        "column": "qty", "check": "formula_without_value", "value": "=B1*2", "other": None,
        "other_column": None,
    }]


def test_each_error_value_is_named_with_its_column(landed) -> None:
    _, _, held = landed
    by_key = {r["natural_key"]: r["reasons"] for r in held}
    for i, error in enumerate(ERRORS):
        assert by_key[f"D{6 + i}"] == f'qty: Excel error value "{error}"'
    assert by_key["D13"] == 'customer: Excel error value "#N/A"'
    assert by_key["D14"] == 'delivered_date: Excel error value "#REF!"'


def test_error_values_in_a_csv_export_are_errors_too(tmp_path: Path) -> None:
    # Excel writes an error cell into a CSV as its text: same rule.
    settings = make_project(tmp_path / "project")
    path = tmp_path / "d.csv"
    path.write_text(
        ",".join(HEADER) + "\n"
        "D1,甲,#DIV/0!,2025-03-05,2025-03-06,\n"
        "D2,#N/A,3,2025-03-05,2025-03-06,\n"
        "D3,甲,3,2025-03-05,2025-03-06,\n",
        encoding="utf-8",
    )
    [outcome] = ingest_paths(settings, [path])
    # read 3 = loaded 1 (D3) + quarantined 2 + skipped 0
    assert (outcome.rows_read, outcome.rows_loaded, outcome.rows_quarantined) == (3, 1, 2)
    with read_only(settings) as con:
        held = rows(con, "select reasons from quarantine order by row_number")
    assert [r["reasons"] for r in held] == [
        'qty: Excel error value "#DIV/0!"', 'customer: Excel error value "#N/A"',
    ]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_pack_can_word_every_read_problem(lang: str) -> None:
    for code in REASONS:
        assert labels.label("finding", code, lang)
        assert labels.label("check", code, lang)
