"""Customer scorecards: months in every form, values with or without %, KPI names as portals
write them, and duplicates of the composite key (customer, month, kpi) inside one file."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from loop_support import counts, ingest_one, project, query, write_lines

from pipelines.ingest import read_file
from pipelines.settings import read_causes

CAUSES = read_causes(Path(__file__).parents[1] / "data" / "reference" / "causes.csv")


def read_lines(tmp_path: Path, lines: list[str]):
    return read_file(write_lines(tmp_path / "scorecards.csv", lines), causes=CAUSES)


def test_months_values_and_kpi_names(tmp_path: Path) -> None:
    batch = read_lines(
        tmp_path,
        [
            "客户名称,期间,指标,客户数值,供应商等级",
            "华为,2025年3月,OTD,97.5%,green",  # 2025-03-01; 97.5 % = 97.5
            "吉利,2025-03,准时交付率,97.5,CS1",  # the same value without the sign
            "比亚迪,2025/3,交付准时率,９７.５％,",  # full-width digits and sign
            "奇瑞,2025-03-17,PPM,120,",  # any date of §2: the first day of its month
            "长城,45731,客诉PPM,\"1,250\",",  # Excel serial 45731 = 2025-03-15
            "蔚来,2025.3,百万分之不良,80,red",
        ],
    )
    frame = batch.frame
    assert set(frame["month"].to_list()) == {dt.date(2025, 3, 1)}
    assert frame["kpi"].to_list() == ["otd", "otd", "otd", "ppm", "ppm", "ppm"]
    assert frame["value"].to_list() == [
        Decimal("97.5"), Decimal("97.5"), Decimal("97.5"), Decimal("120"), Decimal("1250"),
        Decimal("80"),
    ]  # fmt: skip
    assert frame["status"].to_list() == ["green", "CS1", None, None, None, "red"]


def test_a_repeated_composite_key_holds_back_every_row_sharing_it(tmp_path: Path) -> None:
    settings = project(tmp_path)
    path = write_lines(
        tmp_path / "scorecards.csv",
        [
            "客户,月份,指标,数值",
            "华为,2025-03,OTD,97.5%",  # 2 华为 | 2025-03-01 | otd
            "华为,2025年3月,otd,98",  # 3 the same key written otherwise -> both quarantined
            "华为,2025-03,PPM,120",  # 4 another KPI: its own key, loads
            "华为,2025-03,PPM,120",  # 5 identical to line 4 -> skipped as a repeat
            "吉利,三月,OTD,99",  # 6 no month -> quarantined, without a key of its own
            "吉利,2025-03,交付率,99",  # 7 not a KPI -> quarantined
            "合计,,,317.5",  # 8 total row: no key of its own -> skipped
        ],
    )
    # 7 read = 1 loaded (line 4) + 4 quarantined (2, 3, 6, 7) + 2 skipped (5, 8).
    assert counts(ingest_one(settings, path)) == (7, 1, 4, 2, 0)
    assert query(settings, "select customer, month, kpi, value from customer_scorecards") == [
        ("华为", dt.date(2025, 3, 1), "ppm", Decimal("120.00"))
    ]
    assert query(
        settings,
        "select row_number, natural_key, reasons from quarantine order by row_number",
    ) == [
        (2, "华为 | 2025-03-01 | otd",
         'customer | month | kpi: duplicate key "华为 | 2025-03-01 | otd" in this file'),
        (3, "华为 | 2025-03-01 | otd",
         'customer | month | kpi: duplicate key "华为 | 2025-03-01 | otd" in this file'),
        (6, None, 'month: unparseable date "三月"'),
        (7, None, 'kpi: unknown value "交付率"'),
    ]  # fmt: skip
