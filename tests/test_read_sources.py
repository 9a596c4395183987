"""Which source a file is, and the one-sentence rejections of files nothing can load from."""

from __future__ import annotations

import zipfile
from pathlib import Path

import polars as pl
import pytest

from pipelines.errors import FileRejected, SourceUnknown
from pipelines.ingest import read_file
from pipelines.settings import read_causes

CAUSES = read_causes(Path(__file__).parents[1] / "data" / "reference" / "causes.csv")


def read(path: Path, **kwargs):
    return read_file(path, causes=CAUSES, **kwargs)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_source_inferred_despite_shared_aliases(tmp_path: Path) -> None:
    # 编号/日期/客户 fit complaints, surveys, property checks and freight partly; only
    # property_checks has all its required columns (检查数量, 完好数量).
    path = write(tmp_path / "a.csv", "编号,日期,客户,检查数量,完好数量\nK1,2024-09-30,甲,5,5\n")
    assert read(path).source.name == "property_checks"


def test_most_matched_columns_wins(tmp_path: Path) -> None:
    # Two sources have all their required columns here: surveys matches 5 columns
    # (编号, 调查日期, 客户, 评分, 意见), property_checks 6 (编号, 日期, 客户, 检查数量,
    # 完好数量, 物品): the one with more matched columns wins.
    header = "编号,日期,调查日期,客户,评分,意见,检查数量,完好数量,物品"
    path = write(tmp_path / "b.csv", header + "\nX1,2024-09-30,2024-09-30,甲,9,好,5,5,箱\n")
    assert read(path).source.name == "property_checks"


def test_tie_is_unknown(tmp_path: Path) -> None:
    # surveys: 编号, 调查日期, 客户, 评分 (4); property_checks: 编号, 日期, 客户, 检查数量,
    # 完好数量 (5) - add 意见 to surveys to tie 5 = 5.
    header = "编号,调查日期,日期,客户,评分,意见,检查数量,完好数量"
    path = write(tmp_path / "tie.csv", header + "\nX,2024-09-30,2024-09-30,甲,9,好,5,5\n")
    with pytest.raises(SourceUnknown, match=r"tie\.csv.*pass --source"):
        read(path)


def test_no_source_fits(tmp_path: Path) -> None:
    path = write(tmp_path / "x.csv", "编号,投诉日期,客户\nC1,2024-09-01,甲\n")
    with pytest.raises(SourceUnknown) as info:
        read(path)
    message = str(info.value)
    assert "x.csv" in message and "--source" in message
    assert (
        "closest: complaints, lacking defect_qty (accepted: defect_qty, 不良数量, 数量, 件数)"
        in message
    )


def test_inbox_folder_names_the_source(tmp_path: Path) -> None:
    # The header alone fits no source (no 数量), but the folder says complaints.
    path = write(
        tmp_path / "inbox" / "complaints" / "c.csv", "编号,投诉日期,客户\nC1,2024-09-01,甲\n"
    )
    with pytest.raises(
        FileRejected, match=r"complaints file c\.csv lacks required column\(s\) defect_qty"
    ):
        read(path)


def test_source_argument_wins_over_folder(tmp_path: Path) -> None:
    text = "编号,日期,客户,检查数量,完好数量\nK1,2024-09-30,甲,5,4\n"
    path = write(tmp_path / "inbox" / "complaints" / "k.csv", text)
    assert read(path, source="property_checks").frame["qty_intact"].to_list() == [4]


def test_missing_column_message(tmp_path: Path) -> None:
    path = write(tmp_path / "bad.csv", "编号,客户,数量\nC1,甲,1\n")
    with pytest.raises(FileRejected) as info:
        read(path, source="complaints")
    assert str(info.value) == (
        "complaints file bad.csv lacks required column(s) received_date "
        "(accepted: received_date, 接收日期, 投诉日期, 反馈日期); add it or pass --source."
    )


def test_several_missing_columns_are_all_named(tmp_path: Path) -> None:
    path = write(tmp_path / "bad.csv", "编号,数量\nC1,1\n")
    with pytest.raises(
        FileRejected,
        match=r"received_date \(accepted: .*\) and customer \(accepted: customer, 客户, "
        r"客户名称, 客户代码\); add them",
    ):
        read(path, source="complaints")


def test_header_below_row_15_is_not_found(tmp_path: Path) -> None:
    text = "标题\n" * 15 + "编号,投诉日期,客户,数量\nC1,2024-09-01,甲,1\n"
    path = write(tmp_path / "deep.csv", text)
    with pytest.raises(FileRejected, match="lacks required column"):
        read(path, source="complaints")
    shallow = write(tmp_path / "ok.csv", text.replace("标题\n", "", 1))
    assert read(shallow, source="complaints").header_row == 15


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(FileRejected, match=r"^File empty\.csv is empty \(0 bytes\)"):
        read(path)


def test_binary_garbage(tmp_path: Path) -> None:
    path = tmp_path / "garbage.csv"
    path.write_bytes(bytes(range(256)) * 64)
    with pytest.raises(FileRejected, match=r"garbage\.csv is not readable text"):
        read(path)


@pytest.mark.parametrize("content", [b"this is not a workbook", b"PK\x03\x04broken zip"])
def test_corrupt_workbook(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(content)
    with pytest.raises(FileRejected, match=r"broken\.xlsx cannot be opened"):
        read(path)


def test_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "archive.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(FileRejected, match=r"archive\.xlsx cannot be opened"):
        read(path)


def test_corrupt_parquet(tmp_path: Path) -> None:
    path = tmp_path / "broken.parquet"
    path.write_bytes(b"PAR1" + b"\x00" * 50)
    with pytest.raises(FileRejected, match=r"broken\.parquet cannot be read"):
        read(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FileRejected, match="does not exist"):
        read(tmp_path / "nope.csv")


def test_parquet_goes_through_the_same_rules(tmp_path: Path) -> None:
    import datetime as dt

    frame = pl.DataFrame(
        {
            "送货单号": ["D1", "D2", None, "合计", "D1"],
            "客户": ["华为", "比亚迪", None, None, "华为"],
            "数量": [10.0, 1234.0, None, 1244.0, 10.0],  # floats: 10.0 is 10
            "发货日期": [dt.date(2024, 9, 1)] * 2 + [None] * 2 + [dt.date(2024, 9, 1)],
            "要求交期": ["2024/9/3", "2024年9月4日", None, None, "2024/9/3"],
        }
    )
    path = tmp_path / "d.parquet"
    frame.write_parquet(path)
    batch = read(path)
    assert batch.source.name == "deliveries"
    # 5 rows: D1, D2 kept; an empty row; a total row; a repeat of D1.
    assert batch.rows_read == 5
    assert (batch.rows_skipped_empty, batch.rows_skipped_total, batch.rows_skipped_repeat) == (
        1,
        1,
        1,
    )
    assert batch.frame["qty"].to_list() == [10, 1234]
    assert batch.frame["promised_date"].to_list() == [dt.date(2024, 9, 3), dt.date(2024, 9, 4)]
    # Column names are row 1, as in a spreadsheet: data rows 2 and 3.
    assert batch.header_row == 1 and batch.frame["source_row"].to_list() == [2, 3]
