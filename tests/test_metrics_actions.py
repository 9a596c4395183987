"""action_list on tests/fixtures/kpi/basic (tabulated in test_kpi_scorecard.py), with ACME's
PPM target overridden to 50."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from kpi_support import ingest_fixture, make_project, read_only

from pipelines.metrics.actions import action_list


@pytest.fixture(scope="module")
def basic(tmp_path_factory):
    settings = make_project(
        tmp_path_factory.mktemp("basic"), '[customer_targets."ACME"]\nppm = 50\n'
    )
    ingest_fixture(settings, "basic")
    return settings


def con_names(settings) -> pl.DataFrame:
    from pipelines.report.pages import queries

    with read_only(settings) as con:
        return queries.cause_names(con)


def test_june_action_list(basic):
    with read_only(basic) as con:
        table = action_list(con, date(2024, 6, 1))
    assert table.columns == [
        "kpi",
        "scope",
        "line",
        "value",
        "target",
        "top_customers",
        "top_causes",
        "owner",
        "open_actions",
    ]
    # no corrective action and no customer scorecard in the fixture: every line is a missed
    # target, and none is addressed yet
    assert set(table["line"]) == {"missed"}
    assert table["open_actions"].is_null().all()
    old = ["kpi", "scope", "value", "target", "top_customers", "top_causes", "owner"]
    assert table.select(old).rows() == [
        # Scorecard periods containing June: June (ppm 200 met, otd 100 met, premium 0 met,
        # response 50 missed), Q2 (property 93.33 missed, env 1 missed), H1 (satisfaction 85
        # missed). Customers in June: ACME PPM 66.67 > 50 (override), BOLT PPM 1000 > 200;
        # OTD June only BOLT 100 (met).
        # ACME PPM: its June defects C6 cracking 2; owner of mass production -> after_sales.
        (
            "ppm",
            "ACME",
            pytest.approx(2e6 / 30000),
            50.0,
            "ACME (2)",
            "cracking (2)",
            "after_sales",
        ),
        # BOLT PPM: C7 paint 5.
        ("ppm", "BOLT", 1000.0, 200.0, "BOLT (5)", "paint (5)", "after_sales"),
        # Response: the late complaint is C6 (ACME, cracking).
        ("response_on_time", "all", 50.0, 100.0, "ACME (1)", "cracking (1)", "after_sales"),
        # Satisfaction H1: points below 10: BOLT 10 - 8 = 2, ACME 10 - 9 = 1; no causes.
        ("satisfaction", "all", 85.0, 90.0, "BOLT (2), ACME (1)", None, "after_sales"),
        # Property Q2: BOLT's 托盘 5 checked, 4 intact -> 1 not intact.
        (
            "property_intact",
            "all",
            pytest.approx(1400 / 15),
            100.0,
            "BOLT (1)",
            "托盘 (1)",
            "logistics",
        ),
        # Env Q2: C5 (ACME, unmapped cause); C4 is rejected.
        ("env_complaints", "all", 1.0, 0.0, "ACME (1)", "unmapped (1)", "after_sales"),
    ]


def test_may_action_list_names_the_biggest_contributors(basic):
    with read_only(basic) as con:
        table = action_list(con, date(2024, 5, 1))
    by_key = {(r["kpi"], r["scope"]): r for r in table.to_dicts()}
    # PPM May 400 missed. Counted defects: ACME C1 assembly 13 + C5 unmapped 1 = 14,
    # BOLT C3 pending 2 -> customers "ACME (14), BOLT (2)"; causes assembly 13, pending 2,
    # unmapped 1.
    ppm = by_key[("ppm", "all")]
    assert ppm["top_customers"] == "ACME (14), BOLT (2)"
    assert ppm["top_causes"] == "assembly (13), pending (2), unmapped (1)"
    # OTD May 50 missed: late lines ACME D2, BOLT D4 -> 1 each, ties by name; the drivers are
    # their parts and how late: D2 (P2) promised 05-14, delivered 05-15 = 1 day late; D4 (P3)
    # never delivered; owner logistics.
    otd = by_key[("otd", "all")]
    assert (otd["top_customers"], otd["top_causes"], otd["owner"]) == (
        "ACME (1), BOLT (1)",
        "P2|late_1_3 (1), P3|undelivered (1)",
        "logistics",
    )
    from pipelines.report.render import localize

    names = con_names(basic)
    worded = localize.actions(table, names, "en").filter(
        (pl.col("kpi") == "On-time delivery (OTD)") & (pl.col("scope") == "BOLT"))
    assert worded["top_causes"].to_list() == ["P3 undelivered (1)"]
    worded = localize.actions(table, names, "zh").filter(pl.col("scope") == "ACME")
    assert "P2 迟1–3天 (1)" in worded["top_causes"].to_list()
    # Premium freight 2300 missed: ACME F1 1500 (客户加急), BOLT F2 800 (交期延误).
    premium = by_key[("premium_freight", "all")]
    assert premium["top_customers"] == "ACME (1500), BOLT (800)"
    assert premium["top_causes"] == "客户加急 (1500), 交期延误 (800)"
    # Customer lines in May: ACME PPM 466.67 > 50; BOLT PPM 200 <= 200 is met (no line);
    # OTD ACME 50 and BOLT 50 < 98 -> two lines.
    assert sorted(k for k in by_key if k[1] != "all") == [
        ("otd", "ACME"),
        ("otd", "BOLT"),
        ("ppm", "ACME"),
    ]
    # Missed in the periods containing May: ppm, otd, premium, response (80), satisfaction
    # (H1), property (Q2), env (Q2) = 7 'all' lines.
    assert sum(1 for k in by_key if k[1] == "all") == 7
