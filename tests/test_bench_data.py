"""The benchmark's second data shape and its folder of one-row files."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from bench.data import write_scaled, write_small_files


def test_wide_shape_spreads_lines_as_the_issue_describes(tmp_path: Path) -> None:
    files = write_scaled(tmp_path, deliveries=9_700, complaints=10, freight=10, surveys=10,
                         shape="wide")
    lines = pl.read_csv(files["deliveries"], try_parse_dates=True).with_row_index("i")
    assert lines.height == 9_700
    # Every 97th line is undelivered: lines 96, 193, ... (0-based), 9,700 / 97 = 100 of them.
    every_97th = lines.filter(pl.col("i") % 97 == 96)
    assert every_97th.height == 100
    assert every_97th["delivered_date"].null_count() == 100
    # 300 customers (C0001..C0300) and 5,000 parts (P00001..P05000) at most.
    assert lines["customer"].max() <= "C0300"
    assert lines["part_no"].max() <= "P05000"
    # Ten years of ship dates: 2016-01 to 2025-12.
    assert str(lines["ship_date"].min()) >= "2016-01-01"
    assert str(lines["ship_date"].min()) < "2016-02-01"
    assert "2025-12-01" <= str(lines["ship_date"].max()) <= "2025-12-31"


def test_small_files_hold_one_line_each_with_distinct_ids(tmp_path: Path) -> None:
    paths = write_small_files(tmp_path / "deliveries", count=5)
    frames = [pl.read_csv(p) for p in paths]
    assert [f.height for f in frames] == [1] * 5
    assert len({f["delivery_id"][0] for f in frames}) == 5
