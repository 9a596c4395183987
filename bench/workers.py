"""The code a stage runs in its own process: `python -m bench.workers KIND JSON-PARAMS`.

Each worker does one stage's work and writes {"work_s", "rows", "note"} to $BENCH_RESULT,
so the parent can tell the work itself from the cost of starting a process. The parent
measures wall time and memory around it (`bench.measure`).
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bench.floors import worker_duckdb_load, worker_notebook
from bench.measure import write_result

MONTH_DELIVERIES = 170_000  # one month of the 10 M set (60 months)
MONTH_OTHERS = {"complaints": 2_000, "freight": 5_000, "surveys": 200}


def write_manifest(out_dir: str, params: list, paths: dict[str, Path]) -> None:
    """What the files were made from, so a later run can reuse them (`plan.cached_files`)."""
    manifest = {"params": params, "files": {k: str(v) for k, v in paths.items()}}
    (Path(out_dir) / "manifest.json").write_text(json.dumps(manifest, indent=1))


def worker_generate(out_dir: str, deliveries: int, complaints: int, freight: int,
                    surveys: int, seed: int, shape: str = "standard") -> None:
    from bench.data import write_scaled

    start = time.perf_counter()
    paths = write_scaled(Path(out_dir), deliveries=deliveries, complaints=complaints,
                         freight=freight, surveys=surveys, seed=seed, shape=shape)
    work = time.perf_counter() - start
    params: list = [deliveries, complaints, freight, surveys, seed]
    write_manifest(out_dir, params + ([shape] if shape != "standard" else []), paths)
    size_mb = sum(Path(p).stat().st_size for p in paths.values()) / 2**20
    write_result(work, deliveries, f"{size_mb:,.0f} MB of files")


def worker_generate_month(out_dir: str, month: str, deliveries: int, seed: int) -> None:
    from bench.data import write_scaled_month

    # The other sources of a month keep their share of a full month of 170 k delivery lines.
    share = min(1.0, deliveries / MONTH_DELIVERIES)
    others = {k: max(10, round(v * share)) for k, v in MONTH_OTHERS.items()}
    start = time.perf_counter()
    paths = write_scaled_month(Path(out_dir), month=month, deliveries=deliveries, seed=seed,
                               **others)
    work = time.perf_counter() - start
    write_manifest(out_dir, [month, deliveries, seed], paths)
    write_result(work, deliveries)


def worker_generate_small(out_dir: str, count: int, seed: int) -> None:
    from bench.data import write_small_files

    start = time.perf_counter()
    inbox = Path(out_dir) / "deliveries"
    write_small_files(inbox, count=count, seed=seed)
    work = time.perf_counter() - start
    write_manifest(out_dir, [count, seed], {"deliveries": inbox})
    write_result(work, count, f"{count} one-row files")


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


WORKERS: dict[str, Callable[..., None]] = {
    "generate": worker_generate,
    "generate_month": worker_generate_month,
    "generate_small": worker_generate_small,
    "duckdb_load": worker_duckdb_load,
    "notebook": worker_notebook,
    "query": worker_query,
}


def main(argv: list[str]) -> int:
    """Run the worker named by argv[0] with the keyword arguments JSON-encoded in argv[1]."""
    WORKERS[argv[0]](**json.loads(argv[1]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
