"""A path is a path (SPEC §12): brackets, `*`, `?`, spaces and Chinese characters in a file or
folder name are part of the name, never a pattern.

Each case writes two CSV files that a glob would confuse: the named file holds one delivery
line (D-OWN), the file the pattern would also match holds another (D-OTHER). Ingesting the
named file must load exactly its one line, under its own name and hash.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from kpi_support import make_project, read_only, rows

from pipelines.ingest_pipeline import ingest_paths

HEADER = "delivery_id,customer,qty,ship_date,promised_date,delivered_date\n"


def line(key: str) -> str:
    return HEADER + f"{key},甲,10,2025-03-05,2025-03-06,2025-03-06\n"


@pytest.mark.parametrize(
    ("named", "other"),
    [
        ("jan[1].csv", "jan1.csv"),  # [1] as a character class matches jan1.csv
        ("feb*.csv", "feb2.csv"),  # * would match feb2.csv too
        ("mar?.csv", "mar3.csv"),
        ("交付[1月].csv", "交付1.csv"),
        ("dir[2026]/jan.csv", "dir2/jan.csv"),
        ("with space/a b.csv", "with space/ab.csv"),
    ],
)
def test_the_named_file_and_only_it_is_loaded(tmp_path: Path, named: str, other: str) -> None:
    settings = make_project(tmp_path / "project")
    inbox = tmp_path / "files"
    for name, key in ((named, "D-OWN"), (other, "D-OTHER")):
        (inbox / name).parent.mkdir(parents=True, exist_ok=True)
        (inbox / name).write_text(line(key), encoding="utf-8")
    [outcome] = ingest_paths(settings, [inbox / named], source="deliveries")
    # read 1 = loaded 1 + quarantined 0 + skipped 0
    assert (outcome.status, outcome.rows_read, outcome.rows_loaded) == ("loaded", 1, 1)
    with read_only(settings) as con:
        assert rows(con, "select delivery_id from deliveries") == [{"delivery_id": "D-OWN"}]
        [batch] = rows(con, "select file_name, file_sha256 from ingest_batches")
    assert batch["file_name"] == Path(named).name
    assert batch["file_sha256"] == hashlib.sha256((inbox / named).read_bytes()).hexdigest()


def test_cr_only_line_ends_are_lines(tmp_path: Path) -> None:
    # an old Mac export: header and two lines, each ended by CR alone -> 2 rows read, 2 loaded
    settings = make_project(tmp_path / "project")
    path = tmp_path / "mac.csv"
    text = HEADER + "D1,甲,10,2025-03-05,2025-03-06,2025-03-06\nD2,乙,5,2025-03-07,2025-03-08,\n"
    path.write_bytes(text.replace("\n", "\r").encode("utf-8"))
    [outcome] = ingest_paths(settings, [path], source="deliveries")
    assert (outcome.status, outcome.rows_read, outcome.rows_loaded) == ("loaded", 2, 2)


def test_an_unclosed_quote_rejects_the_file_and_the_next_file_loads(tmp_path: Path) -> None:
    # bad.csv's second line opens a quote that never closes: rejected with one sentence naming
    # the file; good.csv in the same folder still loads its one line
    settings = make_project(tmp_path / "project")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "bad.csv").write_text(
        HEADER + "D1,甲,10,2025-03-05,2025-03-06,2025-03-06\n"
        'D2,"乙,5,2025-03-07,2025-03-08,\nD3,丙,5,2025-03-07,2025-03-08,\n', encoding="utf-8")
    (folder / "good.csv").write_text(line("D-GOOD"), encoding="utf-8")
    outcomes = {o.path.name: o for o in ingest_paths(settings, [folder], source="deliveries")}
    assert outcomes["bad.csv"].status == "rejected"
    assert "bad.csv" in outcomes["bad.csv"].message
    assert "quote" in outcomes["bad.csv"].message
    assert (outcomes["good.csv"].status, outcomes["good.csv"].rows_loaded) == ("loaded", 1)


def test_a_sheet_spanning_a_million_columns_is_rejected_not_a_crash(tmp_path: Path) -> None:
    # one header and one data row, plus a stray cell at XFD1048576: the reader would build a
    # 16,384 x 1,048,576 grid (about 17 billion cells, 512 GB) and abort the process. The file
    # is rejected with one sentence instead, and the next file of the folder still loads.
    import xlsxwriter

    settings = make_project(tmp_path / "project")
    folder = tmp_path / "in"
    folder.mkdir()
    book = xlsxwriter.Workbook(str(folder / "far.xlsx"))
    sheet = book.add_worksheet("交付")
    for row, values in enumerate([HEADER.strip().split(","), line("D-FAR").split("\n")[1]
                                  .split(",")]):
        sheet.write_row(row, 0, values)
    sheet.write(1_048_575, 16_383, "x")
    book.close()
    (folder / "good.csv").write_text(line("D-GOOD"), encoding="utf-8")
    outcomes = {o.path.name: o for o in ingest_paths(settings, [folder], source="deliveries")}
    assert outcomes["far.xlsx"].status == "rejected"
    assert "far.xlsx" in outcomes["far.xlsx"].message
    assert f"{1_048_576 * 16_384:,} cells" in outcomes["far.xlsx"].message
    assert (outcomes["good.csv"].status, outcomes["good.csv"].rows_loaded) == ("loaded", 1)
