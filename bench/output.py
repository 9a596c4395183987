"""What a run leaves behind: the progress lines, the table, and the JSON with machine facts.

Kept apart from the measuring so the printed table and reports/bench/*.json (read by people
comparing runs) change only here.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import subprocess
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from bench import REPO
from bench.plan import Plan
from bench.results import Stage

if TYPE_CHECKING:
    from rich.table import Table

PACKAGES = ("duckdb", "polars", "pandas", "pyarrow", "great_expectations", "papermill",
            "nbconvert")


def fmt(value: float | None, spec: str) -> str:
    return "—" if value is None else format(value, spec)


def progress_line(stage: Stage) -> str:
    """One line (rich markup) for a stage as soon as it is done."""
    colour = {"error": "red", "skipped": "yellow"}.get(stage.status, "green")
    return (
        f"[{colour}]{stage.status:>7}[/] {stage.name} [{stage.size}] "
        f"{fmt(stage.wall_s, '.2f')} s, {fmt(stage.peak_rss_mb, ',.0f')} MB"
        + (f" — {stage.note}" if stage.note else "")
    )


def render_table(stages: list[Stage]) -> Table:
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
    for pkg in PACKAGES:
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
    """reports/bench/<started>.json and the same text as latest.json; returns the first."""
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
