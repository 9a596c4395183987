"""Escalation explanations are composed from the facts the query returns, in either language;
the query returns no sentence of its own."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from pipelines.errors import LabelMissing
from pipelines.report.render import localize

NAMES = pl.DataFrame({"code": ["cracking"], "name_zh": ["开裂"], "name_en": ["Cracking"]})


def candidates() -> pl.DataFrame:
    """One candidate per rule, hand-made, with the fact columns of each rule."""
    return pl.DataFrame(
        {
            "complaint_id": ["K1", "K2", "K3"],
            "received_date": [date(2024, 8, d) for d in (25, 20, 20)],
            "customer": ["甲", "甲", "甲"],
            "part_no": ["P-2", "P-1", "P-1"],
            "cause_code": ["cracking", "cracking", "cracking"],
            "phase": ["mass_production", "sample", "sample"],
            "owner": ["after_sales", "rd", "rd"],
            "rule": ["batch", "repeat", "recurrence"],
            "defect_qty": [1500, 30, 30],
            "related_count": [None, 4, None],
            "window_start": [None, date(2024, 7, 22), None],
            "window_end": [None, date(2024, 8, 20), None],
            "earlier_complaint_id": [None, None, "C-2407"],
            "earlier_closed_date": [None, None, date(2024, 7, 20)],
            "gap_days": [None, None, 31],
            "batch_qty": [100, 100, 100],  # the setting the query read
        }
    )


def test_details_come_from_the_fact_columns() -> None:
    zh = localize.escalations(candidates(), NAMES, "zh")
    assert zh["detail"].to_list() == [
        "不良数量 1500 ≥ 批量阈值 100",
        "2024-07-22 至 2024-08-20，产品 P-1 因“开裂”共 4 件客诉",
        "C-2407 于 2024-07-20 关闭后 31 天，产品 P-1 再次出现“开裂”",
    ]
    assert zh["rule"].to_list() == ["批量问题", "重复发生", "关闭后复发"]
    assert zh["phase"].to_list()[0] == "量产 → 运营售后"
    en = localize.escalations(
        candidates().with_columns(batch_qty=pl.lit(1000)), NAMES, "en")
    assert en["detail"].to_list() == [
        "defect qty 1500 ≥ batch threshold 1000",
        "4 complaints on part P-1 with cause Cracking from 2024-07-22 to 2024-08-20",
        "Cracking again on part P-1 31 days after C-2407 was closed on 2024-07-20",
    ]


def test_a_rule_the_label_files_do_not_name_is_an_error() -> None:
    future = candidates().with_columns(rule=pl.lit("a_future_rule"))
    with pytest.raises(LabelMissing, match=r"'a_future_rule' in \[rule\]"):
        localize.escalations(future, NAMES, "en")


def test_no_candidate_gives_an_empty_table() -> None:
    none = localize.escalations(candidates().clear(), NAMES, "zh")
    assert none.height == 0 and "detail" in none.columns
