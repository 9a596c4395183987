"""The shortcuts that keep reading a 10-million-line export fast must not change a result:
rows wider than the head rows, whitespace at either end of a cell, repeats among many rows,
total words, encodings decided in chunks, line breaks in quoted cells, a given digest."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

from pipelines.ingest import read_file
from pipelines.ingest.encoding import CHUNK_BYTES
from pipelines.settings import read_causes

CAUSES = read_causes(Path(__file__).parents[1] / "data" / "reference" / "causes.csv")
HEADER = "送货单号,客户,料号,数量,发货日期,要求交期,实际到货日期"


def read(path: Path, **kwargs):
    return read_file(path, causes=CAUSES, **kwargs)


def delivery(n: int) -> str:
    return f"D{n},甲,P{n % 7},{n},2024-09-02,2024-09-05,2024-09-04"


def write(path: Path, lines: list[str], encoding: str = "utf-8") -> Path:
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def test_row_wider_than_every_head_row(tmp_path: Path) -> None:
    # Lines 2..21 hold 7 cells like the header; the head rows (the first 15) are all 7
    # wide. Line 22 has 2 more cells (x, y); line 23 has 6 more (a..f), of which only
    # the first 4 beyond the widest head row are kept (columns H..K), e and f are cut.
    lines = [HEADER, *(delivery(n) for n in range(1, 21))]
    lines += [delivery(21) + ",x,y", delivery(22) + ",a,b,c,d,e,f"]
    batch = read(write(tmp_path / "d.csv", lines))
    assert batch.rows_read == 22 and batch.frame.height == 22
    assert batch.unknown_columns == ["column H", "column I", "column J", "column K"]
    assert batch.raw.columns[7:] == ["column H", "column I", "column J", "column K", "source_row"]
    last = batch.raw.tail(2).select("column H", "column I", "column J", "column K").rows()
    assert last == [("x", "y", None, None), ("a", "b", "c", "d")]
    assert batch.frame["source_row"].tail(2).to_list() == [22, 23]


def test_rows_no_wider_than_the_header_add_no_columns(tmp_path: Path) -> None:
    lines = [HEADER, *(delivery(n) for n in range(1, 31)), "D99,乙,P,5,2024-09-02"]
    batch = read(write(tmp_path / "d.csv", lines))
    assert batch.unknown_columns == []
    assert batch.raw.columns == [*HEADER.split(","), "source_row"]
    # The short last line (line 32) leaves its missing cells empty.
    assert batch.frame.row(-1, named=True)["promised_date"] is None
    assert batch.frame["source_row"][-1] == 32


def test_whitespace_at_either_end_of_a_cell_is_trimmed(tmp_path: Path) -> None:
    lines = [
        HEADER,
        "D1,\u3000华为,P-01\u00a0,\u3000 12,2024-09-02,2024-09-05,",  # full-width space, NBSP
        "D2,比亚迪 汽车,\tP-02,7 ,2024-09-02,2024-09-05,",  # inner space kept; tab; trailing
        "D3,\u3000,P-03,5,2024-09-02,2024-09-05,",  # a cell of only a full-width space
        "\u3000,\u00a0, ,\t,,,",  # whitespace in every cell: an empty row
    ]
    batch = read(write(tmp_path / "d.csv", lines))
    # Lines 2..5: three kept, line 5 empty once trimmed.
    assert (batch.rows_read, batch.rows_skipped_empty) == (4, 1)
    assert batch.frame["customer"].to_list() == ["华为", "比亚迪 汽车", None]
    assert batch.frame["part_no"].to_list() == ["P-01", "P-02", "P-03"]
    assert batch.frame["qty"].to_list() == [12, 7, 5]
    assert batch.frame["qty__invalid"].to_list() == [None, None, None]
    assert batch.raw["客户"].to_list() == ["华为", "比亚迪 汽车", None]


def test_every_whitespace_character_is_found_at_either_end() -> None:
    # Column `a` holds one cell per character of Unicode's White_Space (WHITESPACE, 25) at
    # its start, `b` at its end; `c` the zero-width space and the byte-order mark at both
    # ends, which are not White_Space and stay. Each `a`/`b` column alone with a clean
    # cell must be found; `c` must not.
    from pipelines.ingest.text import WHITESPACE, trim_columns

    for space in WHITESPACE:
        frame = pl.DataFrame({"a": ["x", f"{space}y"], "b": ["x", f"y{space}"],
                              "c": ["x", "\u200by\ufeff"]})
        trimmed = trim_columns(frame, ["a", "b", "c"])
        assert trimmed.rows() == [("x", "x", "x"), ("y", "y", "\u200by\ufeff")], repr(space)


def test_inner_whitespace_alone_is_kept(tmp_path: Path) -> None:
    # Every cell holds whitespace, none at either end: nothing is trimmed.
    lines = [HEADER, "D 1,华 为,P 1,3,2024-09-02,2024-09-05,", "D 2,比\u3000亚迪,P 2,4,,,"]
    batch = read(write(tmp_path / "d.csv", lines))
    assert batch.frame["delivery_id"].to_list() == ["D 1", "D 2"]
    assert batch.frame["customer"].to_list() == ["华 为", "比\u3000亚迪"]


def test_repeated_rows_among_many(tmp_path: Path) -> None:
    # Lines 2..5001 hold deliveries 1..5000, all distinct. Line 5002 repeats delivery 1234
    # (line 1235) exactly; lines 5003 and 5004 repeat delivery 77 (line 78) twice; line
    # 5005 is delivery 1234 with another quantity, so it is kept.
    lines = [HEADER, *(delivery(n) for n in range(1, 5001))]
    lines += [delivery(1234), delivery(77), delivery(77)]
    lines.append(delivery(1234).replace(",1234,", ",1235,"))
    batch = read(write(tmp_path / "d.csv", lines))
    assert batch.rows_read == 5004
    assert (batch.rows_skipped_empty, batch.rows_skipped_total, batch.rows_skipped_repeat) == (
        0,
        0,
        3,
    )
    assert batch.frame.height == 5001
    assert batch.frame["source_row"].tail(2).to_list() == [5001, 5005]
    assert batch.frame["qty"][-1] == 1235


def test_total_word_in_a_number_column(tmp_path: Path) -> None:
    # 数量 is a number column; its total row carries the word there. The column is not
    # all numbers, so it is searched for total words like the text columns.
    lines = [HEADER, delivery(1), delivery(2), ",,,Total：,,,", ",,,3,,,"]
    batch = read(write(tmp_path / "d.csv", lines))
    assert (batch.rows_read, batch.rows_skipped_total) == (4, 1)
    assert batch.frame["qty"].to_list() == [1, 2, 3]
    assert batch.frame["source_row"].to_list() == [2, 3, 5]


def test_gbk_text_after_a_chunk_of_ascii(tmp_path: Path) -> None:
    # The first CHUNK_BYTES of the file are plain ASCII; the GBK-encoded customer comes
    # only in the last line, so the whole file must be checked to tell it is not UTF-8.
    filler = delivery(1).replace("甲", "A")
    count = CHUNK_BYTES // len(filler) + 10
    lines = [HEADER, *(filler.replace("D1,", f"D{n},") for n in range(count)), delivery(-1)]
    batch = read(write(tmp_path / "d.csv", lines, encoding="gbk"))
    assert batch.encoding == "gbk"
    assert batch.frame["customer"][-1] == "甲"
    assert batch.rows_read == count + 1


def test_utf8_character_split_between_chunks(tmp_path: Path) -> None:
    # "甲" is 3 bytes in UTF-8; the padding puts its first byte last in the first chunk.
    first = (HEADER + "\n").encode("utf-8")
    pad = CHUNK_BYTES - len(first) - len(b"D1,") - 1
    line = "D1," + "x" * pad + "甲,P,1,2024-09-02,2024-09-05,\n"
    path = tmp_path / "d.csv"
    path.write_bytes(first + line.encode("utf-8"))
    assert path.read_bytes()[CHUNK_BYTES - 1 : CHUNK_BYTES + 2] == "甲".encode()
    batch = read(path)
    assert batch.encoding == "utf-8"
    assert batch.frame["customer"].to_list() == ["x" * pad + "甲"]


def test_line_breaks_in_two_quoted_columns(tmp_path: Path) -> None:
    lines = [
        "编号,投诉日期,客户,数量,问题描述",  # line 1
        'C1,2024-09-03,"甲\n公司",1,"第一行\n第二行\n第三行"',  # lines 2-5
        'C2,2024-09-04,"乙",2,"一行"',  # line 6: quoted, no break
        "C3,2024-09-05,丙,3,短",  # line 7
    ]
    batch = read(write(tmp_path / "c.csv", lines), source="complaints")
    assert batch.frame["customer"].to_list() == ["甲\n公司", "乙", "丙"]
    assert batch.frame["source_row"].to_list() == [2, 6, 7]
    assert batch.frame["received_date"][2] == dt.date(2024, 9, 5)


def test_given_digest_is_used_as_is(tmp_path: Path) -> None:
    # The pipeline hashes the file before reading it and passes the digest on.
    path = write(tmp_path / "d.csv", [HEADER, delivery(1)])
    assert read(path, sha256="ab" * 32).sha256 == "ab" * 32
