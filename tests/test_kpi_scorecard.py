"""kpi_scorecard (SPEC §4) on tests/fixtures/kpi/basic, every value worked out by hand.

The fixture, as the formulas see it (targets: shipped settings.toml):

deliveries            customer qty    ship   promised delivered
  D1                  ACME     20000  05-02  05-06    05-06   on the promised date: on time
  D2                  ACME     10000  05-10  05-14    05-15   1 day late
  D3                  BOLT      5000  05-15  05-24    05-17   7 days early
  D4                  BOLT      5000  05-28  05-31    -       undelivered: late
  D5                  ACME     30000  06-25  07-02    07-01   shipped June, promised July
  D6                  BOLT      5000  06-03  06-05    06-05   on time

complaints  recv   cust qty  cause            status    env   due        responded
  C1        05-06  ACME  13  assembly         closed    no    05-07 (d)  05-07  on time
  C2        05-08  ACME   3  logistics (*)    closed    no    05-09 (d)  05-08  on time
  C3        05-15  BOLT   2  pending          open      no    05-16 (d)  -      unanswered
  C4        05-20  BOLT 100  assembly         rejected  yes   05-21 (d)  05-21  on time
  C5        05-25  ACME   1  unmapped         open      yes   05-30 (e)  05-28  on time
  C6        06-10  ACME   2  cracking         closed    no    06-11 (d)  06-12  late
  C7        06-20  BOLT   5  paint            open      no    06-21 (d)  06-21  on time
  C8        07-05  BOLT   4  customer_caused  closed    no    07-06 (d)  07-05  on time
  C9        07-10  ACME 150  assembly         open      no    07-11 (d)  07-11  on time
  C10       07-01  ACME   1  cracking         open      no    07-02 (d)  07-01  on time
  C11       07-08  BOLT   1  cracking         open      no    07-09 (d)  -      unanswered
  (*) not supplier responsible; (d) default due = received + sla_days 1; (e) explicit due
  (C5's default due would be 05-26, so with it the 05-28 answer would be late).

freight: F1 05-10 ACME 1500 premium, F2 05-12 BOLT 800 premium, F3 05-15 ACME 300 not,
         F4 06-05 BOLT 400 not; no freight row in July.
surveys: S1 05-30 score 9, S2 06-30 score 8 (last day of H1), S3 07-01 score 10 (first of H2).
property checks: PC1 05-31 10 checked / 10 intact, PC2 06-30 5 / 4; none in Q3.

Months with data: May (D1 shipped 05-02) to July (C11 07-08, S3 07-01) -> May, June, July;
quarters Q2 (04-01..06-30) and Q3 (07-01..09-30); halves H1 (01-01..06-30), H2 (07-01..12-31).
"""

from __future__ import annotations

import dataclasses
import shutil
from datetime import date

import pytest
from kpi_support import ingest_fixture, make_project, read_only, rows

from pipelines.warehouse.refresh import refresh_views

D = date


@pytest.fixture(scope="module")
def basic(tmp_path_factory):
    settings = make_project(tmp_path_factory.mktemp("basic"))
    ingest_fixture(settings, "basic")
    return settings


@pytest.fixture(scope="module")
def scorecard(basic):
    with read_only(basic) as con:
        found = rows(con, "SELECT * FROM kpi_scorecard")
    return {(r["kpi"], r["period_start"]): r for r in found}


# (kpi, period_kind, period_start, period_end, numerator, denominator, value, target, met)
EXPECTED = [
    # PPM May: counted defects C1 13 + C3 2 (pending counts) + C5 1 (unmapped counts) = 16;
    # C2 is logistics (not supplier responsible), C4 rejected. Shipped D1+D2+D3+D4 =
    # 20000+10000+5000+5000 = 40000. 16 / 40000 x 1e6 = 400.0 > 200 -> missed.
    ("ppm", "month", D(2024, 5, 1), D(2024, 5, 31), 16, 40000, 400.0, 200, False),
    # PPM June: C6 2 + C7 5 = 7; shipped D5 30000 + D6 5000 = 35000 (D5 counts in its ship
    # month). 7 / 35000 x 1e6 = 200.0 <= 200 -> met (the boundary counts as met).
    ("ppm", "month", D(2024, 6, 1), D(2024, 6, 30), 7, 35000, 200.0, 200, True),
    # PPM July: C9 150 + C10 1 + C11 1 = 152 (C8 is customer_caused); nothing shipped in
    # July -> denominator 0 -> value NULL, met NULL.
    ("ppm", "month", D(2024, 7, 1), D(2024, 7, 31), 152, 0, None, 200, None),
    # OTD May: lines promised in May D1..D4 = 4; on time: D1 (delivered on the promised day)
    # and D3 (early; no early limit by default) = 2; D2 late, D4 undelivered = late.
    # 2 / 4 x 100 = 50.0 < 98 -> missed.
    ("otd", "month", D(2024, 5, 1), D(2024, 5, 31), 2, 4, 50.0, 98, False),
    # OTD June: only D6 is promised in June (D5 is promised in July): 1 / 1 = 100.0 -> met.
    ("otd", "month", D(2024, 6, 1), D(2024, 6, 30), 1, 1, 100.0, 98, True),
    # OTD July: D5 promised 07-02, delivered 07-01 -> 1 / 1 = 100.0 -> met.
    ("otd", "month", D(2024, 7, 1), D(2024, 7, 31), 1, 1, 100.0, 98, True),
    # Premium freight May: F1 1500 + F2 800 = 2300 > 2000 -> missed (F3 is not premium).
    ("premium_freight", "month", D(2024, 5, 1), D(2024, 5, 31), 2300, None, 2300.0, 2000, False),
    # June: F4 exists but is not premium -> 0, met.
    ("premium_freight", "month", D(2024, 6, 1), D(2024, 6, 30), 0, None, 0.0, 2000, True),
    # July: no freight row at all -> NULL value and met.
    ("premium_freight", "month", D(2024, 7, 1), D(2024, 7, 31), None, None, None, 2000, None),
    # Response May: received C1..C5 = 5 (all statuses, the rejected C4 included); on time
    # C1, C2, C4, C5 (explicit due 05-30) = 4; C3 unanswered. 4 / 5 x 100 = 80.0 -> missed.
    ("response_on_time", "month", D(2024, 5, 1), D(2024, 5, 31), 4, 5, 80.0, 100, False),
    # June: C6 answered 06-12 after its due 06-11 (late), C7 on its due day -> 1 / 2 = 50.0.
    ("response_on_time", "month", D(2024, 6, 1), D(2024, 6, 30), 1, 2, 50.0, 100, False),
    # July: C8, C9, C10 on time, C11 unanswered -> 3 / 4 = 75.0 -> missed.
    ("response_on_time", "month", D(2024, 7, 1), D(2024, 7, 31), 3, 4, 75.0, 100, False),
    # Satisfaction H1: S1 9 + S2 8 (06-30 is in H1) = 17 over 2 responses;
    # 17 / 2 x 10 = 85.0 < 90 -> missed.
    ("satisfaction", "half", D(2024, 1, 1), D(2024, 6, 30), 17, 2, 85.0, 90, False),
    # H2: S3 (07-01) 10 / 1 x 10 = 100.0 -> met.
    ("satisfaction", "half", D(2024, 7, 1), D(2024, 12, 31), 10, 1, 100.0, 90, True),
    # Property Q2: intact 10 + 4 = 14 of checked 10 + 5 = 15 (06-30 is in Q2);
    # 14 / 15 x 100 = 93.333... -> missed.
    ("property_intact", "quarter", D(2024, 4, 1), D(2024, 6, 30), 14, 15, 1400 / 15, 100, False),
    # Q3: nothing checked -> denominator 0 -> value NULL, met NULL.
    ("property_intact", "quarter", D(2024, 7, 1), D(2024, 9, 30), 0, 0, None, 100, None),
    # Env Q2: C5 (environmental, open) = 1; C4 is environmental but rejected. 1 > 0 -> missed.
    ("env_complaints", "quarter", D(2024, 4, 1), D(2024, 6, 30), 1, None, 1.0, 0, False),
    # Env Q3: none -> 0 (not NULL) <= 0 -> met.
    ("env_complaints", "quarter", D(2024, 7, 1), D(2024, 9, 30), 0, None, 0.0, 0, True),
    # No corrective action in the fixture: no D3 or D8 step due in any month -> 0 / 0, no value.
    *(
        (kpi, "month", D(2024, m, 1), D(2024, m, days), 0, 0, None, target, None)
        for kpi, target in (("containment_on_time", 100), ("closure_on_time", 90))
        for m, days in ((5, 31), (6, 30), (7, 31))
    ),
    # COPQ: every claim_amount is 0 and there is no quality cost; premium freight as above:
    # May 2300, June 0, July 0 (no freight row: the component is 0). No default target.
    ("copq", "month", D(2024, 5, 1), D(2024, 5, 31), 2300, None, 2300.0, None, None),
    ("copq", "month", D(2024, 6, 1), D(2024, 6, 30), 0, None, 0.0, None, None),
    ("copq", "month", D(2024, 7, 1), D(2024, 7, 31), 0, None, 0.0, None, None),
]


def test_one_row_per_kpi_and_period_covering_the_data(scorecard):
    # 7 monthly KPIs x 3 months + satisfaction x 2 halves + 2 quarterly KPIs x 2 quarters = 27
    assert sorted(scorecard) == sorted((e[0], e[2]) for e in EXPECTED)


@pytest.mark.parametrize("expected", EXPECTED, ids=lambda e: f"{e[0]}-{e[2]}")
def test_scorecard_row(scorecard, expected):
    kpi, kind, start, end, numerator, denominator, value, target, met = expected
    row = scorecard[(kpi, start)]
    assert row["period_kind"] == kind
    assert row["period_end"] == end
    assert row["numerator"] == numerator
    assert row["denominator"] == denominator
    assert row["value"] == (pytest.approx(value) if value is not None else None)
    assert row["target"] == target
    assert row["met"] is met


def test_public_columns_and_types(basic):
    with read_only(basic) as con:
        described = rows(con, "DESCRIBE kpi_scorecard")
    assert [(c["column_name"], c["column_type"]) for c in described] == [
        ("kpi", "VARCHAR"),
        ("period_kind", "VARCHAR"),
        ("period_start", "DATE"),
        ("period_end", "DATE"),
        ("numerator", "DOUBLE"),
        ("denominator", "DOUBLE"),
        ("value", "DOUBLE"),
        ("target", "DOUBLE"),
        ("met", "BOOLEAN"),
    ]


@pytest.fixture
def copy_of(basic, tmp_path):
    """The basic warehouse copied, so a test may rewrite its reference tables."""

    def make(**changes):
        settings = dataclasses.replace(basic, warehouse=tmp_path / "warehouse.duckdb", **changes)
        shutil.copy(basic.warehouse, settings.warehouse)
        refresh_views(settings)
        return settings

    return make


def otd_may(settings) -> tuple[float, float]:
    with read_only(settings) as con:
        (row,) = rows(
            con,
            "SELECT numerator, value FROM kpi_scorecard "
            "WHERE kpi = 'otd' AND period_start = DATE '2024-05-01'",
        )
    return row["numerator"], row["value"]


def test_otd_early_window_from_settings(copy_of):
    # otd_early_days = 5: D3 arrived 7 days before its promised 05-24 (05-17 < 05-19) -> no
    # longer on time. May: D1 only -> 1 / 4 x 100 = 25.0. D1 (0 days early) stays on time.
    assert otd_may(copy_of(otd_early_days=5)) == (1, 25.0)


def test_otd_early_window_boundary(copy_of):
    # otd_early_days = 7: D3 is exactly 7 days early (05-17 = 05-24 - 7) -> on time again:
    # D1 + D3 = 2 / 4 -> 50.0.
    assert otd_may(copy_of(otd_early_days=7)) == (2, 50.0)


def test_otd_tolerance_from_settings(copy_of):
    # otd_tolerance_days = 1: D2 delivered 05-15, one day after 05-14 -> on time;
    # D4 (undelivered) stays late. May: D1, D2, D3 -> 3 / 4 x 100 = 75.0.
    assert otd_may(copy_of(otd_tolerance_days=1)) == (3, 75.0)


def test_targets_come_from_settings(copy_of):
    # Raising the PPM target to 400: May 400.0 <= 400 -> met; the target column shows 400.
    base = copy_of()
    targets = dict(base.targets)
    targets["ppm"] = dataclasses.replace(targets["ppm"], target=400.0)
    changed = copy_of(targets=targets)
    with read_only(changed) as con:
        (row,) = rows(
            con,
            "SELECT target, met FROM kpi_scorecard "
            "WHERE kpi = 'ppm' AND period_start = DATE '2024-05-01'",
        )
    assert row == {"target": 400.0, "met": True}


def test_no_target_or_setting_literal_in_sql():
    # Targets (200, 98, 2000, 90) and day settings must come from kpi_targets / kpi_settings.
    from pipelines.sql import SQL_DIR

    for path in SQL_DIR.rglob("*.sql"):
        text = path.read_text(encoding="utf-8")
        code = "\n".join(line.split("--")[0] for line in text.splitlines())  # not comments
        for literal in (" 200", " 98", " 2000", " 90 "):
            assert literal not in code, (path.name, literal)


def test_every_sql_file_is_applied_as_a_view():
    from pipelines.sql import names
    from pipelines.warehouse.views import GENERATED, VIEW_ORDER

    written = sorted(set(VIEW_ORDER) - set(GENERATED))
    assert written == sorted(names("staging") + names("views"))
