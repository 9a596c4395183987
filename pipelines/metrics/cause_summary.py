"""The seed's monthly complaint-cause summary table (售后问题汇总分析表)."""

from __future__ import annotations

from datetime import date

import duckdb
import polars as pl

from pipelines.sql import sql
from pipelines.warehouse.frames import frame


def cause_summary_table(con: duckdb.DuckDBPyConnection, month: date) -> pl.DataFrame:
    """Every taxonomy cause in order with this month's and last month's counts and case notes.

    Columns: item_no, category, cause_code, cause_name_zh, cause_name_en, this_month,
    last_month, notes; the last row is the total (cause_code '__total__').
    """
    return frame(con.sql(sql("cause_summary"), params={"month": month}))
