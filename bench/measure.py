"""One stage in a fresh process tree: its wall time, its peak memory and its own result.

Both sides of that exchange live here: the parent's `measure` (and the commands it runs) and
the child's `write_result`, which hands the stage's own timing back through $BENCH_RESULT.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from bench import REPO
from bench.results import Stage

# How often the whole process tree's memory is summed while a stage runs. One sum reads
# /proc for every process (1.7 ms here): every 50 ms it took 3-4 % of a core from the
# command measured, on a machine of two; a stage's single largest process is measured
# exactly anyway (RUSAGE_CHILDREN, below).
SAMPLE_SECONDS = 0.2

# The wrapper runs a stage's command as its only child, so RUSAGE_CHILDREN afterwards is the
# peak of the largest single process of that stage (kernels included once they are reaped).
WRAPPER = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
rc = subprocess.call(sys.argv[2:])
wall = time.perf_counter() - start
peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
with open(sys.argv[1], "w") as f:
    json.dump({"rc": rc, "wall_s": wall, "max_process_rss_mb": peak_kb / 1024}, f)
sys.exit(rc)
"""

# Stages run in the scratch project, so a worker finds the `bench` package on PYTHONPATH.
WORKER_ENV = {
    "PYTHONPATH": os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH")) if p)
}


def worker_command(kind: str, **params: object) -> list[str]:
    """`python -m bench.workers`: one stage's work in its own process (needs WORKER_ENV)."""
    return [sys.executable, "-m", "bench.workers", kind, json.dumps(params)]


def cli_command(*args: str) -> list[str]:
    """The `aftersales` console command as a user runs it."""
    script = Path(sys.executable).parent / "aftersales"
    if script.exists():
        return [str(script), *args]
    return [sys.executable, "-c", "from pipelines.cli import app; app()", *args]


def warehouse_env(path: Path) -> dict[str, str]:
    return {"AFTERSALES_WAREHOUSE": str(path)}


def warehouse_facts(db: Path, sql: str) -> list[tuple]:
    """Rows of one query on a warehouse a stage left, read-only."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def fresh(path: Path) -> Path:
    """Remove a DuckDB file and its companions (WAL, lock) so a stage starts empty."""
    for f in path.parent.glob(path.name + "*"):
        f.unlink()
    return path


def write_result(work_s: float, rows: int | None = None, note: str = "") -> None:
    """In a measured process: the stage's own time, rows and note, for the parent to read."""
    Path(os.environ["BENCH_RESULT"]).write_text(
        json.dumps({"work_s": work_s, "rows": rows, "note": note})
    )


def tree_rss_mb(pid: int) -> float:
    """Resident memory of every descendant of `pid` (the wrapper itself excluded)."""
    import psutil

    total = 0
    try:
        children = psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return 0.0
    for child in children:
        with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
            total += child.memory_info().rss
    return total / 2**20


def scratch_project(work: Path) -> Path:
    """A project folder in the work folder: the repo's reference files, suites and notebooks
    linked in, so everything a run writes (packs, data-quality pages) stays out of the repo."""
    project = work / "project"
    (project / "data").mkdir(parents=True, exist_ok=True)
    for rel in ("data/reference", "expectations", "notebooks"):
        link = project / rel
        if not link.exists():
            link.symlink_to(REPO / rel, target_is_directory=True)
    return project


def measure(stage: Stage, command: list[str], work: Path, env: dict[str, str] | None = None,
            timeout_s: float = 3600) -> Stage:
    """Run `command` in a fresh process tree; record wall time, peak RSS and its own result."""
    slug = "".join(ch if ch.isalnum() else "_" for ch in f"{stage.name}_{stage.size}")
    logs = work / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    measure_file, result_file = logs / f"{slug}.measure.json", logs / f"{slug}.result.json"
    log_file = logs / f"{slug}.log"
    for f in (measure_file, result_file):
        f.unlink(missing_ok=True)
    child_env = {**os.environ, **(env or {}), "BENCH_RESULT": str(result_file)}
    child_env.setdefault("PYTHONUNBUFFERED", "1")
    peak = 0.0
    started = time.perf_counter()
    with log_file.open("w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-c", WRAPPER, str(measure_file), *command],
            stdout=log, stderr=subprocess.STDOUT, cwd=scratch_project(work), env=child_env,
        )
        while proc.poll() is None:
            peak = max(peak, tree_rss_mb(proc.pid))
            if time.perf_counter() - started > timeout_s:
                proc.kill()
            time.sleep(SAMPLE_SECONDS)
    stage.log = str(log_file)
    measured = json.loads(measure_file.read_text()) if measure_file.exists() else {}
    stage.wall_s = measured.get("wall_s", time.perf_counter() - started)
    stage.max_process_rss_mb = measured.get("max_process_rss_mb")
    stage.peak_rss_mb = max(peak, stage.max_process_rss_mb or 0.0)
    if result_file.exists():
        result = json.loads(result_file.read_text())
        stage.work_s = result.get("work_s")
        stage.rows = result.get("rows", stage.rows)
        stage.note = result.get("note", stage.note)
    if proc.returncode != 0:
        stage.status = "error"
        tail = log_file.read_text(errors="replace").strip().splitlines()[-3:]
        stage.note = " | ".join(line.strip() for line in tail)[-300:]
    return stage
