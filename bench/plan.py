"""What the benchmark runs and in which order: sizes, data sets, stages, their targets.

A stage that fails skips only what needs its output; every stage is measured in a fresh
process (`bench.measure`) and shown as soon as it is done.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench.floors import SCAN_FLOOR_SQL, best_of
from bench.lake import run_group, run_publish_largest
from bench.measure import (
    WORKER_ENV,
    cli_command,
    fresh,
    measure,
    warehouse_env,
    warehouse_facts,
    worker_command,
)
from bench.results import Stage, Target

SOURCES_IN_BENCH = ("deliveries", "complaints", "freight", "surveys")
KPI_VIEWS = ("kpi_scorecard", "kpi_by_customer_monthly")


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
    ingest_target_size: int = 10_000_000  # the gate targets apply to the 10 M run
    shapes: list[str] = field(default_factory=lambda: ["standard", "wide"])
    small_files: int = 500  # one-row files of one source in one folder, one ingest
    plants: int = 10  # plants of the group in the lake stages (0: no lake stages)
    plant_lines: int = 1_000_000  # delivery lines of each of those plants


def size_label(n: int) -> str:
    for unit, div in (("m", 1_000_000), ("k", 1_000)):
        if n >= div and n % div == 0:
            return f"{n // div}{unit}"
    return str(n)


def parse_size(text: str) -> int:
    text = text.strip().lower().replace("_", "")
    mult = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    return int(float(text.rstrip("km")) * mult)


def build_plan(args: argparse.Namespace) -> Plan:
    """The plan of the command line; --quick picks small sizes for what is not given."""
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
        shapes=[s.strip() for s in args.shapes.split(",") if s.strip()],
        small_files=args.small_files if args.small_files is not None else (50 if quick else 500),
        plants=args.plants if args.plants is not None else (3 if quick else 10),
        plant_lines=args.plant_size or min(1_000_000, min(parse_size(s) for s in
                                                          sizes.split(",") if s.strip())),
    )


def cached_files(folder: Path, params: list) -> dict[str, str] | None:
    """The files a generator left in `folder`, if they were made from the same params."""
    manifest = folder / "manifest.json"
    if not manifest.exists():
        return None
    data = json.loads(manifest.read_text())
    files = data.get("files", {})
    if data.get("params") != params or not all(Path(p).exists() for p in files.values()):
        return None
    return files


@dataclass
class Run:
    """The stages of one run so far; each is shown as it is added."""

    plan: Plan
    show: Callable[[Stage], None]
    stages: list[Stage] = field(default_factory=list)

    def add(self, stage: Stage) -> Stage:
        self.stages.append(stage)
        self.show(stage)
        return stage

    def worker(self, stage: Stage, kind: str, **params: object) -> Stage:
        command = worker_command(kind, **params)
        return self.add(measure(stage, command, self.plan.work, env=WORKER_ENV))

    def floor(self, stage: Stage, kind: str, **params: object) -> Stage:
        command = worker_command(kind, **params)
        return self.add(best_of(self.plan.floor_runs, stage, command, self.plan.work,
                                env=WORKER_ENV))

    def generate(self, stage: Stage, folder: Path, params: list, kind: str,
                 **worker_params: object) -> dict[str, str] | None:
        """Generate a data set into an empty `folder`; its files, or None if that failed."""
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        gen = self.worker(stage, kind, out_dir=str(folder), **worker_params)
        return cached_files(folder, params) if gen.status == "ok" else None

    def ingest(self, name: str, size: str, paths: list[str], db: Path, floor: str,
               source: str | None, targets: list[Target], files: int | None = None) -> Stage:
        args = ["ingest", *paths] + (["--source", source] if source else [])
        stage = measure(Stage(name, size, floor=floor, targets=targets), cli_command(*args),
                        self.plan.work, env=warehouse_env(db))
        if stage.status == "ok" and db.exists():
            batches = warehouse_facts(
                db,
                "SELECT source, rows_read, rows_loaded, rows_quarantined, rows_skipped, status "
                f"FROM ingest_batches ORDER BY finished_at DESC LIMIT {files or len(paths)}",
            )
            stage.rows = sum(b[1] for b in batches)
            stage.note = "loaded {:,} · quarantined {:,} · skipped {:,}".format(
                *(sum(b[i] for b in batches) for i in (2, 3, 4))
            )
        return self.add(stage)

    def report(self, name: str, size: str, month: str, db: Path, runs: int = 1) -> Stage:
        out = self.plan.work / f"pack-{size}-{month}"
        stage = Stage(name, size, floor="notebook floor", targets=[Target("ratio", 2.5)])
        return self.pack(stage, ["report", "--month", month, "--out", str(out)], out, month,
                         env=warehouse_env(db), runs=runs)

    def pack(self, stage: Stage, args: list[str], out: Path, month: str,
             env: dict[str, str] | None = None, runs: int = 1) -> Stage:
        """A command writing a pack of `month` into `out` (emptied first), measured and added;
        its rows are the pack's HTML pages. With `runs` > 1 the fastest run is kept, as for
        the floor it is judged against (`best_of`): the same estimator on both sides of the
        ratio."""
        stage = best_of(runs, stage, cli_command(*args), self.plan.work, env=env,
                        before=lambda: shutil.rmtree(out, ignore_errors=True))
        if stage.status == "ok":
            pages = sorted(out.rglob("*.html"))
            stage.rows = len(pages)
            runs_note = f" · {stage.note}" if runs > 1 else ""
            stage.note = f"month {month} · {len(pages)} HTML pages{runs_note}"
        return self.add(stage)


def gate_targets(plan: Plan, n: int) -> list[Target]:
    """The issue's targets for delivery lines through the full gate, at the target size."""
    return [Target("ratio", 2), Target("rss_mb", 3072)] if n >= plan.ingest_target_size else []


def run_size(run: Run, n: int, floors: bool = True) -> Path | None:
    """Generate, floor and ingest one delivery size; its warehouse if every stage passed."""
    plan, size = run.plan, size_label(n)
    others = f"c{plan.complaints}-f{plan.freight}-s{plan.surveys}"
    data_dir = plan.work / "data" / f"d{size}-{others}"
    params = [n, plan.complaints, plan.freight, plan.surveys, plan.seed]
    files = None if plan.regen else cached_files(data_dir, params)
    if files is not None:
        run.add(Stage("generate", size, rows=n, status="cached", note=str(data_dir)))
    else:
        files = run.generate(Stage("generate", size), data_dir, params, "generate",
                             deliveries=n, complaints=plan.complaints, freight=plan.freight,
                             surveys=plan.surveys, seed=plan.seed)
        if files is None:
            return None

    sources = [s for s in SOURCES_IN_BENCH if s in files]
    for source in sources if floors else ():
        run.floor(Stage(f"floor: duckdb load {source}", size), "duckdb_load",
                  db=str(plan.work / f"floor-{size}-{source}.duckdb"),
                  files=[[source, files[source]]])

    db = fresh(plan.work / f"warehouse-{size}.duckdb")
    for source in sources:
        targets = gate_targets(plan, n) if source == "deliveries" else []
        run.ingest(f"ingest {source}", size, [files[source]], db,
                   f"floor: duckdb load {source}" if floors else "", source, targets)
    passed = all(s.status in ("ok", "cached") for s in run.stages if s.size == size)
    return db if db.exists() and passed else None


def run_shape(run: Run, n: int, shape: str) -> None:
    """Delivery lines of another shape (`bench.data.SHAPES`): generated, floored, ingested."""
    plan, size = run.plan, size_label(n)
    data_dir = plan.work / "data" / f"d{size}-{shape}"
    params = [n, 10, 10, 10, plan.seed, shape]  # the other sources only as small as allowed
    files = None if plan.regen else cached_files(data_dir, params)
    if files is not None:
        run.add(Stage(f"generate {shape} shape", size, rows=n, status="cached",
                      note=str(data_dir)))
    else:
        files = run.generate(Stage(f"generate {shape} shape", size), data_dir, params,
                             "generate", deliveries=n, complaints=10, freight=10, surveys=10,
                             seed=plan.seed, shape=shape)
        if files is None:
            return
    floor = f"floor: duckdb load deliveries, {shape} shape"
    run.floor(Stage(floor, size), "duckdb_load",
              db=str(plan.work / f"floor-{size}-{shape}.duckdb"),
              files=[["deliveries", files["deliveries"]]])
    db = fresh(plan.work / f"warehouse-{size}-{shape}.duckdb")
    run.ingest(f"ingest deliveries, {shape} shape", size, [files["deliveries"]], db, floor,
               "deliveries", gate_targets(plan, n))


def run_small_files(run: Run) -> None:
    """Many one-row files of one source in one folder, ingested by one `ingest`."""
    plan = run.plan
    count, size = plan.small_files, f"{plan.small_files} files"
    data_dir = plan.work / "data" / f"small-{count}"
    params = [count, plan.seed]
    files = None if plan.regen else cached_files(data_dir, params)
    if files is None:
        files = run.generate(Stage("generate small files", size), data_dir, params,
                             "generate_small", count=count, seed=plan.seed)
        if files is None:
            return
    db = fresh(plan.work / "warehouse-small.duckdb")
    targets = [Target("seconds", 30)] if count >= 500 else []
    run.ingest("ingest one-row files of one folder", size, [files["deliveries"]], db, "",
               "deliveries", targets, files=count)


def run_queries_and_report(run: Run, size: str, db: Path) -> str:
    """The KPI views and one month's report on the largest warehouse; returns the month."""
    run.floor(Stage("query floor: scan deliveries", size, measure="work_s"), "query",
              db=str(db), sql=SCAN_FLOOR_SQL, repeat=3)
    for view in KPI_VIEWS:
        targets = [Target("seconds", 1)] if view == "kpi_scorecard" else []
        run.worker(Stage(f"query {view}", size, floor="query floor: scan deliveries",
                         measure="work_s", targets=targets),
                   "query", db=str(db), sql=f"SELECT * FROM {view}", repeat=3)
    last_month = warehouse_facts(db, "SELECT strftime(max(ship_date), '%Y-%m') FROM deliveries")
    month = last_month[0][0]
    # the report's floor again, just before it: this machine's speed drifts by a fifth over
    # a run of the benchmark, and a ratio of two times taken minutes apart measures the drift
    run.floor(Stage("notebook floor", size), "notebook",
              out_dir=str(run.plan.work / "floor-notebook"))
    run.report("report", size, month, db, runs=run.plan.floor_runs)
    return month


def run_increment(run: Run, size: str, db: Path, month: str) -> None:
    """One new month after `month` ingested into the warehouse and reported, with its total."""
    plan = run.plan
    next_month = (dt.date.fromisoformat(month + "-01") + dt.timedelta(days=32)).strftime("%Y-%m")
    inc_dir = plan.work / "data" / f"increment-{next_month}-d{plan.increment}"
    inc_params = [next_month, plan.increment, plan.seed]
    inc_files = None if plan.regen else cached_files(inc_dir, inc_params)
    if inc_files is None:
        inc_files = run.generate(Stage("generate increment", size), inc_dir, inc_params,
                                 "generate_month", month=next_month,
                                 deliveries=plan.increment, seed=plan.seed)
        if inc_files is None:
            return
    inc_sources = [[s, p] for s, p in inc_files.items() if str(p).endswith(".csv")]
    run.floor(Stage("floor: duckdb load increment", size), "duckdb_load",
              db=str(plan.work / "floor-increment.duckdb"), files=inc_sources)
    inc_ingest = run.ingest("increment ingest", size, list(inc_files.values()), db,
                            "floor: duckdb load increment", None, [])
    inc_report = run.report("increment report", size, next_month, db)
    parts = (inc_ingest, inc_report)
    total = Stage("increment ingest + report", size, floor="increment floors",
                  targets=[Target("seconds", 15)])
    if all(p.status == "ok" for p in parts):
        total.wall_s = sum(p.wall_s or 0 for p in parts)
        total.peak_rss_mb = max(p.peak_rss_mb or 0 for p in parts)
        total.rows = inc_ingest.rows
    else:
        total.status, total.note = "skipped", "a part failed"
    run.add(total)


def run_plan(plan: Plan, show: Callable[[Stage], None]) -> list[Stage]:
    """Run every stage in order; a stage that fails skips only what needs its output."""
    run = Run(plan, show)
    run.floor(Stage("notebook floor", "-"), "notebook",
              out_dir=str(plan.work / "floor-notebook"))
    biggest: tuple[str, Path] | None = None
    built: dict[int, Path] = {}
    for n in plan.deliveries:
        db = run_size(run, n)
        if db is not None:
            biggest = (size_label(n), db)  # sizes run in the order given: the last that loaded
            built[n] = db
        for shape in plan.shapes:
            if shape != "standard" and n == max(plan.deliveries):
                run_shape(run, n, shape)
    if plan.small_files:
        run_small_files(run)
    if biggest is not None:
        size, db = biggest
        month = run_queries_and_report(run, size, db)
        run_increment(run, size, db, month)
    if plan.plants and biggest is not None:
        run_lake(run, biggest, built)
    return run.stages


def run_lake(run: Run, biggest: tuple[str, Path], built: dict[int, Path]) -> None:
    """The largest warehouse published; then the group of plants (`bench.lake`), from the
    run's warehouse of the plant size, or one ingested for it (without floors) if the run
    made none."""
    plan = run.plan
    run_publish_largest(run, *biggest)
    plant_db = built.get(plan.plant_lines) or run_size(run, plan.plant_lines, floors=False)
    if plant_db is not None:
        run_group(run, size_label(plan.plant_lines), plant_db)
