"""Cell values: every accepted date, number, boolean, enum and rating form, and the
`__invalid` text kept for what cannot be parsed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import polars as pl

from pipelines.ingest import read_file
from pipelines.settings import read_causes

CAUSES = read_causes(Path(__file__).parents[1] / "data" / "reference" / "causes.csv")


def read_rows(tmp_path: Path, header: str, rows: list[str], **kwargs):
    path = tmp_path / "input.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return read_file(path, causes=CAUSES, **kwargs)


def test_every_date_form(tmp_path: Path) -> None:
    forms = [
        "2024-09-03",
        "2024/9/3",
        "2024.9.3",
        "2024年9月3日",
        "45538",  # Excel serial: 45538 days after 1899-12-30
        "2024-09-03 10:22:00",
        "2024/9/3 10:22",
        "２０２４－０９－０３",  # full width
        "20240903",
    ]
    rows = [f"R{i},{form},甲,8" for i, form in enumerate(forms)]
    batch = read_rows(tmp_path, "编号,调查日期,客户,评分", rows, source="surveys")
    assert batch.frame["survey_date"].to_list() == [dt.date(2024, 9, 3)] * len(forms)
    assert batch.frame["survey_date__invalid"].null_count() == len(forms)


def test_unparseable_dates_keep_their_text(tmp_path: Path) -> None:
    rows = ["R1,2024-13-45,甲,8", "R2,下周,甲,8", "R3,2024-02-30,甲,8", "R4,,甲,8"]
    batch = read_rows(tmp_path, "编号,调查日期,客户,评分", rows, source="surveys")
    assert batch.frame["survey_date"].to_list() == [None] * 4
    # The empty cell is missing, not invalid.
    assert batch.frame["survey_date__invalid"].to_list() == [
        "2024-13-45",
        "下周",
        "2024-02-30",
        None,
    ]


def test_numbers_separators_full_width_spaces(tmp_path: Path) -> None:
    header = "运单号,发货日期,客户,金额,超额运费"
    rows = [
        'F1,2024-09-01,甲,"1,234.50",是',  # thousands separator -> 1234.50
        "F2,2024-09-01,甲,１２３,否",  # full-width digits -> 123
        "F3,2024-09-01,甲,  88 ,yes",  # padded -> 88
        "F4,2024-09-01,甲,12.345,N",  # rounded half away from zero -> 12.35
        "F5,2024-09-01,甲,十二,1",  # not a number
        "F6,2024-09-01,甲,-5,0",  # negative parses; the gate checks the range
    ]
    batch = read_rows(tmp_path, header, rows)
    assert batch.source.name == "freight"
    assert batch.frame["amount"].to_list() == [
        Decimal("1234.50"),
        Decimal("123.00"),
        Decimal("88.00"),
        Decimal("12.35"),
        None,
        Decimal("-5.00"),
    ]
    assert batch.frame["amount__invalid"].to_list() == [None, None, None, None, "十二", None]
    assert batch.frame["premium"].to_list() == [True, False, True, False, True, False]


def test_integers_must_be_whole(tmp_path: Path) -> None:
    header = "检查编号,检查日期,客户,检查数量,完好数量"
    rows = [
        'K1,2024-09-30,甲,"1,200",12.0',  # 1200 and 12
        "K2,2024-09-30,甲,12.5,１０",  # 12.5 is not whole; full-width 10
    ]
    batch = read_rows(tmp_path, header, rows)
    assert batch.frame["qty_checked"].to_list() == [1200, None]
    assert batch.frame["qty_checked__invalid"].to_list() == [None, "12.5"]
    assert batch.frame["qty_intact"].to_list() == [12, 10]


def test_every_boolean_word(tmp_path: Path) -> None:
    words = {
        "true": True, "TRUE": True, "yes": True, "Y": True, "y": True, "1": True, "是": True,
        "√": True, "false": False, "No": False, "n": False, "N": False, "0": False,
        "否": False, "×": False,
    }  # fmt: skip
    rows = [f"F{i},2024-09-01,甲,10,{word}" for i, word in enumerate(words)]
    rows.append("F99,2024-09-01,甲,10,maybe")
    batch = read_rows(tmp_path, "运单号,发货日期,客户,金额,超额运费", rows)
    assert batch.frame["premium"].to_list() == [*words.values(), None]
    assert batch.frame["premium__invalid"].to_list() == [None] * len(words) + ["maybe"]


def test_enums_by_code_or_label(tmp_path: Path) -> None:
    header = "编号,投诉日期,客户,数量,阶段,状态"
    rows = [
        "C1,2024-09-01,甲,1,样件,处理中",
        "C2,2024-09-01,甲,1,C样,已关闭",
        "C3,2024-09-01,甲,1,ｃ样,结案",  # full-width lower-case c
        "C4,2024-09-01,甲,1,Mass Production,驳回",
        "C5,2024-09-01,甲,1,SAMPLE,REJECTED",
        "C6,2024-09-01,甲,1,试产,搁置",  # neither is a known label
    ]
    batch = read_rows(tmp_path, header, rows)
    assert batch.frame["phase"].to_list() == [
        "sample", "c_sample", "c_sample", "mass_production", "sample", None,
    ]  # fmt: skip
    assert batch.frame["status"].to_list() == [
        "open",
        "closed",
        "closed",
        "rejected",
        "rejected",
        None,
    ]
    assert batch.frame["phase__invalid"].to_list()[-1] == "试产"
    assert batch.frame["status__invalid"].to_list()[-1] == "搁置"


def test_survey_option_texts_and_numbers(tmp_path: Path) -> None:
    header = "问卷编号,调查日期,客户,服务质量评分,响应速度,问题解决效率,服务态度,售后跟踪"
    rows = [
        # best options -> 4, 4, 4; 售后跟踪 as a number
        "S1,2024-09-01,甲,9,快速响应,快速解决问题,服务态度热情友好,3",
        # worst options -> 1, 1, 1; an option text not on the form -> invalid
        "S2,2024-09-01,乙,4,响应时间过长,问题没有得到解决,服务态度恶劣,很好",
        # second and third options -> 3, 2
        "S3,2024-09-01,丙,7,响应适当,解决问题不彻底,,",
    ]
    batch = read_rows(tmp_path, header, rows)
    frame = batch.frame
    assert batch.source.name == "surveys"
    assert frame.schema["response_speed"] == pl.Int8
    assert frame["score"].to_list() == [9, 4, 7]
    assert frame["response_speed"].to_list() == [4, 1, 3]
    assert frame["resolution"].to_list() == [4, 1, 2]
    assert frame["attitude"].to_list() == [4, 1, None]
    assert frame["follow_up"].to_list() == [3, None, None]
    assert frame["follow_up__invalid"].to_list() == [None, "很好", None]
    assert frame["expertise"].to_list() == [None, None, None]  # column absent


def test_text_is_trimmed_and_empty_is_null(tmp_path: Path) -> None:
    rows = ["  D1 ,\u3000华为\u3000,  ,5,2024-09-01,2024-09-02,"]
    header = "送货单号,客户,料号,数量,发货日期,要求交期,实际到货日期"
    batch = read_rows(tmp_path, header, rows)
    assert batch.frame.row(0, named=True)["delivery_id"] == "D1"
    assert batch.frame["customer"][0] == "华为"
    assert batch.frame["part_no"][0] is None
