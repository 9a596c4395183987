"""The suite run group by group: same verdicts as one run, and hash codes never hold a row.

One hand-made deliveries file fails several checks at once; every count below is worked out
by hand from its rows (line 1 is the header, so data rows are numbered from 2).
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from pipelines.ingest import read_file
from pipelines.quality import QualityGate, groups
from pipelines.quality.groups import plan_groups
from pipelines.quality.suites import load_suite
from pipelines.quality.uniqueness import repeated_key_rows
from pipelines.settings import load_settings

PROJECT = Path(__file__).resolve().parent.parent

FAULTY = (
    "delivery_id,customer,qty,ship_date,promised_date,delivered_date\n"
    "D-1,A,5,2024-09-01,2024-09-05,2024-09-03\n"  # 2 clean
    "D-2,,5,2024-09-01,2024-09-05,\n"  # 3 customer missing
    "D-3,A,0,2024-09-01,2024-09-05,\n"  # 4 qty 0 is not > 0
    "D-4,A,5,2024-13-45,2024-09-05,\n"  # 5 unparseable ship date (reported once)
    "D-5,A,5,2024-09-02,2024-09-06,2024-08-30\n"  # 6 delivered before shipped: warning
    "D-6,B,3,2024-09-02,2024-09-06,2024-09-03\n"  # 7 key D-6 twice
    "D-6,C,4,2024-09-02,2024-09-06,2024-09-04\n"  # 8 key D-6 twice
    "D-7,,-2,2024-09-02,,\n"  # 9 customer, promised date missing; qty -2
    ",A,5,2024-09-02,2024-09-06,\n"  # 10 key missing
    "D-8,A,5,2024-09-02,2024-09-06,2024-09-01\n"  # 11 delivered before shipped: warning
)

# Reasons in suite order (expectations/deliveries.json), one row each.
EXPECTED_QUARANTINE = {
    3: "customer: required value missing",
    4: 'qty: out of range "0", must be greater than 0',
    5: 'ship_date: unparseable date "2024-13-45"',
    7: 'delivery_id: duplicate key "D-6" in this file',
    8: 'delivery_id: duplicate key "D-6" in this file',
    9: "customer: required value missing; promised_date: required value missing; "
    'qty: out of range "-2", must be greater than 0',
    10: "delivery_id: required value missing",
}


@pytest.fixture(scope="module")
def gate() -> QualityGate:
    return QualityGate(PROJECT / "expectations")


def _gated(gate: QualityGate, tmp_path: Path):
    settings = load_settings(PROJECT)
    path = tmp_path / "deliveries.csv"
    path.write_text(FAULTY, encoding="utf-8")
    read = read_file(path, causes=settings.causes())
    return gate.check(read)


def _worst_hash(column: str) -> pl.Expr:
    """Every key gets the same code: all keys collide."""
    return pl.lit(7, pl.Int64).alias(column)


def test_presence_checks_run_together_and_the_rest_one_by_one():
    suite = load_suite(PROJECT / "expectations", "deliveries")
    # deliveries.json: 5 not-null + 4 be-null checks (positions 0-8), qty range (9),
    # delivery_id unique (10), delivered/ship date pair (11).
    planned = [(g.kind, g.positions) for g in plan_groups(suite)]
    assert planned == [
        ("presence", tuple(range(9))),
        ("single", (9,)),
        ("unique", (10,)),
        ("pair", (11,)),
    ]


def test_a_file_failing_several_checks_is_split_as_by_one_run(gate, tmp_path):
    gated = _gated(gate, tmp_path)
    # 10 rows read: 7 quarantined (3, 4, 5, 7, 8, 9, 10), 3 loaded (2, 6, 11), 2 warned.
    assert (gated.read.rows_read, gated.clean.height, gated.quarantine.height) == (10, 3, 7)
    assert sorted(gated.clean["source_row"].to_list()) == [2, 6, 11]
    found = dict(zip(gated.quarantine["row_number"], gated.quarantine["reasons"], strict=True))
    assert found == EXPECTED_QUARANTINE
    warned = gated.warnings.filter(pl.col("row_number").is_not_null())
    assert warned["row_number"].to_list() == [6, 11]
    assert warned["message"].to_list() == [
        'delivered_date: "2024-08-30" is earlier than ship_date "2024-09-02"',
        'delivered_date: "2024-09-01" is earlier than ship_date "2024-09-02"',
    ]


def test_the_validation_result_reads_as_one_run_on_the_real_values(gate, tmp_path):
    results = _gated(gate, tmp_path).validation["results"]
    unexpected = [r["result"]["unexpected_count"] for r in results]
    # not null: delivery_id 1 (row 10), customer 2 (3, 9), qty 0, ship_date 1 (5),
    # promised_date 1 (9); be null: qty__invalid 0, ship_date__invalid 1 (5), promised 0,
    # delivered 0; qty > 0: 2 (4, 9); unique: 2 (7, 8); delivered >= shipped: 2 (6, 11).
    assert unexpected == [1, 2, 0, 1, 1, 0, 1, 0, 0, 2, 2, 2]
    assert results[6]["result"]["partial_unexpected_list"] == ["2024-13-45"]
    assert results[9]["result"]["partial_unexpected_list"] == [0, -2]
    unique = results[10]["result"]
    # 10 keys, 1 missing (row 10): 2 of the 9 present keys are repeats.
    assert (unique["element_count"], unique["missing_count"]) == (10, 1)
    assert unique["partial_unexpected_list"] == ["D-6", "D-6"]
    assert unique["unexpected_percent"] == pytest.approx(2 / 9 * 100)
    pair = results[11]["result"]
    # delivered_date is empty on rows 3, 4, 5, 9, 10: 5 of 10 rows missing, 2 of the other
    # 5 (rows 6, 11) delivered before shipped -> 40 %.
    assert (pair["element_count"], pair["missing_count"]) == (10, 5)
    assert pair["unexpected_percent"] == pytest.approx(40.0)
    assert pair["partial_unexpected_list"] == [
        ["2024-08-30 00:00:00", "2024-09-02 00:00:00"],
        ["2024-09-01 00:00:00", "2024-09-02 00:00:00"],
    ]
    # 4 checks pass (qty present, and the three empty __invalid columns but ship_date's).
    statistics = _gated(gate, tmp_path).validation["statistics"]
    assert statistics["evaluated_expectations"] == 12
    assert statistics["successful_expectations"] == 4


def test_colliding_hash_codes_never_quarantine_a_row(gate, tmp_path, monkeypatch):
    honest = _gated(gate, tmp_path)
    monkeypatch.setattr(groups, "hash_codes", _worst_hash)
    # All 9 present keys share one code, so GX flags all 9; only D-6 (rows 7, 8) repeats.
    colliding = _gated(gate, tmp_path)
    found = dict(
        zip(colliding.quarantine["row_number"], colliding.quarantine["reasons"], strict=True)
    )
    assert found == EXPECTED_QUARANTINE
    assert colliding.clean.equals(honest.clean)
    assert colliding.validation == honest.validation


def test_the_exact_look_keeps_only_rows_whose_key_repeats():
    frame = pl.DataFrame(
        {
            "source_row": [2, 3, 4, 5, 6, 7],
            "delivery_id": ["A", "B", "A", "C", None, None],
        }
    )
    # Flagged as if B and C had collided with A's code, and the two missing keys too:
    # only A (rows 2 and 4) really repeats; nulls are never duplicates of each other.
    assert repeated_key_rows(frame, "delivery_id", [2, 3, 4, 5, 6, 7]) == [2, 4]
    # Flagged B and C alone: neither repeats.
    assert repeated_key_rows(frame, "delivery_id", [3, 5]) == []
    assert repeated_key_rows(frame, "delivery_id", []) == []


def test_a_presence_mask_is_one_byte_a_row_with_the_same_nulls():
    suite = load_suite(PROJECT / "expectations", "deliveries")
    (presence,) = [g for g in plan_groups(suite) if g.kind == "presence"]
    # 3 rows: customer missing on row 3; ship_date__invalid holds a value on row 4, so its
    # be-null check sees the value itself; the other __invalid columns are empty throughout.
    frame = pl.DataFrame(
        {
            "source_row": [2, 3, 4],
            "delivery_id": ["D-1", "D-2", "D-3"],
            "customer": ["A", None, "B"],
            "qty": [5, 6, 7],
            "ship_date": [None, None, None],
            "promised_date": ["2024-09-05"] * 3,
            "qty__invalid": [None, None, None],
            "ship_date__invalid": [None, None, "2024-13-45"],
            "promised_date__invalid": [None, None, None],
            "delivered_date__invalid": [None, None, None],
        },
        schema_overrides={"ship_date": pl.Date, "qty__invalid": pl.Utf8,
                          "promised_date__invalid": pl.Utf8, "delivered_date__invalid": pl.Utf8},
    )
    data = groups.group_frame(frame, suite, presence).data
    assert data["customer"].isna().tolist() == [False, True, False]
    assert data["ship_date"].isna().tolist() == [True, True, True]
    assert data["delivered_date__invalid"].isna().tolist() == [True, True, True]
    for masked in ("delivery_id", "customer", "qty", "ship_date", "delivered_date__invalid"):
        assert data[masked].cat.codes.dtype.itemsize == 1
    assert data["ship_date__invalid"].tolist()[2] == "2024-13-45"
