"""Quality costs: a GBK export with Chinese headers, categories by their Chinese labels,
amounts as users type them, and the rules of the suite. CSV lines: 1 is the header."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from loop_support import counts, ingest_one, project, query, write_lines

from pipelines.ingest import read_file
from pipelines.settings import read_causes

CAUSES = read_causes(Path(__file__).parents[1] / "data" / "reference" / "causes.csv")
LINES = [
    "费用编号,日期,类别,金额,客户,客诉编号,备注",
    'Q-1,2025/3/3,报废,"1,234.50",华为,C-1,外观不良报废',  # 2 scrap, thousands separator
    "Q-2,2025年3月4日,返修,１２０,比亚迪,,",  # 3 rework, full-width digits
    "Q-3,2025.3.5,分选,80,,,",  # 4 sorting
    "Q-4,2025-03-06,三包,300,,,",  # 5 warranty
    "Q-5,2025-03-07,差旅,50,,,",  # 6 field_service
    "Q-6,2025-03-08,其他,10,,,",  # 7 other
    "Q-7,2025-03-09,罚款,10,,,",  # 8 not a category -> quarantined
    "Q-8,2025-03-10,,10,,,",  # 9 category missing -> quarantined
    "Q-9,2025-03-11,报废,-5,,,",  # 10 negative amount -> quarantined
    ",,,,,,",  # 11 empty -> skipped
    '合计,,,"1,809.50",,,',  # 12 total -> skipped
]


def write_gbk(tmp_path: Path) -> Path:
    return write_lines(tmp_path / "质量成本.csv", LINES, encoding="gbk")


def test_a_gbk_export_is_read_with_its_categories_and_amounts(tmp_path: Path) -> None:
    batch = read_file(write_gbk(tmp_path), causes=CAUSES)
    assert batch.source.name == "quality_costs" and batch.encoding == "gbk"
    frame = batch.frame
    assert frame["category"].to_list()[:6] == [
        "scrap", "rework", "sorting", "warranty", "field_service", "other",
    ]  # fmt: skip
    assert frame["amount"].to_list()[:2] == [Decimal("1234.50"), Decimal("120.00")]
    assert frame["cost_date"].to_list()[:3] == [
        dt.date(2025, 3, 3), dt.date(2025, 3, 4), dt.date(2025, 3, 5),
    ]  # fmt: skip
    assert frame["note"][0] == "外观不良报废"
    assert frame["category__invalid"][6] == "罚款"


def test_rows_read_are_loaded_quarantined_or_skipped(tmp_path: Path) -> None:
    settings = project(tmp_path)
    outcome = ingest_one(settings, write_gbk(tmp_path))
    # 11 read = 6 loaded (Q-1..Q-6) + 3 quarantined (Q-7, Q-8, Q-9) + 2 skipped (11, 12).
    assert counts(outcome) == (11, 6, 3, 2, 0)
    # 1234.50 + 120 + 80 + 300 + 50 + 10 = 1794.50
    assert query(settings, "select sum(amount) from quality_costs") == [(Decimal("1794.50"),)]
    assert query(
        settings,
        "select row_number, reasons from quarantine where source = 'quality_costs' order by 1",
    ) == [
        (8, 'category: unknown value "罚款"'),
        (9, "category: required value missing"),
        (10, 'amount: out of range "-5.00", must be at least 0'),
    ]
