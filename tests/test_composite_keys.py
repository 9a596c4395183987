"""A natural key of several columns (customer_scorecards: customer, month, kpi) in every part
that uses a key: total rows, the duplicate check, quarantine's key text, the upsert and the
view source_rows that tells which held rows a later file fixed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest
from loop_support import counts, ingest_one, project, query, write_lines

from pipelines.ingest import read_file
from pipelines.ingest.rows import classify_rows
from pipelines.quality import QualityGate, groups
from pipelines.quality.groups import plan_groups
from pipelines.quality.suites import load_suite
from pipelines.settings import load_settings
from pipelines.sources import SOURCES
from pipelines.sql import sql

PROJECT = Path(__file__).resolve().parent.parent
HEADER = "customer,month,kpi,value"
FEBRUARY_AND_MARCH = [
    HEADER,
    "华为,2025-02,ppm,150",  # 2 kept by the correction (not in it)
    "华为,2025-03,ppm,120",  # 3 replaced
    "华为,2025-03,otd,97.5%",  # 4 replaced
    "比亚迪,2025-03,otd,99",  # 5 kept
    "比亚迪,2025-04,otd,n/a",  # 6 unparseable value -> held back under its key
]
CORRECTION = [
    HEADER,
    "华为,2025年3月,PPM,110",  # the March PPM again, written otherwise: same key
    "华为,2025/3,OTD,98",
    "比亚迪,2025-04,otd,98.5",  # the held-back row, fixed
]


def test_single_keys_are_as_before_and_the_scorecard_key_has_three_columns() -> None:
    assert SOURCES["complaints"].key_columns == ("complaint_id",)
    assert SOURCES["complaints"].natural_key_sql() == "complaint_id::varchar"
    assert SOURCES["customer_scorecards"].key_columns == ("customer", "month", "kpi")


def test_a_corrected_file_replaces_the_rows_with_its_keys(tmp_path: Path) -> None:
    settings = project(tmp_path)
    first = ingest_one(settings, write_lines(tmp_path / "a.csv", FEBRUARY_AND_MARCH))
    # 5 read = 4 loaded + 1 quarantined (line 6).
    assert counts(first) == (5, 4, 1, 0, 0)
    held = sql("status_open_quarantine")
    assert query(settings, f"select natural_key from ({held})") == [("比亚迪 | 2025-04-01 | otd",)]

    second = ingest_one(settings, write_lines(tmp_path / "b.csv", CORRECTION))
    assert counts(second) == (3, 3, 0, 0, 0)
    # 4 + 3 loaded, 2 replaced -> 5 rows: 华为 February and 比亚迪 March from the first file.
    assert query(
        settings,
        f"select customer, month, kpi, value, batch_id = '{second.batch_id}' "
        "from customer_scorecards order by customer, month, kpi",
    ) == [
        ("华为", dt.date(2025, 2, 1), "ppm", Decimal("150.00"), False),
        ("华为", dt.date(2025, 3, 1), "otd", Decimal("98.00"), True),
        ("华为", dt.date(2025, 3, 1), "ppm", Decimal("110.00"), True),
        ("比亚迪", dt.date(2025, 3, 1), "otd", Decimal("99.00"), False),
        ("比亚迪", dt.date(2025, 4, 1), "otd", Decimal("98.50"), True),
    ]
    # source_rows writes the key as quarantine does: the held row is fixed, none is open.
    assert query(settings, f"select count(*) from ({held})") == [(0,)]
    assert ("比亚迪 | 2025-04-01 | otd",) in query(
        settings, "select natural_key from source_rows where source = 'customer_scorecards'"
    )


def test_a_total_row_has_no_key_of_its_own() -> None:
    cells = pl.DataFrame(
        {
            "c0": ["华为", "合计", "TOTAL", None, "总计", None],
            "c1": ["2025-03", None, "2025-03", None, "2025-03", None],
            "c2": ["ppm", None, "ppm", None, None, None],
            "c3": ["120", "240", "5", "Total", "9", None],
            "source_row": [2, 3, 4, 5, 6, 7],
        }
    )
    counts_, keep = classify_rows(cells, ["c0", "c1", "c2", "c3"], keys=["c0", "c1", "c2"])
    # 2 data; 3 合计 with its other key cells empty: total; 4 a customer coded TOTAL with a
    # month and a KPI: data; 5 no key, Total elsewhere: total; 6 总计 beside a month of its own:
    # data (held back later for its missing KPI); 7 empty.
    assert keep.to_list() == [True, False, True, False, True, False]
    assert (counts_.total, counts_.empty) == (2, 1)


def test_the_composite_key_check_runs_on_hash_codes_and_never_holds_a_row_wrongly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    suite = load_suite(PROJECT / "expectations", "customer_scorecards")
    # 4 not-null + 3 be-null checks (positions 0-6), then the (customer, month, kpi) check.
    assert [(g.kind, g.positions) for g in plan_groups(suite)] == [
        ("presence", tuple(range(7))),
        ("unique", (7,)),
    ]
    gate = QualityGate(PROJECT / "expectations")
    settings = load_settings(PROJECT)
    path = write_lines(
        tmp_path / "s.csv",
        [HEADER, "A,2025-03,ppm,1", "A,2025-03,otd,2", "B,2025-03,ppm,3", "A,2025-03,ppm,4"],
    )
    read = read_file(path, causes=settings.causes())
    honest = gate.check(read)
    # Every part of every key gets one code: all rows collide, only A | 2025-03 | ppm repeats.
    monkeypatch.setattr(groups, "hash_codes", lambda column: pl.lit(7, pl.Int64).alias(column))
    colliding = gate.check(read)
    for gated in (honest, colliding):
        assert gated.quarantine["row_number"].to_list() == [2, 5]
        assert gated.clean["source_row"].to_list() == [3, 4]
    unique = colliding.validation["results"][7]["result"]
    assert unique["unexpected_count"] == 2
    # The real keys, as pandas shows a date column (like the pair checks' examples).
    assert unique["partial_unexpected_list"] == [
        {"customer": "A", "month": "2025-03-01 00:00:00", "kpi": "ppm"},
    ] * 2
