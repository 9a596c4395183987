"""The quality gate's findings worded in the pack's language from their facts.

Hand-made facts frames; the expected sentences are written out from the templates by hand
(column names in Chinese are each column's first Chinese alias in pipelines/sources.py).
"""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl

from pipelines.ingest import read_file
from pipelines.quality import QualityGate
from pipelines.report.render import localize
from pipelines.settings import load_settings

PROJECT = Path(__file__).resolve().parent.parent


def facts(*rows: tuple) -> pl.DataFrame:
    """(source, column, check, value, other, other_column) per finding."""
    return pl.DataFrame(
        rows,
        schema=["source", "column", "check", "value", "other", "other_column"],
        orient="row",
    )


FACTS = facts(
    ("complaints", "received_date", "unparseable_date", "2024-13-45", None, None),
    ("complaints", "customer", "missing", None, None, None),
    ("surveys", "score", "out_of_range_max", "11", "10", None),
    ("deliveries", "qty", "out_of_range_min_exclusive", "0", "0", None),
    ("deliveries", "delivered_date", "earlier_than", "2024-08-30", "2024-09-01", "ship_date"),
    ("property_checks", "qty_intact", "more_than", "12", "10", "qty_checked"),
    ("complaints", "cause", "not_in_taxonomy", "螺丝松动", None, None),
    ("deliveries", "司机", "unknown_column", None, None, None),
    ("complaints", "plant", "a_check_added_later", "X", None, None),
)


def test_findings_in_chinese() -> None:
    assert localize.worded_findings(FACTS, "zh").to_list() == [
        '接收日期: 无法识别的日期 "2024-13-45"',
        '客户: 必填值缺失',
        '评分: 超出范围 "11"，不得大于 10',
        '数量: 超出范围 "0"，必须大于 0',
        '实际到货日期: "2024-08-30" 早于发货日期 "2024-09-01"',
        '完好数量: "12" 大于检查数量 "10"',
        '原因: "螺丝松动" 不在原因分类中（按“未归类”保留）',
        '列 "司机" 不属于交付数据：已忽略',
        None,  # no wording for this code: the caller keeps the gate's English
    ]


def test_findings_in_english() -> None:
    assert localize.worded_findings(FACTS, "en").to_list() == [
        'received_date: unparseable date "2024-13-45"',
        "customer: required value missing",
        'score: out of range "11", must be at most 10',
        'qty: out of range "0", must be greater than 0',
        'delivered_date: "2024-08-30" is earlier than ship_date "2024-09-01"',
        'qty_intact: "12" is more than qty_checked "10"',
        'cause: "螺丝松动" is not in the cause taxonomy (kept as unmapped)',
        'column "司机" is not a Deliveries column: ignored',
        None,
    ]


def quarantine_frame() -> pl.DataFrame:
    """Three held rows: one with two findings, one held before facts were stored (findings
    NULL), one whose second finding has a code the pack cannot word."""
    two = [
        {"column": "received_date", "check": "unparseable_date", "value": "2024-13-45"},
        {"column": "defect_qty", "check": "out_of_range_min", "value": "-3", "other": "0"},
    ]
    unknown = [
        {"column": "customer", "check": "missing", "value": None},
        {"column": "plant", "check": "a_check_added_later", "value": "X"},
    ]
    return pl.DataFrame(
        {
            "source": ["complaints"] * 3,
            "row_number": [2, 3, 4],
            "reasons": ["english 1", "english 2", "english 3"],
            "findings": [json.dumps(two, ensure_ascii=False), None, json.dumps(unknown)],
        }
    )


def test_quarantine_reasons_from_the_facts_else_the_stored_english() -> None:
    zh = localize.quarantine_reasons(quarantine_frame(), "zh")
    assert zh["reasons"].to_list() == [
        '接收日期: 无法识别的日期 "2024-13-45"; 不良数量: 超出范围 "-3"，不得小于 0',
        "english 2",
        "english 3",
    ]
    assert zh["row_number"].to_list() == [2, 3, 4]
    en = localize.quarantine_reasons(quarantine_frame(), "en")
    assert en["reasons"][0] == (
        'received_date: unparseable date "2024-13-45"; '
        'defect_qty: out of range "-3", must be at least 0'
    )


def test_warnings_are_worded_named_and_fall_back() -> None:
    warnings = pl.DataFrame(
        {
            "source": ["complaints", "complaints", "deliveries"],
            "column_name": ["cause", "cause", "司机"],
            "check_name": ["expect_column_values_to_not_be_in_set"] * 2 + ["unknown_columns"],
            "message": ["english 1", "english 2", "english 3"],
            "code": ["not_in_taxonomy", None, "unknown_column"],  # None: an older warehouse
            "value": ["螺丝松动", "螺丝松动", None],
            "other": [None, None, None],
            "other_column": [None, None, None],
        },
        schema_overrides={"other": pl.String, "other_column": pl.String},
    )
    zh = localize.warning_texts(warnings, "zh")
    assert zh["message"].to_list() == [
        '原因: "螺丝松动" 不在原因分类中（按“未归类”保留）',
        "english 2",
        '列 "司机" 不属于交付数据：已忽略',
    ]
    assert zh["check_name"].to_list() == [
        "原因未归类", "expect_column_values_to_not_be_in_set", "未知列"
    ]
    assert zh["column_name"].to_list() == ["原因", "原因", "司机"]


def test_the_english_pack_words_findings_as_the_gate_does(tmp_path: Path) -> None:
    # Every finding here has one bound at most, so the gate's reason and the pack's English
    # must agree word for word: line 2 an unparseable date, an unknown status and a negative
    # quantity; line 3 a missing customer; lines 4 and 5 a duplicate key.
    path = tmp_path / "complaints.csv"
    path.write_text(
        "complaint_id,received_date,customer,defect_qty,status\n"
        "C-1,2024-13-45,A,-3,maybe\nC-2,2024-09-03,,1,\nC-4,2024-09-04,B,2,\n"
        "C-4,2024-09-05,B,2,\n",
        encoding="utf-8",
    )
    settings = load_settings(PROJECT)
    read = read_file(path, causes=settings.causes())
    held = QualityGate(PROJECT / "expectations").check(read).quarantine
    assert held.height == 4
    worded = localize.quarantine_reasons(
        held.with_columns(source=pl.lit("complaints"), reasons=pl.lit("not used")), "en"
    )
    assert worded["reasons"].to_list() == held["reasons"].to_list()
