"""A full disk, a read-only folder, a warehouse another program holds: one sentence naming the
path and what to do, and nothing half-written (SPEC §12).

The disk and the folder are real: a small tmpfs mounted for the test (the tests run as root,
as `make test` and CI do), filled up or remounted read-only.
"""

from __future__ import annotations

import errno
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from pipelines.cli import app
from pipelines.disk import OutputNotWritten, write_atomically

REPO = Path(__file__).resolve().parent.parent
HEADER = "complaint_id,received_date,customer,defect_qty\n"


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def mount(*args: str) -> None:
    done = subprocess.run(["mount", *args], capture_output=True, text=True)
    assert done.returncode == 0, f"mount {' '.join(args)} needs root: {done.stderr}"


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Path]:
    """A 24 MB tmpfs at tmp_path/disk, unmounted afterwards."""
    folder = tmp_path / "disk"
    folder.mkdir()
    mount("-t", "tmpfs", "-o", "size=24m", "tmpfs", str(folder))
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


@pytest.fixture
def project(disk: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder on the small disk, its warehouse holding one complaint (C-1)."""
    folder = disk / "project"
    shutil.copytree(REPO / "data" / "reference", folder / "data" / "reference")
    shutil.copytree(REPO / "expectations", folder / "expectations")
    settings = folder / "data" / "reference" / "settings.toml"
    settings.write_text(
        settings.read_text(encoding="utf-8").replace(
            "lock_timeout_seconds = 30", "lock_timeout_seconds = 1"
        ),
        encoding="utf-8",
    )
    monkeypatch.chdir(folder)
    monkeypatch.delenv("AFTERSALES_WAREHOUSE", raising=False)
    monkeypatch.setenv("COLUMNS", "250")
    first = tmp_path / "first.csv"
    first.write_text(HEADER + "C-1,2024-09-03,A,1\n", encoding="utf-8")
    assert run("ingest", str(first)).exit_code == 0
    return folder


def fill(disk: Path) -> Path:
    """Write a file until the disk is full; return it (delete it to free the disk)."""
    filler = disk / "filler"
    with filler.open("wb", buffering=0) as handle:
        try:
            while True:
                handle.write(b"\0" * 65536)
        except OSError as error:
            assert error.errno == errno.ENOSPC
    return filler


def big_file(tmp_path: Path, rows: int = 50_000) -> Path:
    """`rows` complaints (B-0 ...), a few MB in the warehouse: more than a full disk holds."""
    path = tmp_path / "big.csv"
    lines = (f"B-{i},2024-09-{1 + i % 28:02d},Customer {i % 50},{i % 7}\n" for i in range(rows))
    path.write_text(HEADER + "".join(lines), encoding="utf-8")
    return path


def count(query: str) -> int:
    result = run("sql", query, "--format", "csv")
    assert result.exit_code == 0, result.output
    return int(result.output.splitlines()[1])


def test_a_full_disk_stops_the_ingest_in_one_sentence(project, disk, tmp_path) -> None:
    big = big_file(tmp_path)
    filler = fill(disk)
    result = run("ingest", str(big))
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, result.output
    assert f"The disk holding {project / 'data'}" in errors[0]
    assert "is full; free some space and run the command again." in errors[0]
    assert "Traceback" not in result.output
    filler.unlink()
    # nothing half-written: the one earlier batch, its one row, its one report, no part file
    assert count("select count(*) from ingest_batches") == 1
    assert count("select count(*) from complaints") == 1
    assert len(list((project / "reports" / "data-quality").iterdir())) == 1
    assert not [p for p in project.rglob("*") if p.name.endswith(".part")]
    # and the warehouse is whole: the same file lands once there is room
    again = run("ingest", str(big))
    assert again.exit_code == 0, again.output
    assert count("select count(*) from complaints") == 1 + 50_000


def test_a_full_disk_leaves_no_result_file(project, disk) -> None:
    fill(disk)
    target = project / "complaints.xlsx"
    result = run("sql", "select * from range(200000)", "--output", str(target))
    assert result.exit_code == 1
    assert f"Error: The disk holding {target} is full" in result.output
    assert not target.exists() and not list(project.glob(".complaints.xlsx.*"))


def test_an_atomic_write_on_a_full_disk_keeps_the_old_file(disk) -> None:
    target = disk / "report.html"
    target.write_text("the earlier report", encoding="utf-8")
    fill(disk)
    with pytest.raises(OutputNotWritten, match="is full"):
        write_atomically(target, lambda part: part.write_text("x" * 10_000_000))
    assert target.read_text(encoding="utf-8") == "the earlier report"
    assert sorted(p.name for p in disk.iterdir()) == ["filler", "report.html"]


def test_a_read_only_folder_refuses_the_ingest_and_still_answers_queries(
    project, disk, tmp_path
) -> None:
    mount("-o", "remount,ro", str(disk))
    try:
        new = tmp_path / "new.csv"
        new.write_text(HEADER + "C-2,2024-09-04,B,2\n", encoding="utf-8")
        result = run("ingest", str(new))
        assert result.exit_code == 1
        warehouse = project / "data" / "warehouse.duckdb"
        assert result.output.strip().splitlines()[-1] == (
            f"Error: {warehouse} cannot be written: its folder is read-only for this user; "
            "run the command where it can write, or ask for write access to the folder."
        )
        # reading needs no write: sql and status work on the read-only folder
        assert count("select count(*) from complaints") == 1
        assert run("status").exit_code == 0
        target = project / "complaints.csv"
        written = run("sql", "select * from complaints", "--output", str(target))
        assert written.exit_code == 1
        assert written.output.startswith(f"Error: {target} cannot be written: its folder is")
        assert not target.exists()
    finally:
        mount("-o", "remount,rw", str(disk))


HOLD = """
import sys, duckdb
con = duckdb.connect(sys.argv[1])  # a read-write connection, as a DuckDB shell would hold
print("holding", flush=True)
sys.stdin.read()
"""


def test_a_warehouse_another_program_holds_is_named_with_that_program(project, tmp_path):
    warehouse = project / "data" / "warehouse.duckdb"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(warehouse)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "holding"
        expected = (
            f"Error: The warehouse {warehouse} is held open by another program "
            f"({Path(sys.executable).resolve().name}, PID {holder.pid}) for more than 1 s; "
            "close it (a notebook or DuckDB shell writing to it) and run the command again."
        )
        for args in (["sql", "select 1"], ["status"]):
            result = run(*args)
            assert result.exit_code == 1
            assert result.output.strip() == expected
        new = tmp_path / "new.csv"
        new.write_text(HEADER + "C-2,2024-09-04,B,2\n", encoding="utf-8")
        result = run("ingest", str(new))
        assert result.exit_code == 1
        assert result.output.strip().splitlines()[-1] == expected
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    assert count("select count(*) from complaints") == 1  # C-2 never landed
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("select count(*) from ingest_batches").fetchone()[0] == 1
