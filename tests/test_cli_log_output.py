"""Output to a log file or a CI job: no wrapping at 80 columns, seconds not microseconds, and
hints the user can run as typed (the command named the way it was invoked)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
AFTERSALES = Path(sys.executable).parent / "aftersales"
# a name long enough that the ingest summary row is far wider than 80 columns
LONG = "complaints-export-from-the-customer-portal-september-2024-all-plants-final.csv"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("log") / "project"
    shutil.copytree(REPO / "data" / "reference", folder / "data" / "reference")
    shutil.copytree(REPO / "expectations", folder / "expectations")
    # the command as a user of a project venv types it: .venv/bin/aftersales
    (folder / ".venv" / "bin").mkdir(parents=True)
    (folder / ".venv" / "bin" / "aftersales").symlink_to(AFTERSALES)
    # 2 complaints: C-2's quantity is negative -> 1 loaded, 1 quarantined (open quarantine)
    (folder / LONG).write_text(
        "complaint_id,received_date,customer,defect_qty,description\n"
        "C-1,2024-09-03,浙江某汽车零部件有限公司,1," + "很长的问题描述" * 20 + "\n"
        "C-2,2024-09-04,B,-1,x\n",
        encoding="utf-8",
    )
    return folder


def logged(project: Path, *args: str) -> list[str]:
    """Run `.venv/bin/aftersales ARGS` with stdout and stderr going to a file, as in a log."""
    log = project / "run.log"
    env = {k: v for k, v in os.environ.items() if k not in ("AFTERSALES_WAREHOUSE", "COLUMNS")}
    with log.open("w", encoding="utf-8") as handle:
        subprocess.run(
            [".venv/bin/aftersales", *args],
            cwd=project,
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            timeout=300,
            check=False,
        )
    return log.read_text(encoding="utf-8").splitlines()


def table_rows(lines: list[str]) -> list[str]:
    return [line for line in lines if line.startswith("│")]


def tables(lines: list[str]) -> list[list[str]]:
    """Each table's lines, from its top border (┏) to its bottom border (└)."""
    blocks: list[list[str]] = []
    for line in lines:
        if line.startswith("┏"):
            blocks.append([])
        if blocks and (not blocks[-1] or not blocks[-1][-1].startswith("└")):
            blocks[-1].append(line)
    return blocks


def test_ingest_to_a_log_keeps_each_row_on_one_line(project: Path) -> None:
    lines = logged(project, "ingest", LONG)
    rows = table_rows(lines)
    # one row for the one file (the header is drawn with ┃), naming the file whole
    (row,) = [line for line in rows if LONG in line]
    assert [cell.strip() for cell in row.strip("│").split("│")] == [
        LONG, "complaints", "2", "1", "1", "0", "0", "loaded*"
    ]
    assert len(rows) == 1, lines
    assert "Next: .venv/bin/aftersales status, or .venv/bin/aftersales report" in lines


def test_status_to_a_log_keeps_rows_whole_and_times_to_the_second(project: Path) -> None:
    logged(project, "ingest", LONG)  # a no-op when the first test already loaded it
    lines = logged(project, "status")
    blocks = tables(lines)
    # batches per source, months covered, open quarantine: one source, so one row each;
    # a folded row would add lines: top border, header, rule, the row, bottom border
    assert [len(block) for block in blocks] == [5, 5, 5], lines
    for block in blocks:
        assert len({line.count("│") + line.count("┃") for line in block[1::2]}) == 1
    (batches,) = [row for row in table_rows(blocks[0]) if row.startswith("│ complaints")]
    last_loaded_at = batches.strip("│").split("│")[-1].strip()
    assert len(last_loaded_at) == len("2026-12-02 08:16:57") and "." not in last_loaded_at
    assert 'List them: .venv/bin/aftersales sql "select * from quarantine"' in lines


def test_an_error_names_the_command_as_it_was_invoked(tmp_path: Path) -> None:
    folder = tmp_path / "empty"
    shutil.copytree(REPO / "data" / "reference", folder / "data" / "reference")
    (folder / ".venv" / "bin").mkdir(parents=True)
    (folder / ".venv" / "bin" / "aftersales").symlink_to(AFTERSALES)
    warehouse = folder / "data" / "warehouse.duckdb"
    assert logged(folder, "status") == [
        f"Error: No warehouse at {warehouse}; run `.venv/bin/aftersales ingest PATH` or "
        "`.venv/bin/aftersales demo` first."
    ]
