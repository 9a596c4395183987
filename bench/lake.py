"""The lake stages (SPEC §13): the largest plant published, then a group of plants published,
built into the group warehouse, queried and reported.

The group's plants are one warehouse published under as many plant codes: the code is the
publish's `--plant` and a publish only reads the warehouse, so copies of the file would cost
disk and time and measure nothing more. Every plant then has the same rows, which is what
sizing needs (the group build and its views do the same work whatever the rows hold).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from bench.floors import SCAN_FLOOR_SQL
from bench.measure import cli_command, measure, warehouse_env, warehouse_facts
from bench.results import Stage

if TYPE_CHECKING:
    from bench.plan import Run

GROUP_VIEWS = ("kpi_scorecard", "kpi_scorecard_by_plant")
GROUP_QUERY_FLOOR = "query floor: scan deliveries"


def plant_codes(count: int) -> list[str]:
    """P01, P02, ...: plant codes the lake accepts (`pipelines.lake.catalog.check_plant`)."""
    width = max(2, len(str(count)))
    return [f"P{i:0{width}d}" for i in range(1, count + 1)]


def group_label(plants: int, plant_size: str) -> str:
    """The size column of a group stage: '10 × 1m' (ten plants of 1 M delivery lines)."""
    return f"{plants} × {plant_size}"


def fresh_folder(path: Path) -> Path:
    shutil.rmtree(path, ignore_errors=True)
    return path


def published_rows(lake: Path, plant: str) -> dict[str, int]:
    """Rows per table of the plant's latest complete publish, as the lake recorded them."""
    from pipelines.lake.catalog import locate, open_catalog
    from pipelines.lake.read import latest_publishes

    catalog = open_catalog(locate(str(lake)), create=False)
    return latest_publishes(catalog)[plant].rows


def group_facts(group_db: Path) -> tuple[int, int]:
    """All rows and the delivery lines the group warehouse was built from."""
    (total, lines), = warehouse_facts(
        group_db,
        "SELECT sum(rows), sum(rows) FILTER (WHERE table_name = 'deliveries') "
        "FROM group_publishes",
    )
    return int(total or 0), int(lines or 0)


def publish(run: Run, name: str, size: str, db: Path, lake: Path, plant: str) -> Stage:
    """`aftersales publish` of warehouse `db` as `plant`, measured (not yet in the table)."""
    stage = measure(Stage(name, size),
                    cli_command("publish", "--lake", str(lake), "--plant", plant),
                    run.plan.work, env=warehouse_env(db))
    if stage.status == "ok":
        rows = published_rows(lake, plant)
        stage.rows = sum(rows.values())
        stage.note = f"deliveries {rows.get('deliveries', 0):,} · {len(rows)} tables"
    return stage


def run_publish_largest(run: Run, size: str, db: Path) -> None:
    """The largest warehouse of the run published as one plant into a lake of its own."""
    lake = fresh_folder(run.plan.work / f"lake-{size}")
    run.add(publish(run, "publish plant", size, db, lake, plant_codes(1)[0]))


def group_build(run: Run, size: str, lake: Path, group_db: Path) -> Stage:
    """`aftersales group build` over every plant in `lake`, measured and added."""
    stage = measure(Stage("group build", size),
                    cli_command("group", "build", "--lake", str(lake),
                                "--warehouse", str(group_db)),
                    run.plan.work)
    if stage.status == "ok":
        total, lines = group_facts(group_db)
        stage.rows = total
        mb = group_db.stat().st_size / 2**20
        stage.note = f"deliveries {lines:,} · {mb:,.0f} MB file"
    return run.add(stage)


def publish_total(size: str, parts: list[Stage]) -> Stage:
    """One row for the plants' publishes, one after the other: summed time, largest peak."""
    total = Stage(f"publish {len(parts)} plants", size)
    total.wall_s = sum(p.wall_s or 0 for p in parts)
    total.peak_rss_mb = max(p.peak_rss_mb or 0 for p in parts)
    total.rows = sum(p.rows or 0 for p in parts)
    walls = [p.wall_s or 0 for p in parts]
    total.note = (f"one after the other · each {min(walls):.2f}–{max(walls):.2f} s · "
                  f"first {walls[0]:.2f} s, last {walls[-1]:.2f} s")
    return total


def run_group(run: Run, plant_size: str, plant_db: Path) -> None:
    """Publish `plant_db` as each plant of the group, build the group warehouse after the first
    plant and after all (how the build grows with plants), query it and report one month."""
    plan = run.plan
    lake = fresh_folder(plan.work / "lake-group")
    group_db = plan.work / "group.duckdb"
    codes = plant_codes(plan.plants)
    size = group_label(len(codes), plant_size)
    parts: list[Stage] = []
    for code in codes:
        part = publish(run, f"publish plant {code}", size, plant_db, lake, code)
        if part.status != "ok":
            run.add(part)  # its error, in the table
            return
        parts.append(part)
        if len(parts) == 1 and len(codes) > 1:
            group_build(run, group_label(1, plant_size), lake, group_db)
    run.add(publish_total(size, parts))
    if group_build(run, size, lake, group_db).status != "ok":
        return
    run.floor(Stage(GROUP_QUERY_FLOOR, size, measure="work_s"), "query",
              db=str(group_db), sql=SCAN_FLOOR_SQL, repeat=3)
    for view in GROUP_VIEWS:
        run.worker(Stage(f"query group {view}", size, floor=GROUP_QUERY_FLOOR,
                         measure="work_s"),
                   "query", db=str(group_db), sql=f"SELECT * FROM {view}", repeat=3)
    (month,), = warehouse_facts(plant_db,
                                "SELECT strftime(max(ship_date), '%Y-%m') FROM deliveries")
    group_report(run, size, lake, group_db, month)


def group_report(run: Run, size: str, lake: Path, group_db: Path, month: str) -> Stage:
    """`aftersales group report --month M`: a group build again, then the group pack."""
    out = run.plan.work / f"group-pack-{month}"
    # no floor: the stage is a build and a pack, and a notebook floor would flatter neither
    return run.pack(Stage("group report (build + pack)", size),
                    ["group", "report", "--lake", str(lake), "--month", month,
                     "--warehouse", str(group_db), "--out", str(out)], out, month)
