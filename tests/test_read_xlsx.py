"""Reading Excel workbooks: title rows, date cells, serial numbers, totals, sheet choice."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import xlsxwriter

from pipelines.errors import FileRejected
from pipelines.ingest import read_file
from pipelines.settings import read_causes

CAUSES = read_causes(Path(__file__).parents[1] / "data" / "reference" / "causes.csv")
HEADER = ["客诉编号", "投诉日期", "客户", "城市", "不良数量", "原因", "索赔金额"]


def read(path: Path, **kwargs):
    return read_file(path, causes=CAUSES, **kwargs)


def write_complaints_workbook(path: Path) -> None:
    """The seed's monthly sheet layout (rows as Excel numbers them):

    1 title 售后问题9月份汇总分析表; 2 填表人/填表时间; 3 empty; 4 header;
    5 C1 (date cell, integer-valued float 12.0); 6 empty; 7 C2 (serial number 45538
    = 2024-09-03 typed as a number, amount 1234.5); 8 C3 (datetime cell 2024-09-04 10:22,
    text date 2024年9月5日 ignored: received is the datetime); 9 repeat of row 5;
    10 合计 row; 11 empty.
    """
    book = xlsxwriter.Workbook(path)
    cover = book.add_worksheet("说明")
    cover.write(0, 0, "本工作簿为9月客诉汇总")
    sheet = book.add_worksheet("9月")
    date_fmt = book.add_format({"num_format": "yyyy-mm-dd"})
    time_fmt = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    sheet.write(0, 0, "售后问题9月份汇总分析表")
    sheet.write_row(1, 0, ["填表人：李四", None, "填表时间：2024-10-02"])
    sheet.write_row(3, 0, HEADER)
    sheet.write_row(4, 0, ["C1", None, "华为", "深圳", 12.0, "开裂", 100])
    sheet.write_datetime(4, 1, dt.datetime(2024, 9, 2), date_fmt)
    sheet.write_row(6, 0, ["C2", 45538, "比亚迪", "西安", 3, "变形", 1234.5])
    sheet.write_row(7, 0, ["C3", None, "吉利", "杭州", 1, None, None])
    sheet.write_datetime(7, 1, dt.datetime(2024, 9, 4, 10, 22), time_fmt)
    sheet.write_row(8, 0, ["C1", None, "华为", "深圳", 12.0, "开裂", 100])
    sheet.write_datetime(8, 1, dt.datetime(2024, 9, 2), date_fmt)
    sheet.write_row(9, 0, ["合计", None, None, None, 16, None, 1334.5])
    sheet.write(10, 0, "")
    book.close()


def test_seed_layout_workbook(tmp_path: Path) -> None:
    path = tmp_path / "complaints.xlsx"
    write_complaints_workbook(path)
    batch = read(path)
    # The first sheet 说明 holds no header: the second sheet is read.
    assert batch.source.name == "complaints" and batch.sheet == "9月"
    assert batch.header_row == 4
    # Rows 5..10 below the header: C1, empty, C2, C3 kept; row 9 repeat; row 10 total.
    assert batch.rows_read == 6
    assert (batch.rows_skipped_empty, batch.rows_skipped_total, batch.rows_skipped_repeat) == (
        1,
        1,
        1,
    )
    frame = batch.frame
    assert frame["complaint_id"].to_list() == ["C1", "C2", "C3"]
    assert frame["source_row"].to_list() == [5, 7, 8]
    assert frame["received_date"].to_list() == [
        dt.date(2024, 9, 2),
        dt.date(2024, 9, 3),
        dt.date(2024, 9, 4),
    ]
    assert frame["defect_qty"].to_list() == [12, 3, 1]
    assert [str(v) for v in frame["claim_amount"].to_list()] == ["100.00", "1234.50", "None"]
    assert frame["cause"].to_list() == ["cracking", "deformation", "pending"]
    # Raw keeps the cell text a user sees: 12 not 12.0, the date cell as a date.
    assert batch.raw.row(0) == ("C1", "2024-09-02", "华为", "深圳", "12", "开裂", "100", 5)
    assert batch.raw["投诉日期"].to_list() == ["2024-09-02", "45538", "2024-09-04 10:22:00"]


def test_sheet_option_picks_a_sheet(tmp_path: Path) -> None:
    path = tmp_path / "complaints.xlsx"
    write_complaints_workbook(path)
    assert read(path, sheet="9月").frame.height == 3
    with pytest.raises(FileRejected, match=r"complaints\.xlsx has no sheet named '8月'.*说明, 9月"):
        read(path, sheet="8月")
    with pytest.raises(FileRejected, match="lacks required column"):
        read(path, sheet="说明", source="complaints")


def test_xlsx_with_header_on_row_one(tmp_path: Path) -> None:
    path = tmp_path / "checks.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["检查编号", "检查日期", "客户", "财产名称", "检查数量", "完好数量"])
    sheet.write_row(1, 0, ["K1", "2024/9/30", "华为", "周转箱", 40, 38])
    book.close()
    batch = read(path)
    assert batch.source.name == "property_checks"
    assert batch.frame.row(0, named=True)["qty_intact"] == 38
    assert batch.frame["check_date"][0] == dt.date(2024, 9, 30)
    assert batch.frame["source_row"][0] == 2
