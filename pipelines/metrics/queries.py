"""Read the parameterised queries of `pipelines/sql/queries/` (SQL lives in .sql files)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

QUERIES_DIR = Path(__file__).resolve().parent.parent / "sql" / "queries"


def query_sql(name: str) -> str:
    """The text of `pipelines/sql/queries/<name>.sql`."""
    return (QUERIES_DIR / f"{name}.sql").read_text(encoding="utf-8")


def month_bounds(month: date) -> tuple[date, date]:
    """First and last day of the calendar month containing `month`."""
    start = month.replace(day=1)
    following = date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return start, date.fromordinal(following.toordinal() - 1)
