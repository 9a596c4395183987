"""The floors every stage is compared with, and the verdicts on the issue's targets.

A floor is the least the same work costs with the bare tools: DuckDB's own typed CSV load of
the same file, a trivial notebook through papermill and nbconvert, one GROUP BY over the
largest table. The two floor workers run in fresh processes (see `bench.workers`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from bench import REPO
from bench.measure import fresh, measure, write_result
from bench.results import Stage

TRIVIAL_NOTEBOOK = REPO / "bench" / "trivial.ipynb"
# One aggregate over the largest table: what any KPI query over it costs at least.
SCAN_FLOOR_SQL = (
    "SELECT date_trunc('month', ship_date) AS month, sum(qty) AS qty, count(*) AS lines "
    "FROM deliveries GROUP BY 1 ORDER BY 1"
)


# --------------------------------------------------------------------------- floor workers


def csv_column_types(path: Path, source_name: str) -> dict[str, str]:
    """The file's header names mapped to the warehouse's SQL types (unknown ones VARCHAR)."""
    import unicodedata

    from pipelines.sources import get_source

    def norm(text: str) -> str:
        return unicodedata.normalize("NFKC", text).strip().lower()

    types = {}
    for col in get_source(source_name).columns:
        for name in (col.name, *col.aliases):
            types.setdefault(norm(name), col.sql_type)
    with path.open(encoding="utf-8-sig") as f:
        header = f.readline().rstrip("\r\n").split(",")
    return {h: types.get(norm(h), "VARCHAR") for h in header}


def worker_duckdb_load(db: str, files: list[list[str]]) -> None:
    """The floor: DuckDB's own typed CSV load of the same files, nothing else."""
    import duckdb

    fresh(Path(db))
    start = time.perf_counter()
    con = duckdb.connect(db)
    rows = 0
    for source, path in files:
        columns = csv_column_types(Path(path), source)
        sniff = con.execute("SELECT DateFormat FROM sniff_csv(?)", [path]).fetchone()
        date_format = sniff[0] if sniff and sniff[0] else "%Y-%m-%d"
        con.execute(f"DROP TABLE IF EXISTS {source}")
        con.execute(
            f"CREATE TABLE {source} AS SELECT * FROM read_csv(?, header = true, delim = ',', "
            f"columns = ?, dateformat = ?)",
            [path, columns, date_format],
        )
        rows += con.execute(f"SELECT count(*) FROM {source}").fetchone()[0]
    con.close()
    write_result(time.perf_counter() - start, rows)


def worker_notebook(out_dir: str) -> None:
    """The floor of a report: execute a trivial notebook with papermill, export it to HTML."""
    start = time.perf_counter()
    import nbformat
    import papermill
    from nbconvert import HTMLExporter

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    executed = out / "trivial.ipynb"
    papermill.execute_notebook(str(TRIVIAL_NOTEBOOK), str(executed),
                               parameters={"month": "2030-12"}, progress_bar=False)
    html, _ = HTMLExporter(exclude_input=True).from_notebook_node(
        nbformat.read(executed, as_version=4)
    )
    (out / "trivial.html").write_text(html, encoding="utf-8")
    write_result(time.perf_counter() - start, 1)


# --------------------------------------------------------------------------- measuring floors


def best_of(runs: int, stage: Stage, command: list[str], work: Path,
            env: dict[str, str] | None = None,
            before: Callable[[], None] | None = None) -> Stage:
    """A stage measured `runs` times, keeping the fastest (`before` runs before each run): a
    floor inflated by a busy machine would flatter every ratio measured against it, and the
    stage judged against it is measured the same way. The note lists every run."""
    best: Stage | None = None
    walls: list[float] = []
    for _ in range(max(1, runs)):
        if before is not None:
            before()
        trial = measure(replace(stage), command, work, env=env)
        if trial.status != "ok":
            return trial
        walls.append(trial.wall_s or 0.0)
        if best is None or (trial.wall_s or 0) < (best.wall_s or 0):
            best = trial
    assert best is not None
    if runs > 1:
        best.note = (best.note + " · " if best.note else "") + f"best of {runs}: " + ", ".join(
            f"{w:.2f}" for w in walls) + " s"
    return best


# --------------------------------------------------------------------------- verdicts


def synthetic_floors(stages: list[Stage]) -> dict[str, Stage]:
    """Floors by (name, size); 'increment floors' is the DuckDB load plus the notebook."""
    floors: dict[str, Stage] = {}
    for s in stages:
        floors.setdefault(f"{s.name}@{s.size}", s)
        floors.setdefault(f"{s.name}@-", s)
    inc = [floors.get("floor: duckdb load increment@" + s.size) for s in stages
           if s.name == "increment ingest + report"]
    nb = floors.get("notebook floor@-")
    if inc and inc[0] and nb and inc[0].wall_s and nb.wall_s:
        floors[f"increment floors@{inc[0].size}"] = Stage(
            "increment floors", inc[0].size, wall_s=inc[0].wall_s + nb.wall_s
        )
    return floors


def judge(stage: Stage, floors: dict[str, Stage]) -> None:
    """Fill the ratio to the floor and the verdict on the stage's targets."""
    floor = floors.get(stage.floor or "")
    own, base = stage.time(), (floor.time() if floor else None)
    if own is not None and base:
        stage.ratio = own / base
    if stage.status not in ("ok", "cached") or not stage.targets:
        return
    verdicts = []
    for target in stage.targets:
        value = {"ratio": stage.ratio, "seconds": own, "rss_mb": stage.peak_rss_mb}[target.kind]
        verdicts.append(value is not None and value <= target.limit)
    stage.ok = all(verdicts)


def judge_all(stages: list[Stage]) -> None:
    """Judge every stage against its floor of the same size (or the size-less one)."""
    floors = synthetic_floors(stages)
    for s in stages:
        key_floor = floors.get(f"{s.floor}@{s.size}") or floors.get(f"{s.floor}@-")
        judge(s, {s.floor or "": key_floor} if key_floor else {})
