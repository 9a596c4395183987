"""cause_summary_table: the seed's 售后问题汇总分析表 for a month, on tests/fixtures/kpi/basic
(tabulated in test_kpi_scorecard.py)."""

from __future__ import annotations

from datetime import date

import pytest
from kpi_support import ingest_fixture, make_project, read_only

from pipelines.metrics.cause_summary import cause_summary_table


@pytest.fixture(scope="module")
def basic(tmp_path_factory):
    settings = make_project(tmp_path_factory.mktemp("basic"))
    ingest_fixture(settings, "basic")
    return settings


def summary(settings, month: date) -> dict[str, dict]:
    with read_only(settings) as con:
        table = cause_summary_table(con, month)
    return {r["cause_code"]: r for r in table.to_dicts()}, table


def test_july_summary(basic):
    by_code, table = summary(basic, date(2024, 7, 15))  # any day of the month
    assert table.columns == [
        "item_no",
        "category",
        "cause_code",
        "cause_name_zh",
        "cause_name_en",
        "this_month",
        "last_month",
        "notes",
    ]
    # Every cause of the shipped taxonomy (29, pending and unmapped included) in its order,
    # then the total row.
    assert table.height == 30
    assert table["cause_code"][0] == "assembly" and table["item_no"][0] == 1
    assert table["cause_code"][28] == "unmapped" and table["item_no"][28] == 29
    assert table["cause_code"][29] == "__total__"
    # July: C10 (淄博) and C11 (西安) cracking, oldest first; June: C6 cracking.
    assert by_code["cracking"]["this_month"] == 2
    assert by_code["cracking"]["last_month"] == 1
    assert by_code["cracking"]["notes"] == "淄博: 721书桌面开裂\n西安: 719电脑桌桌面开裂"
    # C9 assembly (北京), C8 customer_caused (天津); June's C7 paint had no region: its
    # note is the description alone, but it is last month's and so not shown.
    assert (by_code["assembly"]["this_month"], by_code["assembly"]["last_month"]) == (1, 0)
    assert by_code["assembly"]["notes"] == "北京: 样件组装错误"
    assert by_code["customer_caused"]["notes"] == "天津: 订做酒柜边板"
    assert (by_code["paint"]["this_month"], by_code["paint"]["last_month"]) == (0, 1)
    assert by_code["paint"]["notes"] == ""
    # Totals: July C8 + C9 + C10 + C11 = 4; June C6 + C7 = 2.
    total = by_code["__total__"]
    assert (total["this_month"], total["last_month"]) == (4, 2)
    assert total["cause_name_zh"] is None  # a code only: the pack labels the total row


def test_june_summary_counts_rejected_out_and_keeps_pending_and_unmapped(basic):
    by_code, _ = summary(basic, date(2024, 6, 1))
    # Last month (May): C1 assembly, C2 logistics, C3 pending, C5 unmapped; C4 (assembly,
    # rejected) is not counted, so assembly shows 1.
    assert by_code["assembly"]["last_month"] == 1
    assert by_code["logistics"]["last_month"] == 1
    assert by_code["pending"]["last_month"] == 1
    assert by_code["unmapped"]["last_month"] == 1
    # This month (June): C6 cracking (淄博), C7 paint (no region -> description only).
    assert by_code["paint"]["notes"] == "油漆剥落"
    assert by_code["cracking"]["notes"] == "淄博: 书桌面开裂"
    assert (by_code["__total__"]["this_month"], by_code["__total__"]["last_month"]) == (2, 4)


def test_month_without_complaints_lists_every_cause_at_zero(basic):
    by_code, table = summary(basic, date(2024, 9, 1))
    # September: none; last month August: none.
    assert table.height == 30
    assert table["this_month"].sum() == 0 and table["last_month"].sum() == 0
    assert by_code["__total__"]["this_month"] == 0
