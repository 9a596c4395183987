"""Many small files of one source checked together give each file its own verdicts.

Three delivery files, header on row 1, so their lines are rows 2, 3, 4:

- a.csv: row 2 D1 fine; row 3 D2 qty -3 (not > 0) and delivered 2026-01-01 before shipped
  2026-01-02; row 4 D1 again (repeats row 2's key) with no customer;
- b.csv: row 2 D1, fine: the same key as in a.csv, but a key repeats only within a file;
- c.csv: row 2 qty "x" (not a number) and delivered 2025-12-30 before shipped 2026-01-02;
  row 3 no ship date; row 4 no delivery_id.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
from kpi_support import make_project
from quality_support import PROJECT

from pipelines.ingest import read_file
from pipelines.ingest_pipeline import ingest_paths
from pipelines.quality.batched import run_many
from pipelines.quality.expectations_runner import ExpectationsRunner
from pipelines.quality.suites import load_suite
from pipelines.settings import load_settings

HEADER = "delivery_id,customer,part_no,qty,ship_date,promised_date,delivered_date\n"
FILES = {
    "a.csv": "D1,C1,P1,10,2026-01-02,2026-01-05,2026-01-04\n"
    "D2,C1,P1,-3,2026-01-02,2026-01-05,2026-01-01\n"
    "D1,,P1,5,2026-01-02,2026-01-05,\n",
    "b.csv": "D1,C1,P1,10,2026-01-02,2026-01-05,2026-01-04\n",
    "c.csv": "D3,C2,P1,x,2026-01-02,2026-01-05,2025-12-30\n"
    "D4,C2,P1,4,,2026-01-05,2026-01-06\n"
    ",C2,P2,4,2026-01-03,2026-01-05,2026-01-06\n",
}


def _write(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, body in FILES.items():
        (folder / name).write_text(HEADER + body, encoding="utf-8")
        paths.append(folder / name)
    return paths


def _failing(suite, outcome, check_type: str, column: str) -> list[int]:
    for check, rows in zip(suite.checks, outcome.failing_rows, strict=True):
        if check.type == check_type and column in check.gx_columns:
            return rows
    raise AssertionError(f"no {check_type} on {column}")


def test_checked_together_each_file_gets_what_it_gets_alone(tmp_path: Path) -> None:
    causes = load_settings(PROJECT).causes()
    frames = [read_file(p, causes=causes, source="deliveries").frame for p in _write(tmp_path)]
    suite = load_suite(PROJECT / "expectations", "deliveries")
    runner = ExpectationsRunner()
    alone = [runner.run(suite, f) for f in frames]
    together = run_many(runner, suite, frames)
    assert [o.failing_rows for o in together] == [o.failing_rows for o in alone]
    assert [o.summary for o in together] == [o.summary for o in alone]

    a, b, c = together
    unique = "expect_column_values_to_be_unique"
    assert _failing(suite, a, unique, "delivery_id") == [2, 4]
    assert _failing(suite, b, unique, "delivery_id") == []  # D1 of a.csv is another file's
    between = "expect_column_values_to_be_between"
    assert _failing(suite, a, between, "qty") == [3]
    pair = "expect_column_pair_values_a_to_be_greater_than_b"
    assert _failing(suite, a, pair, "delivered_date") == [3]
    assert _failing(suite, c, pair, "delivered_date") == [2]
    not_null = "expect_column_values_to_not_be_null"
    assert _failing(suite, a, not_null, "customer") == [4]
    assert _failing(suite, c, not_null, "ship_date") == [3]
    assert _failing(suite, c, not_null, "delivery_id") == [4]
    # one failing row of 3 in a.csv's qty check: 33.3 %; b.csv's one row passes everything
    qty = next(r for r in a.summary["results"]
               if r["type"] == between and r["kwargs"]["column"] == "qty")
    assert qty["result"]["unexpected_count"] == 1 and qty["result"]["element_count"] == 3
    assert b.summary["success"] is True


def test_a_folder_of_small_files_lands_file_by_file(tmp_path: Path) -> None:
    # a.csv: rows 2 and 4 share key D1 and row 3 has qty -3: all 3 held back, 0 loaded.
    # b.csv: its one row loads. c.csv: rows 2 (qty), 3 (ship date), 4 (no delivery_id) are
    # held back: 0 loaded, 3 quarantined. read = loaded + quarantined + skipped for each.
    settings = make_project(tmp_path / "project")
    _write(tmp_path / "in")
    outcomes = {o.path.name: o for o in
                ingest_paths(settings, [tmp_path / "in"], source="deliveries")}
    counts = {n: (o.status, o.rows_read, o.rows_loaded, o.rows_quarantined)
              for n, o in outcomes.items()}
    assert counts == {
        "a.csv": ("loaded", 3, 0, 3),
        "b.csv": ("loaded", 1, 1, 0),
        "c.csv": ("loaded", 3, 0, 3),
    }
    con = duckdb.connect(str(settings.warehouse), read_only=True)
    try:
        ledger = con.execute(
            "SELECT file_name, rows_read, rows_loaded, rows_quarantined, rows_skipped "
            "FROM ingest_batches ORDER BY file_name").fetchall()
        held = con.execute(
            "SELECT b.file_name, count(*) FROM quarantine q JOIN ingest_batches b USING "
            "(batch_id) GROUP BY 1 ORDER BY 1").fetchall()
        loaded = con.execute("SELECT delivery_id FROM deliveries").fetchall()
    finally:
        con.close()
    assert ledger == [("a.csv", 3, 0, 3, 0), ("b.csv", 1, 1, 0, 0), ("c.csv", 3, 0, 3, 0)]
    assert held == [("a.csv", 3), ("c.csv", 3)]  # each row attributed to its own file
    assert loaded == [("D1",)]

    # One data-quality page for the three files, a section per file anchored by its batch id.
    pages = list((settings.reports_dir / "data-quality").glob("*.html"))
    assert len(pages) == 1
    assert {o.report_path for o in outcomes.values()} == {pages[0]}
    page = pages[0].read_text(encoding="utf-8")
    assert page.count("<section") == 3
    for o in outcomes.values():
        assert f'<section id="{o.batch_id}">' in page
        assert f"Data quality: {o.path.name}" in page
