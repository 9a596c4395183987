"""kpi_by_customer_monthly and complaint_causes_monthly (SPEC §4) on tests/fixtures/kpi/basic.

The fixture is tabulated in test_kpi_scorecard.py. Settings add one override:
ACME's PPM target is 50 (default 200).
"""

from __future__ import annotations

from datetime import date

import pytest
from kpi_support import ingest_fixture, make_project, read_only, rows

D = date
OVERRIDE = '[customer_targets."ACME"]\nppm = 50\n'


@pytest.fixture(scope="module")
def basic(tmp_path_factory):
    settings = make_project(tmp_path_factory.mktemp("basic"), OVERRIDE)
    ingest_fixture(settings, "basic")
    return settings


@pytest.fixture(scope="module")
def by_customer(basic):
    with read_only(basic) as con:
        found = rows(con, "SELECT * FROM kpi_by_customer_monthly")
    return {(r["month"], r["customer"], r["kpi"]): r for r in found}


# (month, customer, kpi, numerator, denominator, value, target, met)
EXPECTED_BY_CUSTOMER = [
    # May PPM ACME: C1 13 + C5 1 = 14 (C2 logistics excluded); shipped D1 20000 + D2 10000.
    # 14 / 30000 x 1e6 = 466.67 > 50 (override) -> missed.
    (D(2024, 5, 1), "ACME", "ppm", 14, 30000, 14e6 / 30000, 50, False),
    # May PPM BOLT: C3 2 (pending; C4 rejected); shipped D3 5000 + D4 5000.
    # 2 / 10000 x 1e6 = 200.0 <= 200 (default) -> met.
    (D(2024, 5, 1), "BOLT", "ppm", 2, 10000, 200.0, 200, True),
    # June PPM ACME: C6 2 / D5 30000 x 1e6 = 66.67: > 50 -> missed under the override
    # (it would be met under the default 200).
    (D(2024, 6, 1), "ACME", "ppm", 2, 30000, 2e6 / 30000, 50, False),
    # June PPM BOLT: C7 5 / D6 5000 x 1e6 = 1000.0 -> missed.
    (D(2024, 6, 1), "BOLT", "ppm", 5, 5000, 1000.0, 200, False),
    # July PPM: complaints but no shipments -> denominator 0, value and met NULL.
    # ACME C9 150 + C10 1 = 151; BOLT C11 1 (C8 customer_caused excluded).
    (D(2024, 7, 1), "ACME", "ppm", 151, 0, None, 50, None),
    (D(2024, 7, 1), "BOLT", "ppm", 1, 0, None, 200, None),
    # May OTD ACME: D1 on time, D2 late -> 1 / 2 = 50.0; BOLT: D3 early (on time), D4
    # undelivered -> 1 / 2 = 50.0.
    (D(2024, 5, 1), "ACME", "otd", 1, 2, 50.0, 98, False),
    (D(2024, 5, 1), "BOLT", "otd", 1, 2, 50.0, 98, False),
    # June OTD: BOLT D6 1 / 1; July OTD: ACME D5 1 / 1.
    (D(2024, 6, 1), "BOLT", "otd", 1, 1, 100.0, 98, True),
    (D(2024, 7, 1), "ACME", "otd", 1, 1, 100.0, 98, True),
    # Premium freight May: ACME F1 1500, BOLT F2 800; June BOLT F4 not premium -> 0.
    (D(2024, 5, 1), "ACME", "premium_freight", 1500, None, 1500.0, 2000, True),
    (D(2024, 5, 1), "BOLT", "premium_freight", 800, None, 800.0, 2000, True),
    (D(2024, 6, 1), "BOLT", "premium_freight", 0, None, 0.0, 2000, True),
    # Response May ACME: C1, C2, C5 on time -> 3 / 3; BOLT: C4 on time, C3 unanswered -> 1 / 2.
    (D(2024, 5, 1), "ACME", "response_on_time", 3, 3, 100.0, 100, True),
    (D(2024, 5, 1), "BOLT", "response_on_time", 1, 2, 50.0, 100, False),
    # June: ACME C6 late -> 0 / 1; BOLT C7 on time -> 1 / 1.
    (D(2024, 6, 1), "ACME", "response_on_time", 0, 1, 0.0, 100, False),
    (D(2024, 6, 1), "BOLT", "response_on_time", 1, 1, 100.0, 100, True),
    # July: ACME C9, C10 on time -> 2 / 2; BOLT C8 on time, C11 unanswered -> 1 / 2.
    (D(2024, 7, 1), "ACME", "response_on_time", 2, 2, 100.0, 100, True),
    (D(2024, 7, 1), "BOLT", "response_on_time", 1, 2, 50.0, 100, False),
]


def test_one_row_per_customer_with_data_behind_the_kpi(by_customer):
    # No other rows: e.g. no July freight row, no June OTD row for ACME (D5 is promised in July).
    assert sorted(by_customer) == sorted(e[:3] for e in EXPECTED_BY_CUSTOMER)


@pytest.mark.parametrize("expected", EXPECTED_BY_CUSTOMER, ids=lambda e: f"{e[2]}-{e[1]}-{e[0]}")
def test_customer_row(by_customer, expected):
    month, customer, kpi, numerator, denominator, value, target, met = expected
    row = by_customer[(month, customer, kpi)]
    assert row["numerator"] == numerator
    assert row["denominator"] == denominator
    assert row["value"] == (pytest.approx(value) if value is not None else None)
    assert row["target"] == target
    assert row["met"] is met


def test_customer_columns_start_with_the_spec_columns(basic):
    with read_only(basic) as con:
        names = [c["column_name"] for c in rows(con, "DESCRIBE kpi_by_customer_monthly")]
    assert names[:6] == ["month", "customer", "kpi", "numerator", "denominator", "value"]


# (month, category, cause_code, cause_name_zh, cause_name_en, complaints, defect_qty)
EXPECTED_CAUSES = [
    # May: C1 assembly 13, C2 logistics 3, C3 pending 2, C5 unmapped 1 (C4 rejected: left out).
    (D(2024, 5, 1), "company", "assembly", "组装原因", "Assembly", 1, 13),
    (D(2024, 5, 1), "customer", "logistics", "物流原因", "Logistics", 1, 3),
    (D(2024, 5, 1), "unassigned", "pending", "待分析", "Pending analysis", 1, 2),
    (D(2024, 5, 1), "unassigned", "unmapped", "未归类", "Unmapped", 1, 1),
    # June: C6 cracking 2, C7 paint 5.
    (D(2024, 6, 1), "product", "cracking", "开裂", "Cracking", 1, 2),
    (D(2024, 6, 1), "product", "paint", "油漆", "Paint", 1, 5),
    # July: C10 + C11 cracking 1 + 1, C9 assembly 150, C8 customer_caused 4.
    (D(2024, 7, 1), "product", "cracking", "开裂", "Cracking", 2, 2),
    (D(2024, 7, 1), "company", "assembly", "组装原因", "Assembly", 1, 150),
    (D(2024, 7, 1), "customer", "customer_caused", "客户造成", "Caused by customer", 1, 4),
]


def test_complaint_causes_monthly(basic):
    with read_only(basic) as con:
        found = rows(con, "SELECT * FROM complaint_causes_monthly")
    assert sorted(tuple(r.values()) for r in found) == sorted(EXPECTED_CAUSES)
    assert list(found[0]) == [
        "month",
        "category",
        "cause_code",
        "cause_name_zh",
        "cause_name_en",
        "complaints",
        "defect_qty",
    ]
