"""Benchmark of the whole product on deterministic scaled data, against its floors.

Every stage runs in a fresh process, so its wall time and peak memory are its own: the
parent polls the resident memory of the stage's process tree (papermill kernels included)
and a small wrapper process reports the largest single process from `getrusage`.

Stages, per delivery size (1 M and 10 M lines by default):
  generate     the scaled CSV files (cached in the work folder between runs)
  floor        DuckDB `CREATE TABLE AS SELECT * FROM read_csv(...)` of each file, typed
  ingest       `aftersales ingest FILE --source S` of each source into a fresh warehouse
  query        kpi_scorecard, kpi_by_customer_monthly (floor: one GROUP BY over deliveries)
  report       `aftersales report --month M` (floor: a trivial notebook, papermill + nbconvert)
  increment    one new month of data ingested into the largest warehouse, then reported

The table is printed and written as JSON to reports/bench/<timestamp>.json and latest.json.

    python scripts/bench.py                 # 1 M and 10 M delivery lines (about 15 minutes)
    python scripts/bench.py --sizes 10m     # only the 10 M run
    python scripts/bench.py --quick         # small sizes, a minute or two
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TRIVIAL_NOTEBOOK = Path(__file__).resolve().parent / "bench" / "trivial.ipynb"
SOURCES_IN_BENCH = ("deliveries", "complaints", "freight", "surveys")
KPI_VIEWS = ("kpi_scorecard", "kpi_by_customer_monthly")
MONTH_DELIVERIES = 170_000  # one month of the 10 M set (60 months)
MONTH_OTHERS = {"complaints": 2_000, "freight": 5_000, "surveys": 200}
# One aggregate over the largest table: what any KPI query over it costs at least.
SCAN_FLOOR_SQL = (
    "SELECT date_trunc('month', ship_date) AS month, sum(qty) AS qty, count(*) AS lines "
    "FROM deliveries GROUP BY 1 ORDER BY 1"
)

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


# --------------------------------------------------------------------------- results


@dataclass
class Target:
    """A pass/fail line of the issue: a ratio to the floor, seconds, or megabytes."""

    kind: str  # ratio | seconds | rss_mb
    limit: float

    def label(self) -> str:
        return {
            "ratio": f"≤{self.limit:g}× floor",
            "seconds": f"≤{self.limit:g} s",
            "rss_mb": f"≤{self.limit / 1024:g} GB RSS",
        }[self.kind]


@dataclass
class Stage:
    """One measured row of the table."""

    name: str
    size: str
    rows: int | None = None
    wall_s: float | None = None
    work_s: float | None = None  # time inside the stage's own code, without process start
    peak_rss_mb: float | None = None
    max_process_rss_mb: float | None = None
    floor: str | None = None
    ratio: float | None = None
    measure: str = "wall_s"  # which time the ratio and a seconds target compare
    targets: list[Target] = field(default_factory=list)
    ok: bool | None = None
    status: str = "ok"  # ok | cached | error | skipped
    note: str = ""
    log: str | None = None

    def time(self) -> float | None:
        return self.work_s if self.measure == "work_s" else self.wall_s


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


# --------------------------------------------------------------------------- measuring


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
            time.sleep(0.05)
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


def best_of(runs: int, stage: Stage, command: list[str], work: Path) -> Stage:
    """A floor measured `runs` times, keeping the fastest: a floor inflated by a busy
    machine would flatter every ratio measured against it."""
    best: Stage | None = None
    for _ in range(max(1, runs)):
        trial = measure(Stage(**{**asdict(stage), "targets": []}), command, work)
        if trial.status != "ok":
            return trial
        if best is None or (trial.wall_s or 0) < (best.wall_s or 0):
            best = trial
    assert best is not None
    if runs > 1:
        best.note = (best.note + " · " if best.note else "") + f"best of {runs}"
    return best


def worker_command(kind: str, **params: object) -> list[str]:
    """This script in worker mode: one stage's work in its own process."""
    return [sys.executable, str(Path(__file__).resolve()), "_worker", kind, json.dumps(params)]


def cli_command(*args: str) -> list[str]:
    """The `aftersales` console command as a user runs it."""
    script = Path(sys.executable).parent / "aftersales"
    if script.exists():
        return [str(script), *args]
    return [sys.executable, "-c", "from pipelines.cli import app; app()", *args]


# --------------------------------------------------------------------------- workers
# Run inside the measured process; each writes {"work_s", "rows", "note"} to $BENCH_RESULT.


def write_result(work_s: float, rows: int | None = None, note: str = "") -> None:
    Path(os.environ["BENCH_RESULT"]).write_text(
        json.dumps({"work_s": work_s, "rows": rows, "note": note})
    )


def worker_generate(out_dir: str, deliveries: int, complaints: int, freight: int,
                    surveys: int, seed: int) -> None:
    from pipelines.demo.scaled import write_scaled

    start = time.perf_counter()
    paths = write_scaled(Path(out_dir), deliveries=deliveries, complaints=complaints,
                         freight=freight, surveys=surveys, seed=seed)
    work = time.perf_counter() - start
    manifest = {"params": [deliveries, complaints, freight, surveys, seed],
                "files": {k: str(v) for k, v in paths.items()}}
    (Path(out_dir) / "manifest.json").write_text(json.dumps(manifest, indent=1))
    size_mb = sum(Path(p).stat().st_size for p in paths.values()) / 2**20
    write_result(work, deliveries, f"{size_mb:,.0f} MB of files")


def worker_generate_month(out_dir: str, month: str, deliveries: int, seed: int) -> None:
    from pipelines.demo.scaled import write_scaled_month

    # The other sources of a month keep their share of a full month of 170 k delivery lines.
    share = min(1.0, deliveries / MONTH_DELIVERIES)
    others = {k: max(10, round(v * share)) for k, v in MONTH_OTHERS.items()}
    start = time.perf_counter()
    paths = write_scaled_month(Path(out_dir), month=month, deliveries=deliveries, seed=seed,
                               **others)
    work = time.perf_counter() - start
    manifest = {"params": [month, deliveries, seed],
                "files": {k: str(v) for k, v in paths.items()}}
    (Path(out_dir) / "manifest.json").write_text(json.dumps(manifest, indent=1))
    write_result(work, deliveries)


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


def worker_query(db: str, sql: str, repeat: int) -> None:
    """A view queried in a fresh process: the first run is the one judged, warm runs noted."""
    import duckdb

    con = duckdb.connect(db, read_only=True)
    times, rows = [], 0
    for _ in range(max(1, repeat)):
        start = time.perf_counter()
        rows = len(con.execute(sql).fetchall())
        times.append(time.perf_counter() - start)
    warm = f"warm best {min(times[1:]):.3f} s" if len(times) > 1 else ""
    write_result(times[0], rows, warm)


WORKERS = {
    "generate": worker_generate,
    "generate_month": worker_generate_month,
    "duckdb_load": worker_duckdb_load,
    "notebook": worker_notebook,
    "query": worker_query,
}


# --------------------------------------------------------------------------- plan


@dataclass
class Plan:
    """What to run: sizes, file sizes of the other sources, folders."""

    deliveries: list[int]
    complaints: int
    freight: int
    surveys: int
    increment: int
    seed: int
    work: Path
    out: Path
    regen: bool
    floor_runs: int = 3
    ingest_target_size: int = 10_000_000  # the issue's gate targets apply to the 10 M run


def size_label(n: int) -> str:
    for unit, div in (("m", 1_000_000), ("k", 1_000)):
        if n >= div and n % div == 0:
            return f"{n // div}{unit}"
    return str(n)


def parse_size(text: str) -> int:
    text = text.strip().lower().replace("_", "")
    mult = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    return int(float(text.rstrip("km")) * mult)


def warehouse_env(path: Path) -> dict[str, str]:
    return {"AFTERSALES_WAREHOUSE": str(path)}


def fresh(path: Path) -> Path:
    """Remove a DuckDB file and its companions (WAL, lock) so a stage starts empty."""
    for f in path.parent.glob(path.name + "*"):
        f.unlink()
    return path


def cached_files(folder: Path, params: list) -> dict[str, str] | None:
    manifest = folder / "manifest.json"
    if not manifest.exists():
        return None
    data = json.loads(manifest.read_text())
    files = data.get("files", {})
    if data.get("params") != params or not all(Path(p).exists() for p in files.values()):
        return None
    return files


def warehouse_facts(db: Path, sql: str) -> list[tuple]:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def last_batches(db: Path, count: int) -> list[tuple]:
    return warehouse_facts(
        db,
        "SELECT source, rows_read, rows_loaded, rows_quarantined, rows_skipped, status "
        f"FROM ingest_batches ORDER BY finished_at DESC LIMIT {int(count)}",
    )


def ingest_stage(name: str, size: str, paths: list[str], db: Path, floor: str,
                 source: str | None, plan: Plan, targets: list[Target]) -> Stage:
    args = ["ingest", *paths] + (["--source", source] if source else [])
    stage = measure(Stage(name, size, floor=floor, targets=targets), cli_command(*args),
                    plan.work, env=warehouse_env(db))
    if stage.status == "ok" and db.exists():
        batches = last_batches(db, len(paths))
        stage.rows = sum(b[1] for b in batches)
        stage.note = "loaded {:,} · quarantined {:,} · skipped {:,}".format(
            *(sum(b[i] for b in batches) for i in (2, 3, 4))
        )
    return stage


def report_stage(name: str, size: str, month: str, db: Path, plan: Plan) -> Stage:
    out = plan.work / f"pack-{size}-{month}"
    shutil.rmtree(out, ignore_errors=True)
    stage = measure(
        Stage(name, size, floor="notebook floor", targets=[Target("ratio", 3)]),
        cli_command("report", "--month", month, "--out", str(out)),
        plan.work, env=warehouse_env(db),
    )
    if stage.status == "ok":
        pages = sorted(out.rglob("*.html"))
        stage.rows = len(pages)
        stage.note = f"month {month} · {len(pages)} HTML pages"
    return stage


def run_plan(plan: Plan, show) -> list[Stage]:
    """Run every stage in order; a stage that fails skips only what needs its output."""
    stages: list[Stage] = []

    def add(stage: Stage) -> Stage:
        stages.append(stage)
        show(stage)
        return stage

    add(best_of(plan.floor_runs, Stage("notebook floor", "-"),
                worker_command("notebook", out_dir=str(plan.work / "floor-notebook")), plan.work))

    biggest: tuple[str, Path] | None = None
    for n in plan.deliveries:
        size = size_label(n)
        others = f"c{plan.complaints}-f{plan.freight}-s{plan.surveys}"
        data_dir = plan.work / "data" / f"d{size}-{others}"
        params = [n, plan.complaints, plan.freight, plan.surveys, plan.seed]
        files = None if plan.regen else cached_files(data_dir, params)
        if files is None:
            shutil.rmtree(data_dir, ignore_errors=True)
            data_dir.mkdir(parents=True)
            gen = add(measure(Stage("generate", size), worker_command(
                "generate", out_dir=str(data_dir), deliveries=n, complaints=plan.complaints,
                freight=plan.freight, surveys=plan.surveys, seed=plan.seed), plan.work))
            files = cached_files(data_dir, params) if gen.status == "ok" else None
            if files is None:
                continue
        else:
            add(Stage("generate", size, rows=n, status="cached", note=str(data_dir)))

        sources = [s for s in SOURCES_IN_BENCH if s in files]
        for source in sources:
            add(best_of(plan.floor_runs, Stage(f"floor: duckdb load {source}", size),
                        worker_command("duckdb_load",
                                       db=str(plan.work / f"floor-{size}-{source}.duckdb"),
                                       files=[[source, files[source]]]), plan.work))

        db = fresh(plan.work / f"warehouse-{size}.duckdb")
        for source in sources:
            targets = []
            if source == "deliveries" and n >= plan.ingest_target_size:
                targets = [Target("ratio", 3), Target("rss_mb", 4096)]
            add(ingest_stage(f"ingest {source}", size, [files[source]], db,
                             f"floor: duckdb load {source}", source, plan, targets))
        if db.exists() and all(s.status in ("ok", "cached") for s in stages if s.size == size):
            biggest = (size, db)  # sizes run in the order given: the last that loaded wins

    if biggest is None:
        return stages
    size, db = biggest
    add(best_of(plan.floor_runs, Stage("query floor: scan deliveries", size, measure="work_s"),
                worker_command("query", db=str(db), sql=SCAN_FLOOR_SQL, repeat=3), plan.work))
    for view in KPI_VIEWS:
        targets = [Target("seconds", 1)] if view == "kpi_scorecard" else []
        add(measure(Stage(f"query {view}", size, floor="query floor: scan deliveries",
                          measure="work_s", targets=targets),
                    worker_command("query", db=str(db), sql=f"SELECT * FROM {view}", repeat=3),
                    plan.work))

    last_month = warehouse_facts(db, "SELECT strftime(max(ship_date), '%Y-%m') FROM deliveries")
    month = last_month[0][0]
    add(report_stage("report", size, month, db, plan))

    next_month = (dt.date.fromisoformat(month + "-01") + dt.timedelta(days=32)).strftime("%Y-%m")
    inc_dir = plan.work / "data" / f"increment-{next_month}-d{plan.increment}"
    inc_params = [next_month, plan.increment, plan.seed]
    inc_files = None if plan.regen else cached_files(inc_dir, inc_params)
    if inc_files is None:
        shutil.rmtree(inc_dir, ignore_errors=True)
        inc_dir.mkdir(parents=True)
        gen = add(measure(Stage("generate increment", size), worker_command(
            "generate_month", out_dir=str(inc_dir), month=next_month,
            deliveries=plan.increment, seed=plan.seed), plan.work))
        inc_files = cached_files(inc_dir, inc_params) if gen.status == "ok" else None
        if inc_files is None:
            return stages
    inc_sources = [[s, p] for s, p in inc_files.items() if str(p).endswith(".csv")]
    add(best_of(plan.floor_runs, Stage("floor: duckdb load increment", size), worker_command(
        "duckdb_load", db=str(plan.work / "floor-increment.duckdb"), files=inc_sources),
        plan.work))
    inc_ingest = add(ingest_stage("increment ingest", size, list(inc_files.values()), db,
                                  "floor: duckdb load increment", None, plan, []))
    inc_report = add(report_stage("increment report", size, next_month, db, plan))
    parts = (inc_ingest, inc_report)
    total = Stage("increment ingest + report", size, floor="increment floors",
                  targets=[Target("seconds", 30)])
    if all(p.status == "ok" for p in parts):
        total.wall_s = sum(p.wall_s or 0 for p in parts)
        total.peak_rss_mb = max(p.peak_rss_mb or 0 for p in parts)
        total.rows = inc_ingest.rows
    else:
        total.status, total.note = "skipped", "a part failed"
    add(total)
    return stages


# --------------------------------------------------------------------------- output


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


def judge_all(stages: list[Stage]) -> None:
    floors = synthetic_floors(stages)
    for s in stages:
        key_floor = floors.get(f"{s.floor}@{s.size}") or floors.get(f"{s.floor}@-")
        judge(s, {s.floor or "": key_floor} if key_floor else {})


def fmt(value: float | None, spec: str) -> str:
    return "—" if value is None else format(value, spec)


def render_table(stages: list[Stage]):
    from rich.table import Table

    table = Table(title="aftersales benchmark", show_lines=False)
    for col, justify in (("stage", "left"), ("size", "left"), ("rows", "right"),
                         ("wall s", "right"), ("work s", "right"), ("peak RSS MB", "right"),
                         ("floor", "left"), ("ratio", "right"), ("target", "left"),
                         ("ok?", "center")):
        table.add_column(col, justify=justify)
    for s in stages:
        verdict = {True: "[green]yes[/]", False: "[red]NO[/]", None: ""}[s.ok]
        if s.status in ("error", "skipped"):
            verdict = f"[yellow]{s.status}[/]"
        table.add_row(
            s.name, s.size, fmt(s.rows, ","), fmt(s.wall_s, ".2f"), fmt(s.work_s, ".2f"),
            fmt(s.peak_rss_mb, ",.0f"), s.floor or "", fmt(s.ratio, ".2f") + ("×" if s.ratio
                                                                             else ""),
            ", ".join(t.label() for t in s.targets), verdict,
        )
    return table


def machine_facts() -> dict[str, object]:
    import psutil

    versions = {}
    for pkg in ("duckdb", "polars", "pandas", "pyarrow", "great_expectations", "papermill",
                "nbconvert"):
        try:
            from importlib.metadata import version

            versions[pkg] = version(pkg.replace("_", "-"))
        except Exception:  # noqa: BLE001 - a missing package is reported as such
            versions[pkg] = None
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO,
                            capture_output=True, text=True).stdout.strip()
    return {
        "cpus": os.cpu_count(),
        # Other work on the machine inflates every time: keep the load beside the numbers.
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "packages": versions,
        "git_commit": commit or None,
    }


def write_json(stages: list[Stage], plan: Plan, started: dt.datetime,
               load_before: list[float]) -> Path:
    plan.out.mkdir(parents=True, exist_ok=True)
    doc = {
        "started_at": started.isoformat(timespec="seconds"),
        "finished_at": dt.datetime.now().isoformat(timespec="seconds"),
        "machine": {**machine_facts(), "load_average_at_start": load_before},
        "plan": {k: (str(v) if isinstance(v, Path) else v) for k, v in asdict(plan).items()},
        "stages": [asdict(s) for s in stages],
    }
    text = json.dumps(doc, indent=1, ensure_ascii=False)
    path = plan.out / f"{started.strftime('%Y%m%dT%H%M%S')}.json"
    path.write_text(text, encoding="utf-8")
    (plan.out / "latest.json").write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- main


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Benchmark ingest, KPI queries and the report on scaled data.",
        epilog="example: python scripts/bench.py --sizes 10m",
    )
    parser.add_argument("--sizes", default="1m,10m",
                        help="delivery line counts, comma separated (default 1m,10m)")
    parser.add_argument("--quick", action="store_true",
                        help="small sizes (deliveries 20k,100k; others scaled down)")
    parser.add_argument("--complaints", type=parse_size, default=None)
    parser.add_argument("--freight", type=parse_size, default=None)
    parser.add_argument("--surveys", type=parse_size, default=None)
    parser.add_argument("--increment", type=parse_size, default=None,
                        help="delivery lines of the monthly increment (default 170k)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--work", type=Path, default=Path("/tmp/aftersales-bench"),
                        help="scratch folder for data and warehouses "
                        "(default /tmp/aftersales-bench)")
    parser.add_argument("--out", type=Path, default=REPO / "reports" / "bench",
                        help="where the JSON results go (default reports/bench)")
    parser.add_argument("--regen", action="store_true", help="regenerate cached data")
    parser.add_argument("--floor-runs", type=int, default=3,
                        help="times each floor runs; the fastest counts (default 3)")
    parser.add_argument("--check", action="store_true",
                        help="exit 1 when a target is missed, not only when a stage fails")
    return parser.parse_args(argv)


def build_plan(args: argparse.Namespace) -> Plan:
    quick = args.quick
    sizes = "20k,100k" if quick and args.sizes == "1m,10m" else args.sizes
    default = (2_000, 20_000, 1_000, 5_000) if quick else (100_000, 1_000_000, 50_000, 170_000)
    pick = [v if v is not None else d for v, d in zip(
        (args.complaints, args.freight, args.surveys, args.increment), default, strict=True)]
    return Plan(
        deliveries=sorted(parse_size(s) for s in sizes.split(",") if s.strip()),
        complaints=pick[0], freight=pick[1], surveys=pick[2], increment=pick[3],
        seed=args.seed, work=args.work.resolve(), out=args.out.resolve(), regen=args.regen,
        floor_runs=args.floor_runs,
    )


def main(argv: list[str]) -> int:
    if argv[:1] == ["_worker"]:
        WORKERS[argv[1]](**json.loads(argv[2]))
        return 0
    from rich.console import Console

    console = Console()
    if not console.is_terminal:
        console = Console(width=180)  # a log file gets the whole table, not a squeezed one
    args = parse_args(argv)
    plan = build_plan(args)
    plan.work.mkdir(parents=True, exist_ok=True)
    started = dt.datetime.now()
    load_before = [round(x, 2) for x in os.getloadavg()]

    def show(stage: Stage) -> None:
        colour = {"error": "red", "skipped": "yellow"}.get(stage.status, "green")
        console.print(
            f"[{colour}]{stage.status:>7}[/] {stage.name} [{stage.size}] "
            f"{fmt(stage.wall_s, '.2f')} s, {fmt(stage.peak_rss_mb, ',.0f')} MB"
            + (f" — {stage.note}" if stage.note else "")
        )

    stages = run_plan(plan, show)
    judge_all(stages)
    console.print(render_table(stages))
    path = write_json(stages, plan, started, load_before)
    console.print(f"results: {path} (and {plan.out / 'latest.json'})")
    failed = any(s.status == "error" for s in stages)
    missed = any(s.ok is False for s in stages)
    return 1 if failed or (args.check and missed) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
