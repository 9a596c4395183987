"""The rows of the benchmark table: what was measured, against which floor and targets.

Kept apart because every other module of the harness reads or fills them, and the JSON
written to reports/bench is these dataclasses as they are.
"""

from __future__ import annotations

from dataclasses import dataclass, field


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
