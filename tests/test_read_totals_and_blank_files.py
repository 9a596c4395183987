"""Total rows are told from data by the natural key; files holding no data say so."""

from __future__ import annotations

from pathlib import Path

import pytest
import xlsxwriter

from pipelines.errors import FileRejected, SourceUnknown
from pipelines.ingest import read_file
from pipelines.settings import read_causes

CAUSES = read_causes(Path(__file__).parents[1] / "data" / "reference" / "causes.csv")
HEADER = ["项次", "投诉编号", "投诉日期", "客户名称", "城市", "产生原因", "案例", "件数"]


def read(path: Path, **kwargs):
    return read_file(path, causes=CAUSES, **kwargs)


def test_total_words_with_and_without_a_key_csv(tmp_path: Path) -> None:
    lines = [
        ",".join(HEADER),  # line 1
        "1,C001,2024-09-02,TOTAL,上海,开裂,面板开裂,1",  # 2: customer coded TOTAL, keyed: kept
        "2,C002,2024-09-03,华为,北京,开裂,面板开裂,2",  # 3: kept
        "3,C003,2024-09-04,总计,西安,色差,颜色差,1",  # 4: customer 总计, keyed: kept
        "4,,2024-09-05,华为,北京,色差,颜色差,1",  # 5: no key but no total word: kept
        "25,,,,,合计,,5",  # 6: the seed's total row: item number, no key: total
        "26,合计,,,,,,5",  # 7: the key cell itself reads 合计: total
        ",,,,,,,",  # 8: empty
    ]
    path = tmp_path / "complaints.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    batch = read(path)
    # Lines 2..8 are 7 rows: 4 kept (lines 2-5), 2 total (6, 7), 1 empty (8), no repeat.
    assert batch.rows_read == 7
    assert (batch.rows_skipped_empty, batch.rows_skipped_total, batch.rows_skipped_repeat) == (
        1,
        2,
        0,
    )
    assert batch.frame["source_row"].to_list() == [2, 3, 4, 5]
    assert batch.frame["customer"].to_list() == ["TOTAL", "华为", "总计", "华为"]


def test_total_words_with_and_without_a_key_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "complaints.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("9月")
    sheet.write_row(0, 0, ["售后问题9月份汇总分析表"])  # row 1: title
    sheet.write_row(1, 0, HEADER)  # row 2: header
    sheet.write_row(2, 0, [1, "C001", "2024-09-02", "华为", "北京", "开裂", "面板开裂", 1])
    sheet.write_row(3, 0, [2, "C002", "2024-09-03", "Total", "上海", "开裂", "面板开裂", 4])
    sheet.write_row(4, 0, [3, "C003", "2024-09-04", "吉利", "杭州", "色差", "颜色差", 2])
    sheet.write_row(5, 0, ["合计", None, None, None, None, None, None, 7])
    sheet.write_row(6, 0, [25, "合计", None, None, None, None, None, 7])
    book.close()
    batch = read(path)
    # Rows 3..7 are 5 rows: 3 kept (rows 3-5, the Total customer among them); row 6 has 合计
    # in 项次 and no key, row 7 has 合计 as its key: 2 total rows.
    assert batch.header_row == 2
    assert (batch.rows_read, batch.rows_skipped_total, batch.rows_skipped) == (5, 2, 2)
    assert batch.frame["complaint_id"].to_list() == ["C001", "C002", "C003"]
    assert batch.frame["defect_qty"].to_list() == [1, 4, 2]


def _empty_workbook(path: Path, *sheets: str) -> None:
    book = xlsxwriter.Workbook(path)
    for name in sheets:
        book.add_worksheet(name)
    book.close()


@pytest.mark.parametrize("source", [None, "complaints"])
def test_workbook_with_one_empty_sheet(tmp_path: Path, source: str | None) -> None:
    path = tmp_path / "empty.xlsx"
    _empty_workbook(path, "Sheet1")
    with pytest.raises(FileRejected) as info:
        read(path, source=source)
    message = str(info.value)
    assert not isinstance(info.value, SourceUnknown)
    assert message.startswith("Workbook empty.xlsx holds no data (every sheet is empty: Sheet1);")
    assert "--source" not in message and "lacks" not in message


def test_workbook_whose_every_sheet_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "two.xlsx"
    book = xlsxwriter.Workbook(path)
    book.add_worksheet("一月")
    formatted = book.add_worksheet("二月")
    formatted.write_blank(3, 2, None, book.add_format({"bold": True}))  # formatting, no value
    formatted.write(5, 1, "   ")  # only spaces
    book.close()
    with pytest.raises(
        FileRejected,
        match=r"^Workbook two\.xlsx holds no data \(every sheet "
        r"is empty: 一月, 二月\); export it again",
    ):
        read(path)


def test_picked_sheet_that_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "picked.xlsx"
    book = xlsxwriter.Workbook(path)
    book.add_worksheet("data").write_row(0, 0, HEADER)
    book.add_worksheet("blank")
    book.close()
    with pytest.raises(
        FileRejected, match=r"^Sheet 'blank' of workbook picked\.xlsx holds no data;"
    ):
        read(path, sheet="blank")


def test_empty_sheet_before_the_data_sheet_is_passed_over(tmp_path: Path) -> None:
    path = tmp_path / "later.xlsx"
    book = xlsxwriter.Workbook(path)
    book.add_worksheet("blank")
    data = book.add_worksheet("data")
    data.write_row(0, 0, HEADER)
    data.write_row(1, 0, [1, "C001", "2024-09-02", "华为", "北京", "开裂", "面板开裂", 1])
    book.close()
    batch = read(path)
    assert (batch.sheet, batch.rows_read) == ("data", 1)


@pytest.mark.parametrize(
    "content",
    [
        b"\n\n\r\n\n",  # blank lines only
        b",,,\n , ,\n",  # delimiters and spaces only
        b";;;\n;\t;\n",  # another delimiter
        b",,\n" * 40,  # blank well past the rows searched for a header
    ],
)
def test_csv_holding_only_empty_lines(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "blank.csv"
    path.write_bytes(content)
    with pytest.raises(FileRejected) as info:
        read(path)
    assert not isinstance(info.value, SourceUnknown)
    assert str(info.value) == (
        "File blank.csv holds no data (not one cell is filled in); "
        "export it again with its header row and rows."
    )


def test_data_below_the_searched_rows_is_not_called_empty(tmp_path: Path) -> None:
    # 20 blank lines, then a header on line 21: the file holds data, but no header within
    # the first rows, so the message is about the header, not about an empty file.
    path = tmp_path / "deep.csv"
    path.write_text("\n" * 20 + ",".join(HEADER) + "\n", encoding="utf-8")
    with pytest.raises(SourceUnknown, match=r"^Cannot tell the source of file deep\.csv"):
        read(path)
