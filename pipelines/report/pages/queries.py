"""Read-only queries behind the review pack's pages; the SQL lives in pipelines/sql/queries/."""

from __future__ import annotations

from datetime import date, datetime

import duckdb
import polars as pl

from pipelines.errors import ReportFailed
from pipelines.months import add_months, half_start
from pipelines.sql import sql
from pipelines.warehouse.as_of import stored_table
from pipelines.warehouse.frames import frame

# The KPI views the review page reads again and again, in the order they build on each other:
# the customer months, the customer view and the scorecard summing them, the control limits
# reading the scorecard. Not kpi_facts, their input: it holds a row per delivery line, and
# the queries reading it (the action list's drivers, the cost of poor quality) read a month.
KPI_VIEWS = (
    "kpi_customer_months",
    "kpi_by_customer_monthly",
    "kpi_scorecard",
    "kpi_control_limits",
)


def query(con: duckdb.DuckDBPyConnection, name: str, **params: object) -> pl.DataFrame:
    """Run the query `name` with named parameters ($month, $kpi, ...) into a frame."""
    return frame(con.sql(sql(name), params=params or None))


def freeze_kpi_views(con: duckdb.DuckDBPyConnection) -> None:
    """Compute the KPI views once for this connection, into temporary tables of the same names.

    Each view aggregates every delivery line again whenever it is read, and a review page reads
    them a dozen times (scorecard, trends, customers, action list). The connection is read-only,
    so the warehouse cannot change under it and a snapshot holds exactly the view's rows.
    DuckDB resolves a name in the temporary schema first, also inside the other views, so every
    query of the page (the metrics' too) reads the snapshot without being rewritten.
    """
    frozen = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE temporary AND table_name = ?",
        [KPI_VIEWS[-1]],
    ).fetchall()[0][0]
    if frozen:
        return
    for view in KPI_VIEWS:
        con.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {view} AS SELECT * FROM {stored_table(con, view)}"
        )


def kpi_query(con: duckdb.DuckDBPyConnection, name: str, **params: object) -> pl.DataFrame:
    """`query` over the KPI views, computed once per connection (see `freeze_kpi_views`)."""
    freeze_kpi_views(con)
    return query(con, name, **params)




def calendar_bounds(
    con: duckdb.DuckDBPyConnection, today: date | None = None
) -> tuple[date, date, date | None]:
    """(first, last, last complete) month of the KPI calendar; a month is complete when its
    last day is before `today`. The calendar spans the dates the KPIs file data under."""
    first, last, complete = query(con, "calendar_bounds", today=today or date.today()).row(0)
    if first is None:
        raise ReportFailed(
            "The warehouse holds no data yet; ingest some files before building a report."
        )
    return first, last, complete


def default_month(con: duckdb.DuckDBPyConnection, today: date | None = None) -> date:
    """The last complete month of the KPI calendar, else (none has ended) its last month."""
    _first, last, complete = calendar_bounds(con, today)
    return complete or last


def check_month(
    con: duckdb.DuckDBPyConnection, month: date, asked_by: str = "--month"
) -> date:
    """`month`, when the data covers it; else a one-sentence error naming the months it covers
    and how to give another the way it was given: `--month` on the command line, or a
    notebook's parameter (`asked_by="parameter"`)."""
    first, last, _complete = calendar_bounds(con)
    if not first <= month <= last:
        give = (
            f'set the notebook\'s parameter month = "{last:%Y-%m}" (or another month in that '
            "range)"
            if asked_by == "parameter"
            else "give --month within that range"
        )
        raise ReportFailed(
            f"The data in the warehouse covers {first:%Y-%m} to {last:%Y-%m}, not {month:%Y-%m}; "
            f"{give}, or ingest that month's files first."
        )
    return month


def data_as_of(con: duckdb.DuckDBPyConnection) -> datetime | None:
    return query(con, "data_as_of").item()


def held_back(con: duckdb.DuckDBPyConnection, month: date) -> tuple[int, int]:
    """(quarantined rows, warnings) behind the month: see report/sql/held_back.sql."""
    rows, warnings = query(con, "held_back", month=month).row(0)
    return int(rows), int(warnings)


def scorecard(con: duckdb.DuckDBPyConnection, month: date) -> pl.DataFrame:
    return kpi_query(con, "scorecard", month=month)


def kpi_trend(con: duckdb.DuckDBPyConnection, kpi: str, month: date, months: int = 13):
    """One monthly KPI over the `months` months ending with `month`, with control limits."""
    start = add_months(month, 1 - months)
    return kpi_query(con, "kpi_trend", kpi=kpi, month=month, start=start)


def period_trend(con: duckdb.DuckDBPyConnection, kpi: str, month: date, months: int = 24):
    """A quarterly or half-yearly KPI over the periods starting in the last `months` months."""
    start = add_months(month, 1 - months)
    return kpi_query(con, "period_trend", kpi=kpi, month=month, start=start)


def customer_kpi(con: duckdb.DuckDBPyConnection, kpi: str, month: date) -> pl.DataFrame:
    return kpi_query(con, "customer_kpi", kpi=kpi, month=month)


def top_parts(con: duckdb.DuckDBPyConnection, month: date) -> pl.DataFrame:
    return query(con, "top_parts", month=month)


def freight_by_reason(con: duckdb.DuckDBPyConnection, month: date) -> pl.DataFrame:
    return query(con, "freight_by_reason", month=month)


def causes_window(con: duckdb.DuckDBPyConnection, month: date, months: int) -> pl.DataFrame:
    """Complaints per cause over the `months` months ending with `month`."""
    return query(con, "causes_window", month=month, start=add_months(month, 1 - months))


def open_complaints(con: duckdb.DuckDBPyConnection, month: date) -> pl.DataFrame:
    return query(con, "open_complaints", month=month)



def survey_half(con: duckdb.DuckDBPyConnection, month: date) -> date | None:
    """First month of the newest half-year with survey responses up to `month`'s end: the
    month's own half when it has responses, else the latest earlier one (None: no survey)."""
    latest = query(con, "survey_latest", month=month).item()
    return half_start(latest) if latest is not None else None


def survey_scores(con: duckdb.DuckDBPyConnection, month: date, half: date) -> pl.DataFrame:
    return query(con, "survey_scores", month=month, half_start=half)


def survey_dimensions(con: duckdb.DuckDBPyConnection, month: date, half: date) -> pl.DataFrame:
    return query(con, "survey_dimensions", month=month, half_start=half)


def survey_comments(con: duckdb.DuckDBPyConnection, month: date, half: date) -> pl.DataFrame:
    return query(con, "survey_comments", month=month, half_start=half)


def cause_names(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    return query(con, "cause_names")


def property_by_customer(con: duckdb.DuckDBPyConnection, month: date) -> pl.DataFrame:
    return query(con, "property_by_customer", month=month)


def env_complaints(con: duckdb.DuckDBPyConnection, month: date) -> pl.DataFrame:
    return query(con, "env_complaint_list", month=month)


def batches(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    return query(con, "batches")


def quarantine_rows(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    return query(con, "quarantine_rows")


def warning_summary(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    return query(con, "warning_summary")


def loop_query(con: duckdb.DuckDBPyConnection, name: str, month: date, **params: object):
    """A query of the closing-the-loop sections (8D, cost of poor quality, risks, customer
    scorecards) for `month`, over the KPI views computed once per connection."""
    return kpi_query(con, name, month=month, **params)


def copq_trend(con: duckdb.DuckDBPyConnection, month: date, months: int = 13) -> pl.DataFrame:
    return loop_query(con, "copq_trend", month, start=add_months(month, 1 - months))
