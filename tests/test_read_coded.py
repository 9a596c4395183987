"""A CSV's date and number columns read dictionary-coded: same values, same raw text."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

from pipelines.ingest import read_file
from pipelines.ingest.coded import distinct_texts, is_coded
from pipelines.ingest.tables import open_tables
from pipelines.settings import read_causes

CAUSES = read_causes(Path(__file__).parents[1] / "data" / "reference" / "causes.csv")
HEADER = "delivery_id,customer,part_no,qty,ship_date,promised_date,delivered_date\n"


def read(path: Path):
    return read_file(path, causes=CAUSES)


def test_the_date_and_number_cells_are_read_as_their_distinct_texts(tmp_path: Path) -> None:
    # 4 lines, 2 distinct quantities ("10", "007") and 2 distinct ship dates.
    path = tmp_path / "d.csv"
    path.write_text(
        HEADER
        + "D1,A,P1,10,2024-09-02,2024-09-05,\n"
        + "D2,A,P1,007,2024-09-02,2024-09-05,\n"
        + "D3,B,P2,10,2024-09-03,2024-09-06,\n"
        + "D4,B,P2,10,2024-09-03,2024-09-06,\n",
        encoding="utf-8",
    )
    table = next(open_tables(path))
    cells = table.load_body(0, coded={"c3", "c4"})
    assert is_coded(cells["c3"]) and is_coded(cells["c4"]) and not is_coded(cells["c0"])
    assert sorted(distinct_texts(cells["c3"]).to_list()) == ["007", "10"]
    assert sorted(distinct_texts(cells["c4"]).to_list()) == ["2024-09-02", "2024-09-03"]
    # each column has categories of its own: the dates are not among the quantities' texts
    assert cells["c3"].dtype != cells["c4"].dtype

    batch = read(path)
    assert batch.frame["qty"].to_list() == [10, 7, 10, 10]
    assert batch.frame["ship_date"].to_list() == [dt.date(2024, 9, 2)] * 2 + [
        dt.date(2024, 9, 3)
    ] * 2
    assert batch.frame["delivered_date"].to_list() == [None] * 4
    # the raw record keeps the text as written: "007", not 7
    assert batch.raw["qty"].cast(pl.String).to_list() == ["10", "007", "10", "10"]
    # the typed frame the gate and the warehouse read holds no coded column
    assert not any(isinstance(t, pl.Categorical) for t in batch.frame.schema.values())


def test_a_column_with_one_date_in_another_form_is_parsed_by_the_full_parser(
    tmp_path: Path,
) -> None:
    # D2's ship date is written 2024/9/3: the column is not canonical throughout, so it goes
    # back to plain text and through the full date parser, which reads it as 2024-09-03.
    path = tmp_path / "d.csv"
    path.write_text(
        HEADER
        + "D1,A,P1,10,2024-09-02,2024-09-05,2024-09-04\n"
        + "D2,A,P1,20,2024/9/3,2024-09-05,2024-09-04\n",
        encoding="utf-8",
    )
    batch = read(path)
    assert batch.frame["ship_date"].to_list() == [dt.date(2024, 9, 2), dt.date(2024, 9, 3)]
    assert batch.frame["ship_date__invalid"].to_list() == [None, None]
    assert batch.raw["ship_date"].cast(pl.String).to_list() == ["2024-09-02", "2024/9/3"]


def test_a_line_break_in_a_coded_cell_still_shifts_the_line_numbers(tmp_path: Path) -> None:
    # D1's quantity is quoted over lines 2-3, so D2 starts on line 4. "1\n0" is no number:
    # it is kept as the invalid text of D1's quantity.
    path = tmp_path / "d.csv"
    path.write_text(
        HEADER
        + 'D1,A,P1,"1\n0",2024-09-02,2024-09-05,2024-09-04\n'
        + "D2,A,P1,20,2024-09-03,2024-09-05,2024-09-04\n",
        encoding="utf-8",
    )
    batch = read(path)
    assert batch.frame["source_row"].to_list() == [2, 4]
    assert batch.frame["qty"].to_list() == [None, 20]
    assert batch.frame["qty__invalid"].to_list() == ["1\n0", None]
