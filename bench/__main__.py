"""`python -m bench`: the command line of the benchmark (see the package docstring)."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

from bench import REPO
from bench.floors import judge_all
from bench.output import progress_line, render_table, write_json
from bench.plan import build_plan, parse_size, run_plan


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Benchmark ingest, KPI queries and the report on scaled data.",
        epilog="example: python -m bench --sizes 10m",
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
    parser.add_argument("--shapes", default="standard,wide",
                        help="delivery data shapes (bench.data.SHAPES); the other shapes run "
                        "at the largest size only (default standard,wide)")
    parser.add_argument("--small-files", type=int, default=None,
                        help="one-row files ingested from one folder (default 500; 50 quick; "
                        "0 skips)")
    parser.add_argument("--plants", type=int, default=None,
                        help="plants of the group published to a lake, built into the group "
                        "warehouse and reported (default 10; 3 quick; 0 skips the lake stages)")
    parser.add_argument("--plant-size", type=parse_size, default=None,
                        help="delivery lines of each of those plants (default 1m, or the "
                        "smallest size of the run if smaller)")
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


def main(argv: list[str]) -> int:
    from rich.console import Console

    console = Console()
    if not console.is_terminal:
        console = Console(width=180)  # a log file gets the whole table, not a squeezed one
    args = parse_args(argv)
    plan = build_plan(args)
    plan.work.mkdir(parents=True, exist_ok=True)
    started = dt.datetime.now()
    load_before = [round(x, 2) for x in os.getloadavg()]

    stages = run_plan(plan, lambda stage: console.print(progress_line(stage)))
    judge_all(stages)
    console.print(render_table(stages))
    path = write_json(stages, plan, started, load_before)
    console.print(f"results: {path} (and {plan.out / 'latest.json'})")
    failed = any(s.status == "error" for s in stages)
    missed = any(s.ok is False for s in stages)
    return 1 if failed or (args.check and missed) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
