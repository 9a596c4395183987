"""Escalation explanations are composed from the facts the query returns, never from its
English sentence."""

from __future__ import annotations

from datetime import date

import polars as pl

from pipelines.report.render import localize

NAMES = pl.DataFrame({"code": ["cracking"], "name_zh": ["开裂"], "name_en": ["Cracking"]})


def candidates(detail: str) -> pl.DataFrame:
    """One candidate per rule, hand-made; every row carries the same `detail` text."""
    return pl.DataFrame(
        {
            "complaint_id": ["K1", "K2", "K3", "K4"],
            "received_date": [date(2024, 8, d) for d in (25, 20, 20, 21)],
            "customer": ["甲", "甲", "甲", "乙"],
            "part_no": ["P-2", "P-1", "P-1", "P-3"],
            "cause_code": ["cracking", "cracking", "cracking", "cracking"],
            "phase": ["mass_production", "sample", "sample", "c_sample"],
            "owner": ["after_sales", "rd", "rd", "aqe"],
            "rule": ["batch", "repeat", "recurrence", "a_future_rule"],
            "detail": [detail] * 4,
            "defect_qty": [1500, 30, 30, 2],
            "related_count": [None, 4, None, None],
            "window_start": [None, date(2024, 7, 22), None, None],
            "window_end": [None, date(2024, 8, 20), None, None],
            "earlier_complaint_id": [None, None, "C-2407", None],
            "earlier_closed_date": [None, None, date(2024, 7, 20), None],
            "gap_days": [None, None, 31, None],
        }
    )


def test_details_come_from_the_fact_columns() -> None:
    # the English sentence is nonsense on purpose: nothing below may come from it
    zh = localize.escalations(candidates("no sentence here"), NAMES, "zh", batch_qty=100)
    assert zh["detail"].to_list() == [
        "不良数量 1500 ≥ 批量阈值 100",
        "2024-07-22 至 2024-08-20，产品 P-1 因“开裂”共 4 件客诉",
        "C-2407 于 2024-07-20 关闭后 31 天，产品 P-1 再次出现“开裂”",
        "no sentence here",  # a rule without a template keeps the query's sentence
    ]
    assert zh["rule"].to_list()[:3] == ["批量问题", "重复发生", "关闭后复发"]
    assert zh["phase"].to_list()[0] == "量产 → 运营售后"
    en = localize.escalations(candidates(""), NAMES, "en", batch_qty=1000)
    assert en["detail"].to_list()[:3] == [
        "defect qty 1500 ≥ batch threshold 1000",
        "4 complaints on part P-1 with cause Cracking from 2024-07-22 to 2024-08-20",
        "Cracking again on part P-1 31 days after C-2407 was closed on 2024-07-20",
    ]
