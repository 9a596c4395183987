"""escalation_candidates on tests/fixtures/kpi/basic (tabulated in test_kpi_scorecard.py).

Escalation-relevant complaints (settings: batch_qty 100, repeat_count 3 within 30 days,
recurrence within 90 days after a closed complaint):
  C1  05-06 assembly P1 closed 05-20
  C4  05-20 assembly P3 defect 100, rejected -> never a candidate
  C6  06-10 cracking P1 closed 06-15
  C9  07-10 assembly P1 defect 150, phase sample
  C10 07-01 cracking P1 phase c_sample, open
  C11 07-08 cracking P1 phase mass_production, open
"""

from __future__ import annotations

import shutil
from datetime import date

import polars as pl
import pytest
from kpi_support import ingest_fixture, make_project, read_only

from pipelines.metrics.escalations import escalation_candidates
from pipelines.settings import load_settings
from pipelines.warehouse.refresh import refresh_views


@pytest.fixture(scope="module")
def basic(tmp_path_factory):
    settings = make_project(tmp_path_factory.mktemp("basic"))
    ingest_fixture(settings, "basic")
    return settings


def candidates(settings, month: date) -> pl.DataFrame:
    with read_only(settings) as con:
        table = escalation_candidates(con, month)
    return table


def test_july_candidates(basic):
    table = candidates(basic, date(2024, 7, 1))
    assert table.columns == [
        "complaint_id",
        "received_date",
        "customer",
        "part_no",
        "cause_code",
        "phase",
        "owner",
        "rule",
        "defect_qty",
        "related_count",
        "window_start",
        "window_end",
        "earlier_complaint_id",
        "earlier_closed_date",
        "gap_days",
        "batch_qty",
    ]
    assert table.select("complaint_id", "rule", "phase", "owner").rows() == [
        # C10: cracking on P1 16 days after C6 closed (06-15 -> 07-01 <= 90): recurrence.
        # Repeat? Cracking on P1 in 06-01..07-01: C6, C10 = 2 < 3 -> no. c_sample -> AQE.
        ("C10", "recurrence", "c_sample", "aqe"),
        # C11: cracking on P1 in 06-08..07-08: C6, C10, C11 = 3 >= 3 -> repeat; and 23 days
        # after C6 closed -> recurrence. Mass production -> after-sales operations.
        ("C11", "repeat", "mass_production", "after_sales"),
        ("C11", "recurrence", "mass_production", "after_sales"),
        # C9: 150 >= 100 -> batch; assembly on P1 51 days after C1 closed (05-20 -> 07-10)
        # -> recurrence. Sample -> R&D.
        ("C9", "batch", "sample", "rd"),
        ("C9", "recurrence", "sample", "rd"),
    ]
    # the threshold the batch rule compared with: the setting batch_qty 100
    assert set(table["batch_qty"].to_list()) == {100}


def test_each_rule_carries_its_facts(basic):
    table = candidates(basic, date(2024, 7, 1))
    facts = table.select(
        "complaint_id", "rule", "defect_qty", "related_count", "window_start", "window_end",
        "earlier_complaint_id", "earlier_closed_date", "gap_days",
    ).rows()
    assert facts == [
        # C10 (defect 1): C6 closed 2024-06-15; 06-15 -> 07-01 = 15 + 1 = 16 days
        ("C10", "recurrence", 1, None, None, None, "C6", date(2024, 6, 15), 16),
        # C11 (defect 1): C6 (06-10), C10 (07-01), C11 (07-08) within 30 days up to 07-08 -> 3,
        # the window running from C6's receipt to C11's
        ("C11", "repeat", 1, 3, date(2024, 6, 10), date(2024, 7, 8), None, None, None),
        # C11: C6 closed 06-15 (C10 is still open); 06-15 -> 07-08 = 15 + 8 = 23 days
        ("C11", "recurrence", 1, None, None, None, "C6", date(2024, 6, 15), 23),
        # C9: 150 defects, the batch threshold is the setting (100), not a fact of the row
        ("C9", "batch", 150, None, None, None, None, None, None),
        # C9: assembly on P1 last closed by C1 on 05-20; 05-20 -> 07-10 = 11 + 30 + 10 = 51
        ("C9", "recurrence", 150, None, None, None, "C1", date(2024, 5, 20), 51),
    ]


def test_rejected_batch_complaint_is_not_a_candidate(basic):
    # May: C4 has defect_qty 100 >= 100 but is rejected; nothing else qualifies.
    assert candidates(basic, date(2024, 5, 1)).height == 0


def test_thresholds_come_from_settings(basic, tmp_path):
    # recurrence_days 20: C10 (16 days) stays, C11 (23) and C9 (51) drop out;
    # batch_qty 200: C9 (150) drops out; repeat_count 4: C11 (3) drops out.
    shutil.copytree(basic.project_dir, tmp_path, dirs_exist_ok=True)
    path = tmp_path / "data" / "reference" / "settings.toml"
    text = path.read_text(encoding="utf-8")
    edits = (("recurrence_days = 90", "recurrence_days = 20"),
             ("batch_qty = 100", "batch_qty = 200"), ("repeat_count = 3", "repeat_count = 4"))
    for old, new in edits:
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    stricter = load_settings(tmp_path, warehouse=tmp_path / "warehouse.duckdb")
    refresh_views(stricter)  # the thresholds reach the query through kpi_settings
    table = candidates(stricter, date(2024, 7, 1))
    assert table.select("complaint_id", "rule").rows() == [("C10", "recurrence")]
