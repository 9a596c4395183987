"""Landing files: idempotence, upsert, atomicity, rejected files and the writer lock."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from pipelines.errors import WarehouseBusy
from pipelines.ingest_pipeline import ingest_paths
from pipelines.settings import load_settings
from pipelines.warehouse import ledger
from pipelines.warehouse.writing import connect_for_writing, lock_path

PROJECT = Path(__file__).resolve().parent.parent
HEADER = "complaint_id,received_date,customer,defect_qty\n"


@pytest.fixture
def settings(tmp_path, monkeypatch):
    """A fresh project folder (reference files, suites) with an empty warehouse path."""
    project = tmp_path / "project"
    shutil.copytree(PROJECT / "data" / "reference", project / "data" / "reference")
    shutil.copytree(PROJECT / "expectations", project / "expectations")
    toml = project / "data" / "reference" / "settings.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace(
            "lock_timeout_seconds = 30", "lock_timeout_seconds = 1"
        ),
        encoding="utf-8",
    )
    monkeypatch.delenv("AFTERSALES_WAREHOUSE", raising=False)
    return load_settings(project)


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _rows(settings, sql: str) -> list[tuple]:
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_same_file_twice_is_a_no_op(settings, tmp_path):
    path = _write(tmp_path / "in" / "c.csv", HEADER + "C-1,2024-09-03,A,1\nC-2,2024-09-04,B,2\n")
    first = ingest_paths(settings, [path])
    second = ingest_paths(settings, [path])
    assert [o.status for o in first] == ["loaded"]
    assert second[0].status == "duplicate"
    assert second[0].message == f"already loaded as batch {first[0].batch_id}"
    assert _rows(settings, "select count(*) from complaints") == [(2,)]
    assert _rows(settings, "select count(*) from ingest_batches") == [(1,)]


def test_corrected_file_replaces_rows_with_the_same_keys(settings, tmp_path):
    # September file: C-1 qty 1, C-2 qty 2. Correction: C-2 qty 5, C-3 qty 3.
    # After both: C-1 (first batch), C-2 and C-3 (second batch) -> 3 rows, qty 1 + 5 + 3.
    first = ingest_paths(
        settings,
        [_write(tmp_path / "a.csv", HEADER + "C-1,2024-09-03,A,1\nC-2,2024-09-04,B,2\n")],
    )
    second = ingest_paths(
        settings,
        [_write(tmp_path / "b.csv", HEADER + "C-2,2024-09-04,B,5\nC-3,2024-09-05,B,3\n")],
    )
    assert first[0].batch_id != second[0].batch_id
    rows = _rows(settings, "select complaint_id, defect_qty, batch_id from complaints order by 1")
    assert rows == [
        ("C-1", 1, first[0].batch_id),
        ("C-2", 5, second[0].batch_id),
        ("C-3", 3, second[0].batch_id),
    ]


def test_failure_while_landing_leaves_the_warehouse_as_it_was(settings, tmp_path, monkeypatch):
    ingest_paths(settings, [_write(tmp_path / "a.csv", HEADER + "C-1,2024-09-03,A,1\n")])
    before = {
        t: _rows(settings, f"select * from {t} order by all")
        for t in ("complaints", "quarantine", "ingest_warnings", "ingest_batches")
    }

    def broken_ledger(con, entry):
        raise RuntimeError("disk full")

    monkeypatch.setattr(ledger, "record_batch", broken_ledger)
    # C-1 would be replaced, C-2 added, C-3 quarantined: all of it must roll back.
    bad = _write(tmp_path / "b.csv", HEADER + "C-1,2024-09-03,A,9\nC-2,2024-09-04,B,2\nC-3,x,B,1\n")
    with pytest.raises(RuntimeError, match="disk full"):
        ingest_paths(settings, [bad])
    after = {t: _rows(settings, f"select * from {t} order by all") for t in before}
    assert after == before


def test_rejected_file_is_recorded_and_a_corrected_one_loads(settings, tmp_path):
    rejected = ingest_paths(
        settings, [_write(tmp_path / "c.csv", "complaint_id,customer\nC-1,A\n")]
    )
    assert rejected[0].status == "rejected"
    assert "received_date" in rejected[0].message
    fixed = ingest_paths(settings, [_write(tmp_path / "c.csv", HEADER + "C-1,2024-09-03,A,1\n")])
    assert fixed[0].status == "loaded"
    assert _rows(
        settings, "select status, rows_read, rows_loaded from ingest_batches order by started_at"
    ) == [
        ("rejected", 0, 0),
        ("loaded", 1, 1),
    ]


def test_ledger_counts_add_up(settings, tmp_path):
    # 4 read: C-1 and C-3 load, C-2 (no 30 February) is quarantined, the total row is
    # skipped: 4 = 2 + 1 + 1.
    path = _write(
        tmp_path / "c.csv",
        HEADER + "C-1,2024-09-03,A,1\nC-2,2024-02-30,A,1\nC-3,2024-09-03,A,1\n合计,,,3\n",
    )
    ingest_paths(settings, [path])
    assert _rows(
        settings,
        "select rows_read, rows_loaded, rows_quarantined, rows_skipped, status from ingest_batches",
    ) == [(4, 2, 1, 1, "loaded")]


HOLD_LOCK = """
import sys, time
from filelock import FileLock
lock = FileLock(sys.argv[1]); lock.acquire()
print("held", flush=True)
time.sleep(float(sys.argv[2]))
"""


def _hold_lock(settings, seconds: float) -> subprocess.Popen:
    settings.warehouse.parent.mkdir(parents=True, exist_ok=True)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(lock_path(settings.warehouse)), str(seconds)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "held"
    return holder


def test_second_writer_gives_up_after_the_bounded_wait(settings):
    holder = _hold_lock(settings, 30)
    try:
        started = time.monotonic()
        with (
            pytest.raises(WarehouseBusy, match="did not finish within 1 s"),
            connect_for_writing(settings),
        ):
            pass
        assert 0.9 <= time.monotonic() - started < 10
    finally:
        holder.kill()
        holder.wait()


def test_lock_of_a_killed_writer_does_not_block(settings):
    holder = _hold_lock(settings, 30)
    holder.kill()
    holder.wait()
    assert lock_path(settings.warehouse).exists()  # the file stays; the OS lock is gone
    with connect_for_writing(settings) as con:
        assert con.execute("select count(*) from ingest_batches").fetchone() == (0,)


def test_a_file_of_many_row_groups_lands_whole_with_its_batch_id(settings, tmp_path):
    # 250,000 complaints C-1 .. C-250000 with defect_qty = i % 7 + 1: DuckDB inserts them in
    # parallel (about 2 row groups of 122,880 rows and a part), in no particular order.
    # Sum: i = 1 .. 249,998 is 35,714 full cycles of 1 + 2 + ... + 7 = 28 -> 999,992;
    # i = 249,999 (% 7 = 1) adds 2 and i = 250,000 (% 7 = 2) adds 3 -> 999,997.
    n = 250_000
    body = "".join(f"C-{i},2024-09-03,A,{i % 7 + 1}\n" for i in range(1, n + 1))
    outcome = ingest_paths(settings, [_write(tmp_path / "big.csv", HEADER + body)])[0]
    assert outcome.rows_loaded == n
    assert _rows(
        settings,
        "select count(*), count(distinct complaint_id), sum(defect_qty), min(batch_id), "
        "max(batch_id) from complaints",
    ) == [(n, n, 999_997, outcome.batch_id, outcome.batch_id)]
    assert _rows(settings, "select rows_loaded from ingest_batches") == [(n,)]


def test_a_one_column_text_key_is_stored_uncompressed(settings, tmp_path):
    # Two complaints: their ids, one per row, are written uncompressed; the customer column
    # keeps DuckDB's own choice (never forced), and the rows read back as loaded.
    path = _write(tmp_path / "in" / "c.csv", HEADER + "C-1,2024-09-03,A,1\nC-2,2024-09-04,A,2\n")
    ingest_paths(settings, [path])
    storage = (
        "select distinct compression from pragma_storage_info('complaints') "
        "where column_name = '{}' and segment_type = 'VARCHAR'"
    )
    assert _rows(settings, storage.format("complaint_id")) == [("Uncompressed",)]
    assert _rows(settings, storage.format("customer")) != [("Uncompressed",)]
    assert _rows(settings, "select complaint_id from complaints order by 1") == [("C-1",), ("C-2",)]
