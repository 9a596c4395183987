"""A fixed calendar for generated data: months as numpy day arrays, random days inside them.

The demo never looks at today's date, so every run writes the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Calendar:
    """Consecutive months, first to last inclusive, and the day the exports were taken."""

    starts: np.ndarray  # datetime64[D], first day of each month
    ends: np.ndarray  # datetime64[D], first day of the following month
    as_of: np.datetime64

    @property
    def months(self) -> int:
        return len(self.starts)

    def labels(self) -> list[str]:
        """Month labels like '2026-10', in order."""
        return [str(m)[:7] for m in self.starts]


def make_calendar(first_month: str, last_month: str, as_of: str | None = None) -> Calendar:
    """The months from `first_month` to `last_month` ('YYYY-MM'); as_of defaults to the last day."""
    months = np.arange(
        np.datetime64(first_month, "M"), np.datetime64(last_month, "M") + 1, dtype="datetime64[M]"
    )
    starts = months.astype("datetime64[D]")
    ends = (months + 1).astype("datetime64[D]")
    day = np.datetime64(as_of, "D") if as_of else ends[-1] - 1
    return Calendar(starts=starts, ends=ends, as_of=day)


def random_days(rng: np.random.Generator, cal: Calendar, month: np.ndarray) -> np.ndarray:
    """One random working day (Monday-Saturday) inside each given month index."""
    length = (cal.ends[month] - cal.starts[month]).astype(np.int64)
    day = cal.starts[month] + (rng.random(len(month)) * length).astype(np.int64)
    # 1970-01-01 was a Thursday, so (days + 3) % 7 == 6 is a Sunday: move it to Monday,
    # or to Saturday when Monday falls into the next month.
    sunday = (day.astype(np.int64) + 3) % 7 == 6
    shifted = np.where(day + 1 < cal.ends[month], day + 1, day - 1)
    return np.where(sunday, shifted, day)


def month_of(cal: Calendar, days: np.ndarray) -> np.ndarray:
    """The month index of each day (-1 before the first month, months after the last)."""
    return np.searchsorted(cal.starts, days, side="right") - 1
