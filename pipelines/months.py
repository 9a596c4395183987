"""Calendar months as the product counts them: a month is the `date` of its first day.

A month travels as that `date` from the command line to the page; text becomes a month once,
here, at the edge.
"""

from __future__ import annotations

from datetime import date, datetime

from pipelines.errors import MonthInvalid


def parse_month(text: str) -> date:
    """'2024-09' -> date(2024, 9, 1), with a one-sentence error for anything else."""
    try:
        parsed = datetime.strptime(text.strip(), "%Y-%m")
    except ValueError:
        raise MonthInvalid(
            f"The month {text!r} is not of the form YYYY-MM; give it like 2024-09."
        ) from None
    return parsed.date().replace(day=1)


def add_months(month: date, months: int) -> date:
    """The first day of the month `months` after (or before) the month of `month`."""
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_end(month: date) -> date:
    """The last day of the month containing `month`."""
    return date.fromordinal(add_months(month, 1).toordinal() - 1)


def half_start(month: date) -> date:
    """The first day of the half-year (Jan-Jun, Jul-Dec) containing `month`."""
    return date(month.year, 1 if month.month <= 6 else 7, 1)
