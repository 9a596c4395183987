"""Complaints: cause text -> taxonomy code, and the SPEC §2 defaults for empty cells."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pipelines.ingest import read_file
from pipelines.settings import read_causes

CAUSES = read_causes(Path(__file__).parents[1] / "data" / "reference" / "causes.csv")


def read_complaints(tmp_path: Path, header: str, rows: list[str]):
    path = tmp_path / "complaints.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return read_file(path, causes=CAUSES)


def test_cause_matching(tmp_path: Path) -> None:
    causes = {
        "warehouse_shipping": "warehouse_shipping",  # the code
        "仓库出货错误(错发、漏发)": "warehouse_shipping",  # Chinese name in full
        "仓库出货错误（错发、漏发）": "warehouse_shipping",  # full-width brackets
        "仓库出货错误": "warehouse_shipping",  # without the bracketed part
        "仓库出货错误（漏发）": "warehouse_shipping",  # another bracketed detail
        " Packaging Error ": "packaging",  # English name, any case, padded
        "错发": "warehouse_shipping",  # alias
        "ＣＲＡＣＫＩＮＧ": "cracking",  # full-width code
        "外观瑕疵": "appearance_defect",
        "被猫咬了": "unmapped",  # not in the taxonomy
        "": "pending",  # empty
    }
    rows = [f"C{i},2024-09-03,甲,1,{text}" for i, text in enumerate(causes)]
    batch = read_complaints(tmp_path, "编号,投诉日期,客户,数量,原因", rows)
    assert batch.frame["cause"].to_list() == list(causes.values())
    # cause_text keeps what was written (trimmed); empty stays null.
    assert batch.frame["cause_text"].to_list() == [t.strip() or None for t in causes]


def test_defaults_for_empty_cells(tmp_path: Path) -> None:
    header = "编号,投诉日期,客户,数量,阶段,环境投诉,状态,关闭日期,回复期限"
    rows = [
        # All optional cells empty: phase mass_production, environmental false,
        # status open (no closed date), response_due NULL: the staging view adds sla_days
        # as it stands when read, so a changed setting reaches this row (SPEC §12).
        "C1,2024-09-03,甲,1,,,,,",
        # Closed date given, status empty -> closed; explicit values are kept.
        "C2,2024-09-03,甲,1,样件,是,,2024-09-10,2024-09-20",
        # Invalid values are never defaulted: they stay null with their text.
        "C3,2024-09-03,甲,1,试产,也许,搁置,,下周",
        # Explicit status wins over the closed date.
        "C4,2024-09-30,甲,1,,否,驳回,2024-10-02,",
    ]
    frame = read_complaints(tmp_path, header, rows).frame
    assert frame["phase"].to_list() == ["mass_production", "sample", None, "mass_production"]
    assert frame["environmental"].to_list() == [False, True, None, False]
    assert frame["status"].to_list() == ["open", "closed", None, "rejected"]
    assert frame["response_due"].to_list() == [None, dt.date(2024, 9, 20), None, None]
    assert frame["phase__invalid"][2] == "试产"
    assert frame["environmental__invalid"][2] == "也许"
    assert frame["response_due__invalid"][2] == "下周"


def test_response_due_stays_null_without_a_received_date(tmp_path: Path) -> None:
    frame = read_complaints(tmp_path, "编号,投诉日期,客户,数量", ["C1,昨天,甲,1"]).frame
    assert frame["received_date"][0] is None and frame["response_due"][0] is None


def test_frame_columns(tmp_path: Path) -> None:
    frame = read_complaints(tmp_path, "编号,投诉日期,客户,数量", ["C1,2024-09-03,甲,1"]).frame
    # Source columns in order, then cause_text, source_row, then one __invalid per typed column.
    assert frame.columns[:16] == [
        "complaint_id", "received_date", "customer", "region", "part_no", "product", "phase",
        "defect_qty", "cause", "description", "environmental", "response_due",
        "responded_date", "closed_date", "status", "claim_amount",
    ]  # fmt: skip
    assert frame.columns[16:18] == ["cause_text", "source_row"]
    assert "received_date__invalid" in frame.columns
    assert "customer__invalid" not in frame.columns
