"""Which dates a row may hold: from `min_date` to one year after the day of the ingest.

A stray number in a date column (Excel serial 1 or 60, an epoch-day count such as 20549 read
as an Excel serial, 1956-04-04) parses as a date; loaded, it would stretch every calendar of
the pack back to 1900 (SPEC §12). Such a date is held back as "implausible", never loaded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

DEFAULT_MIN_DATE = dt.date(2000, 1, 1)  # the default of the `min_date` setting


@dataclass(frozen=True)
class DateRange:
    """The dates a row may hold, both ends included."""

    first: dt.date
    last: dt.date

    def text(self) -> str:
        return f"{self.first.isoformat()} to {self.last.isoformat()}"


def one_year_after(day: dt.date) -> dt.date:
    """The same day a year later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def plausible_dates(
    min_date: dt.date = DEFAULT_MIN_DATE, today: dt.date | None = None
) -> DateRange:
    """`min_date` to one year after `today` (the day of the ingest by default)."""
    return DateRange(min_date, one_year_after(today or dt.date.today()))
