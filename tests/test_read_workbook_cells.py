"""Workbook cells become the text a user sees in Excel, whole columns at a time, with the
same result as the one-cell rule (`cell_text`) for every kind of value."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import xlsxwriter

from pipelines.ingest import read_file
from pipelines.ingest.cells import cell_text, text_column
from pipelines.settings import read_causes

CAUSES = read_causes(Path(__file__).parents[1] / "data" / "reference" / "causes.csv")

# value -> the text Excel shows (15 significant digits, no trailing .0, ISO dates).
SHOWN: list[tuple[object, str | None]] = [
    ("", None),
    (None, None),
    (" 甲 ", " 甲 "),  # text is kept as typed; trimming comes later
    (12.0, "12"),
    (-3.0, "-3"),
    (-0.0, "0"),
    (12.5, "12.5"),
    (0.1 + 0.2, "0.3"),  # 0.30000000000000004 shown with 15 digits
    (1234.5, "1234.5"),
    (45538.0, "45538"),
    (1e20, "100000000000000000000"),  # whole, beyond Int64 range: still all digits
    (2.0**53, "9007199254740992"),
    (True, "true"),
    (False, "false"),
    (7, "7"),
    (dt.datetime(2024, 9, 4, 10, 22), "2024-09-04 10:22:00"),
    (dt.datetime(2024, 9, 4, 10, 22, 5, 123), "2024-09-04 10:22:05.000123"),
    (dt.date(2024, 9, 3), "2024-09-03"),
    (dt.time(10, 22), "10:22:00"),
    (dt.time(1, 2, 3, 4), "01:02:03.000004"),
    (dt.timedelta(days=1, seconds=5), "1 day, 0:00:05"),
]


def test_each_value_shown_as_in_excel() -> None:
    for value, shown in SHOWN:
        assert cell_text(value) == shown, value


def test_a_mixed_column_matches_the_one_cell_rule() -> None:
    values = [value for value, _ in SHOWN]
    assert text_column(values).to_list() == [shown for _, shown in SHOWN]
    # One kind at a time, with empty cells around it, as a sheet column holds them.
    for value, shown in SHOWN:
        assert text_column(["", value, None]).to_list() == [None, shown, None], value


def test_long_sheet_with_typed_cells(tmp_path: Path) -> None:
    # 3,000 delivery rows: qty a whole number (n % 50 + 1), ship date a date cell
    # (2024-09-01 + n % 30 days), every 10th row without a delivered date.
    path = tmp_path / "d.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("d")
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(0, 0, ["送货单号", "客户", "数量", "发货日期", "要求交期", "实际到货日期"])
    start = dt.datetime(2024, 9, 1)
    for n in range(3000):
        sheet.write_row(n + 1, 0, [f"D{n}", "甲", float(n % 50 + 1)])
        sheet.write_datetime(n + 1, 3, start + dt.timedelta(days=n % 30), day)
        sheet.write_datetime(n + 1, 4, start + dt.timedelta(days=n % 30 + 3), day)
        if n % 10:
            sheet.write_datetime(n + 1, 5, start + dt.timedelta(days=n % 30 + 2), day)
    book.close()
    batch = read_file(path, causes=CAUSES)
    assert batch.rows_read == 3000 and batch.rows_skipped == 0
    assert batch.raw["数量"][:3].to_list() == ["1", "2", "3"]
    assert batch.frame["qty"].sum() == 60 * sum(range(1, 51))  # 3000 rows = 60 rounds of 1..50
    assert batch.frame["ship_date"][31] == dt.date(2024, 9, 2)  # row 31: 31 % 30 = 1 day
    assert batch.frame["delivered_date"].null_count() == 300
    assert batch.frame["source_row"][-1] == 3001
