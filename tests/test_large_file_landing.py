"""A large file lands while the gate checks it (`pipelines.large_file`), with the guarantees
of the small-file road: last batch wins by key, held rows stay out, one transaction, the
ledger adds up, and a file the gate fails on leaves the warehouse as it was."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from pipelines.errors import FileRejected
from pipelines.ingest_pipeline import SMALL_FILE_BYTES, ingest_paths
from pipelines.quality import QualityGate
from pipelines.settings import load_settings
from pipelines.warehouse import ledger

PROJECT = Path(__file__).resolve().parent.parent
HEADER = "complaint_id,received_date,customer,defect_qty\n"
# 40,000 filler complaints F-1 .. F-40000 of defect_qty 1: about 1.1 MB with the header,
# so the file takes the large-file road.
FILLERS = 40_000
FILLER_LINES = "".join(f"F-{i},2024-09-10,FILLER,1\n" for i in range(1, FILLERS + 1))
TABLES = ("complaints", "quarantine", "ingest_warnings")


@pytest.fixture
def settings(tmp_path, monkeypatch):
    project = tmp_path / "project"
    shutil.copytree(PROJECT / "data" / "reference", project / "data" / "reference")
    shutil.copytree(PROJECT / "expectations", project / "expectations")
    monkeypatch.delenv("AFTERSALES_WAREHOUSE", raising=False)
    return load_settings(project)


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _rows(settings, sql: str) -> list[tuple]:
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


def _september(settings, tmp_path) -> str:
    """A small first file: C-1 qty 1, C-2 qty 2, C-3 qty 3; its batch id."""
    small = _write(tmp_path / "a.csv", HEADER + "C-1,2024-09-03,A,1\nC-2,2024-09-04,B,2\n"
                   "C-3,2024-09-05,B,3\n")
    (first,) = ingest_paths(settings, [small])
    assert first.status == "loaded"
    return first.batch_id


def _correction(tmp_path) -> Path:
    """C-2 corrected to qty 5 (line 2), C-3 with no date (line 3, held), C-4 new (line 4),
    then the fillers."""
    lines = "C-2,2024-09-04,B,5\nC-3,,B,9\nC-4,2024-09-06,A,4\n"
    path = _write(tmp_path / "b.csv", HEADER + lines + FILLER_LINES)
    assert path.stat().st_size > SMALL_FILE_BYTES
    return path


def test_a_large_correction_replaces_only_the_keys_it_loads(settings, tmp_path):
    first = _september(settings, tmp_path)
    (second,) = ingest_paths(settings, [_correction(tmp_path)])
    # read 40,003 = loaded 40,002 (C-2, C-4, the fillers) + quarantined 1 (C-3) + skipped 0.
    assert (second.status, second.rows_read, second.rows_loaded, second.rows_quarantined,
            second.rows_skipped) == ("loaded", 40_003, 40_002, 1, 0)
    named = _rows(settings, "select complaint_id, defect_qty, batch_id from complaints "
                  "where customer <> 'FILLER' order by 1")
    # C-3 was held back, so September's C-3 stays; C-2 is the correction's.
    assert named == [
        ("C-1", 1, first),
        ("C-2", 5, second.batch_id),
        ("C-3", 3, first),
        ("C-4", 4, second.batch_id),
    ]
    # 4 named complaints + 40,000 fillers; qty 1 + 5 + 3 + 4 + 40,000 x 1.
    assert _rows(settings, "select count(*), sum(defect_qty) from complaints") == [
        (40_004, 40_013)
    ]
    assert _rows(settings, "select batch_id, row_number from quarantine") == [
        (second.batch_id, 3)
    ]
    assert _rows(settings, "select rows_read, rows_loaded, rows_quarantined from "
                 "ingest_batches order by started_at") == [(3, 3, 0), (40_003, 40_002, 1)]


def test_a_large_first_file_lands_whole(settings, tmp_path):
    (outcome,) = ingest_paths(settings, [_correction(tmp_path)])
    # Into an empty table: C-2, C-4 and the fillers; C-3 held (no date).
    assert (outcome.rows_loaded, outcome.rows_quarantined) == (40_002, 1)
    assert _rows(settings, "select count(*), count(distinct batch_id) from complaints") == [
        (40_002, 1)
    ]


class _FailingGate(QualityGate):
    """The real gate, which then fails as an unforeseen rule would: after DuckDB has
    started writing the file's rows."""

    def __init__(self, expectations_dir: Path, error: Exception) -> None:
        super().__init__(expectations_dir)
        self.error = error

    def check(self, batch):
        super().check(batch)
        raise self.error


@pytest.mark.parametrize(
    ("error", "said"),
    [
        (FileRejected("File b.csv is not what it seems; export it again."),
         "File b.csv is not what it seems; export it again."),
        (ValueError("no such rule"),
         "File b.csv could not be read (ValueError: no such rule); export it again as CSV, "
         "XLSX or Parquet."),
    ],
)
def test_a_large_file_the_gate_fails_on_leaves_the_warehouse_as_it_was(
    settings, tmp_path, monkeypatch, error, said
):
    _september(settings, tmp_path)
    before = {t: _rows(settings, f"select * from {t} order by all") for t in TABLES}
    failing = _FailingGate(settings.expectations_dir, error)
    monkeypatch.setattr("pipelines.ingest_pipeline.QualityGate", lambda _: failing)
    (outcome,) = ingest_paths(settings, [_correction(tmp_path)])
    assert (outcome.status, outcome.message) == ("rejected", said)
    assert {t: _rows(settings, f"select * from {t} order by all") for t in TABLES} == before
    assert _rows(settings, "select status, rows_loaded from ingest_batches "
                 "order by started_at") == [("loaded", 3), ("rejected", 0)]


def test_a_failure_while_a_large_file_lands_rolls_it_back(settings, tmp_path, monkeypatch):
    _september(settings, tmp_path)
    before = {t: _rows(settings, f"select * from {t} order by all")
              for t in (*TABLES, "ingest_batches")}

    def broken_ledger(con, entry):
        raise RuntimeError("disk full")

    monkeypatch.setattr(ledger, "record_batch", broken_ledger)
    with pytest.raises(RuntimeError, match="disk full"):
        ingest_paths(settings, [_correction(tmp_path)])
    assert {t: _rows(settings, f"select * from {t} order by all") for t in before} == before
    monkeypatch.undo()
    # the writer lock was released: the same file lands now
    (again,) = ingest_paths(settings, [_correction(tmp_path)])
    assert again.status == "loaded"
