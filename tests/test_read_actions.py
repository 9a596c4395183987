"""Corrective actions (8D / CAR): the seed's tracking sheet, its step dates and quality rules.

One Chinese workbook with a title row and a 填表人 line, read by the real reader, checked by the
real suite and landed in a real warehouse next to a complaints file. Rows as Excel numbers them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import xlsxwriter
from loop_support import counts, ingest_one, project, query, warnings, write_lines

from pipelines import labels
from pipelines.ingest import read_file
from pipelines.settings import read_causes
from pipelines.sources import SOURCES

CAUSES = read_causes(Path(__file__).parents[1] / "data" / "reference" / "causes.csv")
HEADER = [
    "8D编号", "客诉编号", "客户", "责任人", "发起日期", "D3完成日期", "D4完成日期",
    "D6完成日期", "D8完成日期", "效果验证", "问题描述",
]  # fmt: skip


def write_tracking_sheet(path: Path) -> Path:
    """1 title 8D跟踪表; 2 填表人/填表时间; 3 header; then (opened = 发起日期):

    4 A-1 C-1, opened 2025-03-03 as a date cell, D3 2025/3/4, D4 2025年3月10日, D6 2025.3.20,
      D8 the serial 45755 (= 2025-04-08), verified 是: every step in order -> loads, no finding;
    5 A-2 C-9, no complaint C-9 is loaded -> loads with the warning unknown_complaint;
    6 empty -> skipped;
    7 A-3, D3 2025-03-08 before opened 2025-03-10 -> quarantined (earlier_than);
    8 A-4 C-1, D8 2025-03-31 but D4 and D6 empty -> loads, two closed_before_steps warnings
      on one row;
    9 A-5, opened 下周 -> quarantined (unparseable date);
    10 合计 -> skipped total.
    """
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("8D")
    date = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write(0, 0, "8D跟踪表")
    sheet.write_row(1, 0, ["填表人：王五", None, "填表时间：2025-04-10"])
    sheet.write_row(2, 0, HEADER)
    sheet.write_row(
        3, 0,
        ["A-1", "C-1", "华为", "张三", None, "2025/3/4", "2025年3月10日", "2025.3.20", 45755,
         "是", "外观划伤"],
    )  # fmt: skip
    sheet.write_datetime(3, 4, dt.datetime(2025, 3, 3), date)
    sheet.write_row(4, 0, ["A-2", "C-9", None, "李四", "2025-03-05", "2025-03-06"])
    sheet.write_row(6, 0, ["A-3", None, "吉利", None, "2025-03-10", "2025-03-08"])
    sheet.write_row(
        7, 0, ["A-4", "C-1", None, None, "2025-03-12", "2025-03-12", None, None, "2025-03-31"]
    )
    sheet.write_row(8, 0, ["A-5", None, "华为", None, "下周"])
    sheet.write_row(9, 0, ["合计", None, None, None, None, None, None, None, None, None, "5项"])
    book.close()
    return path


def test_the_tracking_sheet_is_read_below_its_title_rows(tmp_path: Path) -> None:
    batch = read_file(write_tracking_sheet(tmp_path / "8D.xlsx"), causes=CAUSES)
    assert batch.source.name == "actions" and batch.header_row == 3
    # 7 rows below the header: the empty row 6 and the total row 10 are skipped.
    assert (batch.rows_read, batch.rows_skipped_empty, batch.rows_skipped_total) == (7, 1, 1)
    first = batch.frame.row(0, named=True)
    assert first["opened_date"] == dt.date(2025, 3, 3)
    assert [first[c] for c in ("containment_date", "root_cause_date", "corrective_action_date",
                               "closed_date")] == [
        dt.date(2025, 3, 4), dt.date(2025, 3, 10), dt.date(2025, 3, 20), dt.date(2025, 4, 8),
    ]  # fmt: skip
    assert first["effective"] is True
    # An empty customer stays empty: the linked complaint's customer is a view's job.
    assert batch.frame["customer"].to_list() == ["华为", None, "吉利", None, "华为"]


@pytest.fixture
def landed(tmp_path: Path):
    settings = project(tmp_path)
    ingest_one(
        settings,
        write_lines(
            tmp_path / "complaints.csv",
            ["complaint_id,received_date,customer,defect_qty", "C-1,2025-03-01,华为,2"],
        ),
    )
    return settings, ingest_one(settings, write_tracking_sheet(tmp_path / "8D.xlsx"))


def test_rows_read_are_loaded_quarantined_or_skipped(landed) -> None:
    settings, outcome = landed
    # 7 read = 3 loaded (A-1, A-2, A-4) + 2 quarantined (A-3, A-5) + 2 skipped (rows 6, 10);
    # 2 rows warned.
    assert counts(outcome) == (7, 3, 2, 2, 2)
    assert query(settings, "select action_id from actions order by 1") == [
        ("A-1",), ("A-2",), ("A-4",)
    ]
    assert query(
        settings,
        "select rows_read, rows_loaded, rows_quarantined, rows_skipped, rows_warned "
        "from ingest_batches where source = 'actions'",
    ) == [(7, 3, 2, 2, 2)]


def test_a_step_before_the_opening_is_quarantined(landed) -> None:
    settings, _ = landed
    assert query(
        settings,
        "select row_number, natural_key, reasons from quarantine where source = 'actions' "
        "order by row_number",
    ) == [
        (7, "A-3", 'containment_date: "2025-03-08" is earlier than opened_date "2025-03-10"'),
        (9, "A-5", 'opened_date: unparseable date "下周"'),
    ]


def test_closing_without_root_cause_or_action_and_an_unknown_complaint_are_warnings(
    landed,
) -> None:
    settings, _ = landed
    assert warnings(settings, "actions") == [
        (5, "A-2", "complaint_id", "unknown_complaint", "C-9"),
        (8, "A-4", "corrective_action_date", "closed_before_steps", "2025-03-31"),
        (8, "A-4", "root_cause_date", "closed_before_steps", "2025-03-31"),
    ]


def test_a_complaint_loaded_in_the_same_file_set_is_known(tmp_path: Path) -> None:
    # The action names C-2, loaded just before: 1 read, 1 loaded, nothing warned.
    settings = project(tmp_path)
    ingest_one(
        settings,
        write_lines(
            tmp_path / "c.csv",
            ["complaint_id,received_date,customer,defect_qty", "C-2,2025-03-01,华为,2"],
        ),
    )
    action = write_lines(tmp_path / "a.csv", ["8D编号,客诉编号,发起日期", "A-9,C-2,2025-03-02"])
    assert counts(ingest_one(settings, action)) == (1, 1, 0, 0, 0)


def test_the_new_sources_and_codes_are_worded_in_both_languages() -> None:
    codes = ["closed_before_steps"] + [r.code for s in SOURCES.values() for r in s.references]
    for lang in labels.LANGS:
        for code in codes:
            labels.label("finding", code, lang)
            labels.label("check", code, lang)
    assert labels.label("source", "actions", "zh") == "纠正措施(8D)"
    assert labels.label("source", "customer_scorecards", "en") == "Customer scorecards"
