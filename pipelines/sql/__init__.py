"""The product's SQL: one tree of `.sql` files, one loader.

- `macros/`   DuckDB macros the views share (a KPI's value, whether it meets its target)
- `staging/`  views that decide a rule once (a complaint that counts, a line on time)
- `kpis/`     one file per KPI of the registry (`pipelines/kpis.toml`): its numerator and
              denominator per month and customer
- `views/`    the public relations of the warehouse (SPEC §4, §5)
- `queries/`  parameterised queries of the pack, the metrics and `status` ($month, ...)

Every file holds one bare `select` (a macro file: `name(params) as expression`); the runner
(`pipelines.warehouse.views`) decides what each becomes. A file is named by its stem alone
(`sql("kpi_scorecard")`) or, where two folders share a stem, with its folder
(`sql("kpis/env_complaints")`).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

SQL_DIR = Path(__file__).resolve().parent


@cache
def _by_stem() -> dict[str, list[Path]]:
    found: dict[str, list[Path]] = {}
    for path in sorted(SQL_DIR.rglob("*.sql")):
        found.setdefault(path.stem, []).append(path)
    return found


def _path(name: str) -> Path:
    if "/" in name:
        path = SQL_DIR / f"{name}.sql"
        if path.is_file():
            return path
        raise KeyError(f"no SQL file {name}.sql under {SQL_DIR}")
    paths = _by_stem().get(name, [])
    if len(paths) != 1:
        where = ", ".join(str(p.relative_to(SQL_DIR)) for p in paths) or "none"
        raise KeyError(f"{len(paths)} SQL files are named {name}.sql under {SQL_DIR} ({where})")
    return paths[0]


def sql(name: str) -> str:
    """The text of the SQL file `name`, without a trailing semicolon."""
    return _path(name).read_text(encoding="utf-8").strip().rstrip(";")


def names(folder: str) -> list[str]:
    """Stems of the SQL files in one folder of the tree (e.g. 'kpis'), sorted."""
    return sorted(path.stem for path in (SQL_DIR / folder).glob("*.sql"))
