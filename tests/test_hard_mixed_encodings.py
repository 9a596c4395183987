"""A text file mixing encodings (SPEC §12): no row loaded as mojibake. Each line decodes in
the file's encoding or its row is quarantined naming the encoding problem.

The files are built byte by byte: the header and most lines in the file's encoding, one line
encoded otherwise. UTF-8 Chinese decodes "successfully" as GBK (its three-byte characters are
valid GBK pairs: 比亚迪 becomes 姣斾簹杩), which is what must never reach the warehouse.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from kpi_support import make_project, read_only, rows

from pipelines.ingest_pipeline import ingest_paths

HEADER = "送货单号,客户,数量,发货日期,要求交期\n"
LINES = {
    "D1": "D1,华为汽车,10,2025-03-05,2025-03-06\n",
    "D2": "D2,比亚迪,5,2025-03-05,2025-03-06\n",
    "D3": "D3,长城汽车,7,2025-03-05,2025-03-06\n",
    "D4": 'D4,"吉利\n汽车",2,2025-03-05,2025-03-06\n',  # one row on two lines (3 and 4 here)
}


def write(path: Path, file_encoding: str, other: dict[str, str]) -> Path:
    """The header and LINES in `file_encoding`, the keys in `other` in their own encoding."""
    data = HEADER.encode(file_encoding)
    for key, line in LINES.items():
        data += line.encode(other.get(key, file_encoding))
    path.write_bytes(data)
    return path


def landed(settings, path: Path):
    [outcome] = ingest_paths(settings, [path])
    with read_only(settings) as con:
        clean = rows(con, "select delivery_id, customer from deliveries order by source_row")
        held = rows(con, "select row_number, natural_key, reasons, record from quarantine")
        [batch] = rows(con, "select encoding from ingest_batches")
    return outcome, clean, held, batch["encoding"]


@pytest.mark.parametrize(
    ("file_encoding", "foreign", "own_name", "file_name"),
    [
        ("gbk", "utf-8", "UTF-8", "GBK"),  # a GBK export with one line pasted from UTF-8
        ("utf-8", "gbk", "GB18030", "UTF-8"),  # the reverse (GBK bytes read as GB18030)
    ],
)
def test_the_foreign_line_is_held_back(
    tmp_path: Path, file_encoding: str, foreign: str, own_name: str, file_name: str
) -> None:
    settings = make_project(tmp_path / "project")
    path = write(tmp_path / "交付.csv", file_encoding, {"D3": foreign})
    outcome, clean, held, encoding = landed(settings, path)
    # read 4 = loaded 3 (D1, D2, D4) + quarantined 1 (D3, line 4) + skipped 0
    assert (outcome.rows_read, outcome.rows_loaded, outcome.rows_quarantined,
            outcome.rows_skipped) == (4, 3, 1, 0)
    assert encoding == file_encoding
    assert clean == [
        {"delivery_id": "D1", "customer": "华为汽车"},
        {"delivery_id": "D2", "customer": "比亚迪"},
        {"delivery_id": "D4", "customer": "吉利\n汽车"},
    ]
    [row] = held
    assert (row["row_number"], row["natural_key"]) == (4, "D3")
    assert row["reasons"] == (
        f'the line is "{own_name}" text in a {file_name} file (mixed encodings): '
        "save the file again in one encoding"
    )
    assert "长城汽车" in row["record"]  # the held line shown as written, not as mojibake


def test_a_line_after_a_two_line_row_is_found(tmp_path: Path) -> None:
    # Header line 1, D1..D3 lines 2-4, D4 a quoted cell over lines 5 and 6, line 6 in UTF-8
    # in a GBK file: the foreign line belongs to the row starting on line 5, which is held.
    settings = make_project(tmp_path / "project")
    data = (HEADER + LINES["D1"] + LINES["D2"] + LINES["D3"] + 'D4,"吉利\n').encode("gbk")
    data += '汽车",2,2025-03-05,2025-03-06\n'.encode()
    path = tmp_path / "交付.csv"
    path.write_bytes(data)
    outcome, clean, held, _ = landed(settings, path)
    # read 4 = loaded 3 (D1..D3) + quarantined 1 (D4)
    assert (outcome.rows_loaded, outcome.rows_quarantined) == (3, 1)
    assert [r["customer"] for r in clean] == ["华为汽车", "比亚迪", "长城汽车"]
    assert [(r["row_number"], r["natural_key"]) for r in held] == [(5, "D4")]


def test_an_undecodable_line_in_a_utf8_file(tmp_path: Path) -> None:
    # A stray 0xFF byte is in no encoding: the line is held back as of an unknown one.
    settings = make_project(tmp_path / "project")
    data = (HEADER + LINES["D1"] + LINES["D2"]).encode()
    data += b"D3,\xff\xfe\xff,7,2025-03-05,2025-03-06\n"
    data += "D5,上汽,1,2025-03-05,2025-03-06\n".encode()
    path = tmp_path / "交付.csv"
    path.write_bytes(data)
    outcome, clean, held, encoding = landed(settings, path)
    # read 4 = loaded 3 (D1, D2, D5) + quarantined 1 (D3)
    assert (outcome.rows_read, outcome.rows_loaded, outcome.rows_quarantined) == (4, 3, 1)
    assert encoding == "utf-8"
    assert [r["customer"] for r in clean] == ["华为汽车", "比亚迪", "上汽"]
    assert held[0]["reasons"].startswith('the line is "unknown" text in a UTF-8 file')


def test_a_pure_gbk_file_has_no_foreign_line(tmp_path: Path) -> None:
    settings = make_project(tmp_path / "project")
    outcome, clean, held, encoding = landed(settings, write(tmp_path / "交付.csv", "gbk", {}))
    assert (outcome.rows_read, outcome.rows_loaded, held, encoding) == (4, 4, [], "gbk")
    assert [r["customer"] for r in clean] == ["华为汽车", "比亚迪", "长城汽车", "吉利\n汽车"]
