"""Reading CSV exports: encodings, header row search, header names, skipped rows, lines."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from pipelines.ingest import read_file
from pipelines.settings import read_causes

CAUSES = read_causes(Path(__file__).parents[1] / "data" / "reference" / "causes.csv")

DELIVERIES_ZH = (
    "送货单号,客户,料号,数量,发货日期,要求交期,实际到货日期\n"
    "D1,华为技术,P-01,100,2024-09-02,2024-09-05,2024-09-04\n"
    "D2,比亚迪汽车,P-02,250,2024-09-03,2024-09-06,\n"
)


def read(path: Path, **kwargs):
    return read_file(path, causes=CAUSES, **kwargs)


@pytest.mark.parametrize(
    ("encoding", "label"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gbk", "gbk")],
)
def test_chinese_headers_in_each_encoding(tmp_path: Path, encoding: str, label: str) -> None:
    path = tmp_path / "deliveries.csv"
    path.write_bytes(DELIVERIES_ZH.encode(encoding))
    batch = read(path)
    assert batch.source.name == "deliveries"
    assert batch.encoding == label
    assert batch.header_row == 1
    # Two data lines, none skipped; Chinese text survives every encoding unchanged.
    assert batch.rows_read == 2 and batch.rows_skipped == 0
    assert batch.frame["customer"].to_list() == ["华为技术", "比亚迪汽车"]
    assert batch.frame["qty"].to_list() == [100, 250]
    assert batch.frame["ship_date"].to_list() == [dt.date(2024, 9, 2), dt.date(2024, 9, 3)]
    assert batch.frame["delivered_date"].to_list() == [dt.date(2024, 9, 4), None]
    # Data lines 2 and 3 of the file.
    assert batch.frame["source_row"].to_list() == [2, 3]
    assert batch.raw.columns == [
        "送货单号", "客户", "料号", "数量", "发货日期", "要求交期", "实际到货日期", "source_row",
    ]  # fmt: skip


def test_gb18030_only_characters(tmp_path: Path) -> None:
    # "𠀀" (U+20000) exists in GB18030 but not in GBK: the file is GB18030, read unharmed.
    text = DELIVERIES_ZH.replace("华为技术", "华为𠀀")
    path = tmp_path / "d.csv"
    path.write_bytes(text.encode("gb18030"))
    batch = read(path)
    assert batch.encoding == "gb18030"
    assert batch.frame["customer"][0] == "华为𠀀"


def test_sha256_is_of_the_file_bytes(tmp_path: Path) -> None:
    import hashlib

    path = tmp_path / "d.csv"
    path.write_bytes(DELIVERIES_ZH.encode("utf-8"))
    assert read(path).sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_header_below_title_rows_and_skipped_rows(tmp_path: Path) -> None:
    text = (
        "售后问题9月份汇总分析表,,,,,,\n"  # line 1: title
        "填表人：张三,填表时间：2024-10-01,,,,,\n"  # line 2: filled in by / on
        "送货单号,客户,料号,数量,发货日期,要求交期,实际到货日期\n"  # line 3: header
        "D1,华为,P1,10,2024-09-02,2024-09-05,2024-09-04\n"  # line 4: kept
        ",,,,,,\n"  # line 5: empty
        "D2,华为,P2,20,2024-09-02,2024-09-05,\n"  # line 6: kept
        "D1,华为,P1,10,2024-09-02,2024-09-05,2024-09-04\n"  # line 7: repeat of line 4
        "\n"  # line 8: blank line, empty
        "D1,华为,P1,11,2024-09-02,2024-09-05,2024-09-04\n"  # line 9: same key, other qty: kept
        "合计,,,41,,,\n"  # line 10: total
        " TOTAL ,,,41,,,\n"  # line 11: total (any case, spaces trimmed)
    )
    path = tmp_path / "d.csv"
    path.write_text(text, encoding="utf-8")
    batch = read(path)
    assert batch.header_row == 3
    # Lines 4..11 are 8 data rows: 3 kept, 2 empty, 2 total, 1 repeat.
    assert batch.rows_read == 8
    assert batch.frame.height == 3
    assert (batch.rows_skipped_empty, batch.rows_skipped_total, batch.rows_skipped_repeat) == (
        2,
        2,
        1,
    )
    assert batch.rows_read == batch.frame.height + batch.rows_skipped
    assert batch.frame["source_row"].to_list() == [4, 6, 9]
    assert batch.raw["source_row"].to_list() == [4, 6, 9]
    assert batch.frame["qty"].to_list() == [10, 20, 11]


def test_header_normalisation_width_case_spaces(tmp_path: Path) -> None:
    # Full-width letters and underscore-free English names, odd case, padding spaces.
    header = " ＤＥＬＩＶＥＲＹ＿ＩＤ , Customer ,PART NO,Qty ,Ship-Date,promised date,实际到货日期"
    path = tmp_path / "d.csv"
    path.write_text(header + "\nD1,甲,P,5,2024-09-01,2024-09-02,\n", encoding="utf-8")
    batch = read(path)
    assert batch.source.name == "deliveries"
    assert batch.unknown_columns == []
    assert batch.frame.row(0, named=True)["delivery_id"] == "D1"
    assert batch.frame["promised_date"][0] == dt.date(2024, 9, 2)


def test_two_headers_for_one_column_and_unknown_columns(tmp_path: Path) -> None:
    # 发货日期 and 出货日期 both name ship_date: 发货日期 comes first in the alias list, so
    # it wins and 出货日期 is an unknown column, like 备注. The unnamed 9th column holds
    # data (column I); the unnamed 10th is empty and ignored.
    text = (
        "送货单号,客户,数量,出货日期,发货日期,要求交期,备注,实际到货日期,,\n"
        "D1,甲,5,2024-01-01,2024-09-01,2024-09-02,急,,x,\n"
    )
    path = tmp_path / "d.csv"
    path.write_text(text, encoding="utf-8")
    batch = read(path)
    assert batch.frame["ship_date"][0] == dt.date(2024, 9, 1)
    assert batch.unknown_columns == ["出货日期", "备注", "column I"]
    assert batch.raw.columns == [
        "送货单号", "客户", "数量", "出货日期", "发货日期", "要求交期", "备注", "实际到货日期",
        "column I", "source_row",
    ]  # fmt: skip
    assert batch.frame["part_no"].to_list() == [None]  # optional column absent: all null


def test_quoted_line_breaks_shift_line_numbers(tmp_path: Path) -> None:
    text = (
        "编号,投诉日期,客户,数量,问题描述\n"  # line 1
        'C1,2024-09-03,甲,1,"第一行\n第二行"\n'  # lines 2-3
        "C2,2024-09-04,乙,2,短\n"  # line 4
    )
    path = tmp_path / "c.csv"
    path.write_text(text, encoding="utf-8")
    batch = read(path, source="complaints")
    assert batch.frame["description"].to_list() == ["第一行\n第二行", "短"]
    assert batch.frame["source_row"].to_list() == [2, 4]


def test_tab_separated_export(tmp_path: Path) -> None:
    path = tmp_path / "d.txt"
    path.write_text(DELIVERIES_ZH.replace(",", "\t"), encoding="utf-8")
    batch = read(path)
    assert batch.frame["qty"].to_list() == [100, 250]


def test_header_only_file_gives_empty_typed_frame(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    path.write_text(DELIVERIES_ZH.splitlines()[0] + "\n", encoding="utf-8")
    batch = read(path)
    assert batch.rows_read == 0 and batch.frame.height == 0
    assert batch.frame.schema["qty"] == pl.Int64
    assert batch.frame.schema["ship_date"] == pl.Date
