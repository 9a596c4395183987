"""A folder's small files of one source land together, as file after file would leave them.

An earlier ingest loaded first/early.csv: D1 qty 10 and D9 qty 90. Then one ingest of the
folder in/ (files in name order, header on row 1):

- 1.csv: D1 qty 20 (replaces the earlier D1), D2 qty 30;
- 2.csv: D2 qty 40 (replaces 1.csv's D2: last batch wins within the folder too), D3 qty -1
  (qty must be > 0: held back, row 3);
- 3.csv: D4 qty 50;
- 4.csv: the same bytes as 1.csv: a duplicate of 1.csv's batch, nothing loaded again.

File after file: 1.csv deletes the earlier D1 and writes D1 20, D2 30; 2.csv deletes 1.csv's
D2 and writes D2 40; 3.csv writes D4 50. So the table holds D1 20 (1.csv), D2 40 (2.csv), D4
50 (3.csv) and D9 90 (early.csv); the ledger says 1.csv loaded 2 (what it loaded, though one of
them was replaced later), 2.csv loaded 1 and held 1, 3.csv loaded 1.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import pytest
from kpi_support import make_project

from pipelines.ingest_pipeline import ingest_paths
from pipelines.quality import QualityGate
from pipelines.settings import Settings
from pipelines.warehouse.load_many import Arrival, land_many
from pipelines.warehouse.writing import connect_for_writing

HEADER = "delivery_id,customer,part_no,qty,ship_date,promised_date,delivered_date\n"


def _line(delivery_id: str, qty: int) -> str:
    return f"{delivery_id},C1,P1,{qty},2026-01-02,2026-01-05,2026-01-04\n"


FOLDER = {
    "1.csv": _line("D1", 20) + _line("D2", 30),
    "2.csv": _line("D2", 40) + _line("D3", -1),
    "3.csv": _line("D4", 50),
    "4.csv": _line("D1", 20) + _line("D2", 30),
}


def _write(folder: Path, files: dict[str, str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, body in files.items():
        (folder / name).write_text(HEADER + body, encoding="utf-8")


def _state(settings: Settings) -> tuple[list, list, list]:
    con = duckdb.connect(str(settings.warehouse), read_only=True)
    try:
        table = con.execute(
            "SELECT d.delivery_id, d.qty, b.file_name FROM deliveries d "
            "JOIN ingest_batches b USING (batch_id) ORDER BY 1").fetchall()
        ledger = con.execute(
            "SELECT file_name, rows_read, rows_loaded, rows_quarantined, status "
            "FROM ingest_batches ORDER BY file_name").fetchall()
        held = con.execute(
            "SELECT b.file_name, q.row_number, q.natural_key FROM quarantine q "
            "JOIN ingest_batches b USING (batch_id) ORDER BY 1, 2").fetchall()
    finally:
        con.close()
    return table, ledger, held


EXPECTED_TABLE = [("D1", 20, "1.csv"), ("D2", 40, "2.csv"), ("D4", 50, "3.csv"),
                  ("D9", 90, "early.csv")]
EXPECTED_LEDGER = [("1.csv", 2, 2, 0, "loaded"), ("2.csv", 2, 1, 1, "loaded"),
                   ("3.csv", 1, 1, 0, "loaded"), ("early.csv", 2, 2, 0, "loaded")]
EXPECTED_HELD = [("2.csv", 3, "D3")]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    settings = make_project(tmp_path / "project")
    _write(tmp_path / "first", {"early.csv": _line("D1", 10) + _line("D9", 90)})
    [early] = ingest_paths(settings, [tmp_path / "first"], source="deliveries")
    assert (early.status, early.rows_loaded) == ("loaded", 2)
    return settings


def test_a_folder_lands_as_file_after_file(settings: Settings, tmp_path: Path) -> None:
    _write(tmp_path / "in", FOLDER)
    outcomes = ingest_paths(settings, [tmp_path / "in"], source="deliveries")
    by_name = {o.path.name: o for o in outcomes}
    assert [o.path.name for o in outcomes] == ["1.csv", "2.csv", "3.csv", "4.csv"]
    assert by_name["4.csv"].status == "duplicate"
    assert by_name["4.csv"].batch_id == by_name["1.csv"].batch_id
    assert [(o.rows_loaded, o.rows_quarantined) for o in outcomes[:3]] == [(2, 0), (1, 1), (1, 0)]
    assert _state(settings) == (EXPECTED_TABLE, EXPECTED_LEDGER, EXPECTED_HELD)


def test_the_same_files_one_ingest_each_leave_the_same_warehouse(
    settings: Settings, tmp_path: Path
) -> None:
    for name in sorted(FOLDER):  # each file alone: its own transaction, as before groups
        _write(tmp_path / name, {name: FOLDER[name]})
        ingest_paths(settings, [tmp_path / name / name], source="deliveries")
    assert _state(settings) == (EXPECTED_TABLE, EXPECTED_LEDGER, EXPECTED_HELD)


def test_a_failed_group_leaves_nothing(settings: Settings, tmp_path: Path) -> None:
    """A statement failing inside the group's transaction rolls every file of it back."""
    from pipelines.ingest import read_file

    _write(tmp_path / "in", FOLDER)
    gate = QualityGate(settings.expectations_dir)
    reads = [read_file(tmp_path / "in" / n, causes=settings.causes(), source="deliveries")
             for n in ("1.csv", "3.csv")]
    gated = gate.check_many(reads)
    before = _state(settings)
    now = datetime(2026, 1, 6, 9, 0)
    # the same batch id twice: the ledger's primary key stops the group's last statement
    arrivals = [Arrival(g, "deliveries-same", now, None) for g in gated]
    with connect_for_writing(settings) as con, pytest.raises(duckdb.ConstraintException):
        land_many(con, arrivals)
    assert _state(settings) == before


def test_actions_in_one_folder_land_file_by_file_with_their_reference_warnings(
    tmp_path: Path,
) -> None:
    """Actions name complaints, so their files land one by one (their warnings are found on
    each file's rows in the table). Complaint C-2 is loaded first; in the folder, a1.csv's
    A-1 names C-2 (known: no warning) and a2.csv's A-2 names C-9 (no such complaint: the
    row loads with the warning unknown_complaint, on its line 2)."""
    from loop_support import ingest_one, project, warnings, write_lines

    settings = project(tmp_path / "project")
    ingest_one(settings, write_lines(tmp_path / "c.csv", [
        "complaint_id,received_date,customer,defect_qty", "C-2,2025-03-01,华为,2"]))
    folder = tmp_path / "actions"
    folder.mkdir()
    write_lines(folder / "a1.csv", ["8D编号,客诉编号,发起日期", "A-1,C-2,2025-03-02"])
    write_lines(folder / "a2.csv", ["8D编号,客诉编号,发起日期", "A-2,C-9,2025-03-03"])
    outcomes = ingest_paths(settings, [folder], source="actions")
    assert [(o.path.name, o.status, o.rows_loaded, o.rows_warned) for o in outcomes] == [
        ("a1.csv", "loaded", 1, 0), ("a2.csv", "loaded", 1, 1)]
    assert warnings(settings, "actions") == [(2, "A-2", "complaint_id", "unknown_complaint",
                                              "C-9")]
