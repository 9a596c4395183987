"""A workbook's hidden sheets are not read (SPEC §12): the first *visible* sheet holding the
required columns is. `--sheet` naming a hidden sheet reads it: the user chose it.

Each workbook is written with XlsxWriter, which marks a sheet hidden (`hide()`) or very
hidden (`very_hidden()`, only visible to VBA) in xl/workbook.xml, as Excel does.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import xlsxwriter
from kpi_support import make_project, read_only, rows

from pipelines.errors import FileRejected
from pipelines.ingest import read_file
from pipelines.ingest_pipeline import ingest_paths
from pipelines.settings import read_causes

CAUSES = read_causes(Path(__file__).parents[1] / "data" / "reference" / "causes.csv")
HEADER = ["delivery_id", "customer", "qty", "ship_date", "promised_date"]


def sheet(workbook: xlsxwriter.Workbook, name: str, keys: list[str], hide: str = ""):
    """A deliveries sheet with one line per key (qty 10, shipped and promised 2025-03-05)."""
    worksheet = workbook.add_worksheet(name)
    worksheet.write_row(0, 0, HEADER)
    for i, key in enumerate(keys, start=1):
        worksheet.write_row(i, 0, [key, "甲", 10, "2025-03-05", "2025-03-05"])
    if hide == "hidden":
        worksheet.hide()
    elif hide == "very":
        worksheet.very_hidden()
    return worksheet


def write(path: Path, sheets: list[tuple[str, list[str], str]]) -> Path:
    """A workbook of `sheets` (name, keys, how hidden); a sheet named 说明 holds a note only.

    Excel keeps the active sheet visible (XlsxWriter ignores `hide()` on it), so the first
    visible sheet is made the active one.
    """
    workbook = xlsxwriter.Workbook(str(path))
    first_visible = None
    for name, keys, hide in sheets:
        if name == "说明":
            worksheet = workbook.add_worksheet(name)
            worksheet.write(0, 0, "本表为交付明细，请勿修改隐藏页")
        else:
            worksheet = sheet(workbook, name, keys, hide)
        if not hide and first_visible is None:
            first_visible = worksheet
    first_visible.activate()
    workbook.close()
    return path


@pytest.mark.parametrize("hide", ["hidden", "very"])
def test_a_hidden_sheet_before_the_visible_one_is_passed_over(tmp_path: Path, hide: str) -> None:
    # Sheet order: notes (no header), last month's copy (hidden, D-OLD1, D-OLD2), this month
    # (visible, D-NEW). Read: the visible sheet, 1 row.
    path = write(tmp_path / "交付.xlsx", [
        ("说明", [], ""), ("上月", ["D-OLD1", "D-OLD2"], hide), ("本月", ["D-NEW"], ""),
    ])
    batch = read_file(path, causes=CAUSES)
    assert batch.sheet == "本月"
    assert batch.frame["delivery_id"].to_list() == ["D-NEW"]
    assert batch.rows_read == 1


def test_only_a_hidden_sheet_has_the_columns(tmp_path: Path) -> None:
    path = write(tmp_path / "交付.xlsx", [("说明", [], ""), ("数据", ["D1"], "hidden")])
    with pytest.raises(FileRejected) as caught:
        read_file(path, causes=CAUSES, source="deliveries")
    message = str(caught.value)
    assert "交付.xlsx" in message
    assert "hidden sheets are not read: 数据" in message and "--sheet" in message
    assert message.count(".") >= 1 and "\n" not in message


def test_sheet_option_reads_the_hidden_sheet_it_names(tmp_path: Path) -> None:
    path = write(tmp_path / "交付.xlsx", [("本月", ["D-NEW"], ""), ("上月", ["D-OLD"], "hidden")])
    batch = read_file(path, causes=CAUSES, sheet="上月")
    assert (batch.sheet, batch.frame["delivery_id"].to_list()) == ("上月", ["D-OLD"])


def test_ingest_loads_the_visible_sheet_only(tmp_path: Path) -> None:
    settings = make_project(tmp_path / "project")
    path = write(tmp_path / "交付.xlsx", [
        ("旧", ["D-OLD"], "hidden"), ("新", ["D-NEW1", "D-NEW2"], ""),
    ])
    [outcome] = ingest_paths(settings, [path])
    # read 2 = loaded 2 + quarantined 0 + skipped 0: the hidden sheet's row is not read
    assert (outcome.status, outcome.rows_read, outcome.rows_loaded) == ("loaded", 2, 2)
    with read_only(settings) as con:
        loaded = rows(con, "select delivery_id from deliveries order by 1")
    assert [r["delivery_id"] for r in loaded] == ["D-NEW1", "D-NEW2"]
