"""The product's SQL: one tree of `.sql` files, one loader.

- `staging/`  views that decide a rule once (a complaint that counts, a line on time)
- `kpis/`     one file per KPI of the registry (`pipelines/kpis.toml`): its numerator and
              denominator per month and customer
- `views/`    the public relations of the warehouse (SPEC §4, §5)
- `queries/`  parameterised queries of the pack, the metrics and `status` ($month, ...)

Every file holds one bare `select`; file names are unique across the tree, so a relation or
a query is named by its file's stem alone.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

SQL_DIR = Path(__file__).resolve().parent


@cache
def _index() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for path in sorted(SQL_DIR.rglob("*.sql")):
        if path.stem in found:
            raise RuntimeError(f"two SQL files are named {path.stem}: {found[path.stem]}, {path}")
        found[path.stem] = path
    return found


def sql(name: str) -> str:
    """The text of the SQL file `name` (its stem), without a trailing semicolon."""
    try:
        path = _index()[name]
    except KeyError:
        raise KeyError(f"no SQL file named {name}.sql under {SQL_DIR}") from None
    return path.read_text(encoding="utf-8").strip().rstrip(";")


def names(folder: str) -> list[str]:
    """Stems of the SQL files in one folder of the tree (e.g. 'kpis'), sorted."""
    return sorted(path.stem for path in (SQL_DIR / folder).glob("*.sql"))
