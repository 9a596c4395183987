"""Small SQL helpers the views and the pack share: `month_of` (pipelines/sql/macros) and
`frame` (pipelines/warehouse/frames.py)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import duckdb
import polars as pl

from pipelines.sql import sql
from pipelines.warehouse.frames import frame


def test_month_of_is_the_first_day_of_the_dates_month() -> None:
    con = duckdb.connect()
    con.execute(f"create macro {sql('macros/month_of')}")
    # leap days, month and year ends, a century that is no leap year, and no date at all
    days = [date(2024, 2, 29), date(2023, 12, 31), date(2024, 1, 1), date(1900, 2, 28),
            date(2000, 2, 29), date(2026, 10, 15), None]
    got = con.execute("select month_of(d) from unnest(?::date[]) t(d)", [days]).fetchall()
    assert [row[0] for row in got] == [
        date(2024, 2, 1), date(2023, 12, 1), date(2024, 1, 1), date(1900, 2, 1),
        date(2000, 2, 1), date(2026, 10, 1), None,
    ]
    assert con.execute("select typeof(month_of(date '2024-05-17'))").fetchone() == ("DATE",)


def test_a_frame_keeps_the_types_the_pack_reads_and_an_empty_result_its_columns() -> None:
    con = duckdb.connect()
    query = """
        select date '2024-09-01' as month, 'A' as customer, 12::hugeint as defects,
               1.25::decimal(18, 2) as amount, [{'action_id': 'A-1'}] as open_actions,
               null as nothing
    """
    got = frame(con.sql(query))
    assert got.schema == pl.Schema({
        "month": pl.Date, "customer": pl.String, "defects": pl.Decimal(38, 0),
        "amount": pl.Decimal(18, 2),
        "open_actions": pl.List(pl.Struct({"action_id": pl.String})), "nothing": pl.Null,
    })
    assert got.row(0) == (date(2024, 9, 1), "A", Decimal(12), Decimal("1.25"),
                          [{"action_id": "A-1"}], None)
    empty = frame(con.sql(query + " where false"))
    assert empty.height == 0 and empty.schema == got.schema
