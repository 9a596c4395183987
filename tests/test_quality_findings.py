"""The gate stores each finding as facts (column, check code, values) beside its English text.

Real CSV files read by the real reader and checked by the real GX suites; every fact below
is worked out by hand from the file's cells and the suite (expectations/*.json) in a comment.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest
from quality_support import PROJECT, check_text, project_gate

from pipelines.ingest_pipeline import ingest_paths
from pipelines.quality import QualityGate
from pipelines.quality.suites import load_suite
from pipelines.settings import Settings, load_settings
from pipelines.sources import SOURCES
from pipelines.warehouse.schema import create_tables

# Line 2 (C-1): received_date "2024-13-45" cannot be a date; status "maybe" is no status;
#   defect_qty -3 is below 0. Suite order: received_date__invalid, status__invalid, then the
#   defect_qty range, so the findings come in that order. The date is null after parsing,
#   but a cell that could not be parsed is reported once, as unparseable, not as missing.
# Line 3 (C-2): customer empty -> missing (value null). Its unmapped cause is not a warning:
#   the row is quarantined.
# Line 4 (C-3): loads, with a warning: cause "螺丝松动" is not in the taxonomy.
# Lines 5 and 6 (C-4 twice, different dates): both quarantined as duplicate keys.
# Line 7 (C-5): loads.
# -> 6 read, 2 loaded (C-3, C-5), 4 quarantined (lines 2, 3, 5, 6), 0 skipped.
SEVERAL_CHECKS = (
    "complaint_id,received_date,customer,defect_qty,status,cause\n"
    "C-1,2024-13-45,A,-3,maybe,开裂\n"
    "C-2,2024-09-03,,1,,螺丝松动\n"
    "C-3,2024-09-03,B,1,,螺丝松动\n"
    "C-4,2024-09-04,B,2,,\n"
    "C-4,2024-09-05,B,2,,\n"
    "C-5,2024-09-05,C,1,closed,\n"
)


def _finding(column, check, value=None, other=None, other_column=None) -> dict:
    return {
        "column": column, "check": check, "value": value, "other": other,
        "other_column": other_column,
    }


EXPECTED_FINDINGS = {
    2: [
        _finding("received_date", "unparseable_date", "2024-13-45"),
        _finding("status", "unknown_value", "maybe"),
        _finding("defect_qty", "out_of_range_min", "-3", "0"),
    ],
    3: [_finding("customer", "missing")],
    5: [_finding("complaint_id", "duplicate_key", "C-4")],
    6: [_finding("complaint_id", "duplicate_key", "C-4")],
}
# The English reasons are the same as before the facts were stored.
EXPECTED_REASONS = {
    2: 'received_date: unparseable date "2024-13-45"; status: unknown value "maybe"; '
    'defect_qty: out of range "-3", must be at least 0',
    3: "customer: required value missing",
    5: 'complaint_id: duplicate key "C-4" in this file',
    6: 'complaint_id: duplicate key "C-4" in this file',
}


@pytest.fixture(scope="module")
def gate() -> QualityGate:
    return project_gate()




def _findings_by_row(quarantine) -> dict[int, list[dict]]:
    return {
        row: json.loads(text)
        for row, text in zip(quarantine["row_number"], quarantine["findings"], strict=True)
    }


def test_a_row_failing_several_checks_keeps_each_as_facts(gate, tmp_path):
    gated = check_text(gate, tmp_path, "complaints.csv", SEVERAL_CHECKS)
    assert (gated.read.rows_read, gated.clean.height, gated.quarantine.height) == (6, 2, 4)
    assert _findings_by_row(gated.quarantine) == EXPECTED_FINDINGS
    reasons = dict(zip(gated.quarantine["row_number"], gated.quarantine["reasons"], strict=True))
    assert reasons == EXPECTED_REASONS
    warning = gated.warnings.to_dicts()
    assert [(w["row_number"], w["column_name"], w["code"], w["value"]) for w in warning] == [
        (4, "cause", "not_in_taxonomy", "螺丝松动")
    ]
    assert warning[0]["check_name"] == "expect_column_values_to_not_be_in_set"


# Each case: file, its text, and the findings of the quarantined rows by line number.
RANGE_AND_PAIR_CASES = {
    # score is 1..10: 11 breaks the maximum 10, 0 the minimum 1.
    "two_bounds": (
        "surveys.csv",
        "response_id,survey_date,customer,score\n"
        "S-1,2024-09-01,A,11\nS-2,2024-09-01,A,0\nS-3,2024-09-01,A,10\n",
        {
            2: [_finding("score", "out_of_range_max", "11", "10")],
            3: [_finding("score", "out_of_range_min", "0", "1")],
        },
    ),
    # qty must be > 0 (strict_min): 0 breaks the exclusive minimum 0.
    "exclusive_minimum": (
        "deliveries.csv",
        "delivery_id,customer,qty,ship_date,promised_date\n"
        "D-1,A,0,2024-09-01,2024-09-05\nD-2,A,10,2024-09-01,2024-09-05\n",
        {2: [_finding("qty", "out_of_range_min_exclusive", "0", "0")]},
    ),
    # premium "maybe" is no yes/no (suite order: premium__invalid before the amount range);
    # amount -5 is a decimal(18,2), stored as text "-5.00".
    "decimal_and_bool": (
        "freight.csv",
        "freight_id,ship_date,customer,amount,premium\n"
        "F-1,2024-09-01,A,-5,maybe\nF-2,2024-09-01,A,100,yes\n",
        {
            2: [
                _finding("premium", "unparseable_yes_no", "maybe"),
                _finding("amount", "out_of_range_min", "-5.00", "0"),
            ]
        },
    ),
    # qty_intact 12 above qty_checked 10: the finding names qty_intact (meta.column) and
    # carries the compared column and its value.
    "column_pair": (
        "property_checks.csv",
        "check_id,check_date,customer,qty_checked,qty_intact\n"
        "P-1,2024-09-01,A,10,12\nP-2,2024-09-01,A,10,10\n",
        {2: [_finding("qty_intact", "more_than", "12", "10", "qty_checked")]},
    ),
}


@pytest.mark.parametrize("case", sorted(RANGE_AND_PAIR_CASES))
def test_ranges_and_pairs_say_which_bound_or_column(gate, tmp_path, case):
    name, text, expected = RANGE_AND_PAIR_CASES[case]
    gated = check_text(gate, tmp_path, name, text)
    assert _findings_by_row(gated.quarantine) == expected


def test_warning_facts_of_a_pair_and_of_an_extra_column(gate, tmp_path):
    # D-1 delivered 2024-08-30, shipped 2024-09-01: warning earlier_than, other = the ship
    # date; the extra column 司机 is one file-level warning without a row.
    gated = check_text(
        gate,
        tmp_path,
        "deliveries.csv",
        "delivery_id,customer,qty,ship_date,promised_date,delivered_date,司机\n"
        "D-1,A,5,2024-09-01,2024-09-05,2024-08-30,王\n"
        "D-2,A,5,2024-09-01,2024-09-05,2024-09-04,李\n",
    )
    facts = gated.warnings.sort("row_number", nulls_last=True).select(
        "row_number", "column_name", "code", "value", "other", "other_column"
    )
    assert facts.rows() == [
        (2, "delivered_date", "earlier_than", "2024-08-30", "2024-09-01", "ship_date"),
        (None, "司机", "unknown_column", None, None, None),
    ]


def test_every_shipped_expectation_names_its_code() -> None:
    for source in SOURCES:
        raw = json.loads((PROJECT / "expectations" / f"{source}.json").read_text("utf-8"))
        suite = load_suite(PROJECT / "expectations", source)
        assert all(e["meta"].get("code") for e in raw["expectations"]), source
        assert [c.code for c in suite.checks] == [e["meta"]["code"] for e in raw["expectations"]]


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    project = tmp_path / "project"
    shutil.copytree(PROJECT / "data" / "reference", project / "data" / "reference")
    shutil.copytree(PROJECT / "expectations", project / "expectations")
    monkeypatch.delenv("AFTERSALES_WAREHOUSE", raising=False)
    return load_settings(project)


def test_the_facts_land_in_the_warehouse(settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "inbox" / "complaints.csv"
    path.parent.mkdir()
    path.write_text(SEVERAL_CHECKS, encoding="utf-8")
    ingest_paths(settings, [path])
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        held = con.execute(
            "SELECT row_number, reasons, CAST(findings AS VARCHAR) FROM quarantine "
            "ORDER BY row_number"
        ).fetchall()
        # the facts can be queried by code: the one unparseable date of line 2
        dates = con.execute(
            "SELECT row_number, f.value FROM quarantine, "
            "unnest(CAST(findings AS STRUCT(\"column\" VARCHAR, \"check\" VARCHAR, "
            "value VARCHAR, other VARCHAR, other_column VARCHAR)[])) AS t(f) "
            "WHERE f.\"check\" = 'unparseable_date'"
        ).fetchall()
        warned = con.execute(
            "SELECT row_number, column_name, code, value, other, other_column, message "
            "FROM ingest_warnings"
        ).fetchall()
    assert {row: json.loads(text) for row, _, text in held} == EXPECTED_FINDINGS
    assert {row: reasons for row, reasons, _ in held} == EXPECTED_REASONS
    assert dates == [(2, "2024-13-45")]
    assert warned == [
        (4, "cause", "not_in_taxonomy", "螺丝松动", None, None,
         'cause: "螺丝松动" is not in the cause taxonomy (kept as unmapped)')
    ]


# The two tables as a warehouse created before the facts columns existed holds them.
OLD_QUARANTINE = (
    "CREATE TABLE quarantine (batch_id VARCHAR NOT NULL, source VARCHAR NOT NULL, "
    "row_number BIGINT NOT NULL, natural_key VARCHAR, reasons VARCHAR NOT NULL, "
    "record JSON NOT NULL)"
)
OLD_WARNINGS = (
    "CREATE TABLE ingest_warnings (batch_id VARCHAR NOT NULL, source VARCHAR NOT NULL, "
    "row_number BIGINT, natural_key VARCHAR, column_name VARCHAR, "
    "check_name VARCHAR NOT NULL, message VARCHAR NOT NULL, value VARCHAR)"
)


def test_an_older_warehouse_gains_the_columns_and_keeps_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute(OLD_QUARANTINE)
        con.execute(OLD_WARNINGS)
        con.execute(
            "INSERT INTO quarantine VALUES ('b1', 'complaints', 3, 'C-2', "
            "'customer: required value missing', '{\"客户\": null}')"
        )
        con.execute(
            "INSERT INTO ingest_warnings VALUES ('b1', 'complaints', 4, 'C-3', 'cause', "
            "'expect_column_values_to_not_be_in_set', 'cause: \"x\" is not in the cause "
            "taxonomy (kept as unmapped)', 'x')"
        )
    with duckdb.connect(str(path)) as con:
        create_tables(con)
        create_tables(con)  # a second run changes nothing
        columns = con.execute(
            "SELECT table_name, column_name FROM duckdb_columns() "
            "WHERE table_name IN ('quarantine', 'ingest_warnings') "
            "AND column_name IN ('findings', 'code', 'other', 'other_column') "
            "ORDER BY table_name, column_name"
        ).fetchall()
        old_quarantine = con.execute("SELECT reasons, findings FROM quarantine").fetchall()
        old_warning = con.execute("SELECT value, code, other FROM ingest_warnings").fetchall()
    assert columns == [
        ("ingest_warnings", "code"),
        ("ingest_warnings", "other"),
        ("ingest_warnings", "other_column"),
        ("quarantine", "findings"),
    ]
    assert old_quarantine == [("customer: required value missing", None)]
    assert old_warning == [("x", None, None)]


def test_a_clean_file_gets_the_same_frames_as_a_file_with_findings(tmp_path: Path):
    """A file without a failing row skips the findings' frame operations (an empty frame of
    FINDINGS_SCHEMA per check, an empty quarantine of QUARANTINE_SCHEMA): the frames landed
    must still have the columns and types of a file with findings."""
    from pipelines.quality.gate import FINDINGS_SCHEMA, QUARANTINE_SCHEMA, _findings

    gate = project_gate()
    with_findings = check_text(gate, tmp_path, "findings.csv", SEVERAL_CHECKS)
    # C-5's line alone: a customer, a quantity, a status, no cause -> loads, no finding
    clean = check_text(gate, tmp_path, "clean.csv",
                       "complaint_id,received_date,customer,defect_qty,status,cause\n"
                       "C-5,2024-09-05,C,1,closed,\n")
    assert (with_findings.quarantine.height, clean.quarantine.height) == (4, 0)
    assert with_findings.quarantine.schema == QUARANTINE_SCHEMA == clean.quarantine.schema
    assert with_findings.warnings.schema == clean.warnings.schema
    assert with_findings.clean.schema == clean.clean.schema
    # every check's findings on line 2 (C-1, which fails several) and on no row
    suite = gate.suite("complaints")
    for check in suite.checks:
        assert _findings(with_findings.read, check, [2]).schema == FINDINGS_SCHEMA
        assert _findings(with_findings.read, check, []).schema == FINDINGS_SCHEMA
