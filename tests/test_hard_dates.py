"""Implausible dates (SPEC §12): a date before `min_date` (default 2000-01-01) or after one year
from the day of the ingest is a row error "implausible date", in every date column of every
source, so a stray Excel serial (1, 59, 60, 61) or an epoch-day count (20549, which as an
Excel serial is 1956-04-04) never stretches the calendar back to 1900.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import xlsxwriter
from kpi_support import make_project, read_only, rows

from pipelines.errors import SettingsError
from pipelines.ingest import read_file
from pipelines.ingest.plausible import DateRange, one_year_after
from pipelines.ingest_pipeline import ingest_paths
from pipelines.settings import load_settings, read_causes
from pipelines.sources import SOURCES, Column, Kind, Source

CAUSES = read_causes(Path(__file__).parents[1] / "data" / "reference" / "causes.csv")
HEADER = "delivery_id,customer,qty,ship_date,promised_date\n"


def _good(column: Column, row: int) -> str:
    """A value every check of its kind accepts; text differs per row (keys stay unique)."""
    return {
        Kind.TEXT: f"X{row}", Kind.DATE: "2025-03-05", Kind.INT: "3", Kind.DECIMAL: "10",
        Kind.BOOL: "yes", Kind.RATING: "3", Kind.MONTH: "2025-03",
    }.get(column.kind) or next(iter(column.choices))


def _date_columns() -> list[tuple[Source, Column]]:
    return [
        (source, column)
        for source in SOURCES.values()
        for column in source.columns
        if column.kind in (Kind.DATE, Kind.MONTH)
    ]


@pytest.mark.parametrize(
    ("source", "column"), _date_columns(), ids=lambda x: getattr(x, "name", str(x))
)
def test_every_date_column_of_every_source(tmp_path: Path, source: Source, column: Column) -> None:
    # Two rows: line 2 all good, line 3 the date column holds a date of 1900.
    columns = [c for c in source.columns if c.required or c is column]
    early = "1900-01" if column.kind is Kind.MONTH else "1900-01-01"
    lines = [",".join(c.name for c in columns)]
    for row in (1, 2):
        values = [early if c is column and row == 2 else _good(c, row) for c in columns]
        lines.append(",".join(values))
    path = tmp_path / f"{source.name}.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    batch = read_file(path, causes=CAUSES, source=source.name)
    problems = batch.problems.select("source_row", "column", "code", "value").rows()
    assert problems == [(3, column.name, "implausible_date", early)]
    assert batch.frame[column.name][1] is None  # never reaches the clean row


def _deliveries(ship_dates: list[str]) -> str:
    return HEADER + "".join(
        f"D{i},甲,1,{ship},2025-03-05\n" for i, ship in enumerate(ship_dates, start=1)
    )


def test_serials_epoch_days_and_bounds(tmp_path: Path) -> None:
    today = dt.date.today()
    last = one_year_after(today)  # the same day next year
    ship = [
        "1", "59", "60", "61",  # Excel serials of January-March 1900
        "20549",  # 2026-04-05 as days since 1970; as an Excel serial 1956-04-04
        "1900/1/1", "1999-12-31",  # before min_date
        "2000-01-01",  # min_date itself: plausible
        last.isoformat(),  # one year after today: plausible
        (last + dt.timedelta(days=1)).isoformat(),  # a day later: implausible
        "45658",  # the Excel serial of 2025-01-01: plausible
    ]
    settings = make_project(tmp_path / "project")
    path = tmp_path / "d.csv"
    path.write_text(_deliveries(ship), encoding="utf-8")
    [outcome] = ingest_paths(settings, [path])
    # read 11 = loaded 3 (D8, D9, D11) + quarantined 8 + skipped 0
    assert (outcome.rows_read, outcome.rows_loaded, outcome.rows_quarantined,
            outcome.rows_skipped) == (11, 3, 8, 0)
    with read_only(settings) as con:
        clean = rows(con, "select delivery_id, ship_date from deliveries order by source_row")
        held = rows(con, "select natural_key, reasons, row_date from quarantine "
                         "order by row_number")
    assert [(r["delivery_id"], r["ship_date"]) for r in clean] == [
        ("D8", dt.date(2000, 1, 1)), ("D9", last), ("D11", dt.date(2025, 1, 1)),
    ]
    span = f"2000-01-01 to {last.isoformat()}"
    assert [(r["natural_key"], r["reasons"]) for r in held] == [
        (f"D{i}", f'ship_date: implausible date "{text}", outside {span}')
        for i, text in enumerate(ship, start=1) if i not in (8, 9, 11)
    ]
    assert all(r["row_date"] is None for r in held)  # no held row is filed under 1900


def test_excel_dates_of_1900_in_a_workbook(tmp_path: Path) -> None:
    # Cells formatted as dates holding serials 1, 59, 60, 61 (python-calamine reads them as
    # 1900-01-01, 1900-02-28, 1900-02-28 for Excel's 29 February 1900, 1900-03-01) and 45658.
    path = tmp_path / "d.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet()
    date = workbook.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(0, 0, HEADER.strip().split(","))
    for i, serial in enumerate([1, 59, 60, 61, 45658], start=1):
        sheet.write_row(i, 0, [f"D{i}", "甲", 1])
        sheet.write_number(i, 3, serial, date)
        sheet.write_string(i, 4, "2025-03-05")
    workbook.close()
    batch = read_file(path, causes=CAUSES, dates=DateRange(dt.date(2000, 1, 1),
                                                            dt.date(2030, 1, 1)))
    problems = batch.problems.select("source_row", "column", "code").rows()
    assert problems == [(r, "ship_date", "implausible_date") for r in (2, 3, 4, 5)]
    assert batch.frame["ship_date"].to_list() == [None] * 4 + [dt.date(2025, 1, 1)]


def test_min_date_setting(tmp_path: Path) -> None:
    settings = make_project(tmp_path / "project", "")
    text = settings.settings_file.read_text(encoding="utf-8")
    settings.settings_file.write_text(
        text.replace("min_date = 2000-01-01", "min_date = 2010-01-01", 1), encoding="utf-8"
    )
    settings = load_settings(settings.project_dir, warehouse=settings.warehouse)
    assert settings.min_date == dt.date(2010, 1, 1)
    path = tmp_path / "d.csv"
    path.write_text(_deliveries(["2009-12-31", "2010-01-01"]), encoding="utf-8")
    [outcome] = ingest_paths(settings, [path])
    # read 2 = loaded 1 (2010-01-01) + quarantined 1 (2009-12-31, before min_date)
    assert (outcome.rows_loaded, outcome.rows_quarantined) == (1, 1)


@pytest.mark.parametrize(
    ("value", "accepted"),
    [
        ('"2010-01-01"', True),  # the same date as a string
        ('"yesterday"', False),
        ("5", False),
        ("2999-01-01", False),  # after today: every date would be implausible
        ("2010-01-01T08:00:00", False),  # a date-time, not a date
    ],
)
def test_min_date_is_validated(tmp_path: Path, value: str, accepted: bool) -> None:
    settings = make_project(tmp_path / "project", "")
    text = settings.settings_file.read_text(encoding="utf-8")
    settings.settings_file.write_text(
        text.replace("min_date = 2000-01-01", f"min_date = {value}", 1), encoding="utf-8"
    )
    if accepted:
        assert load_settings(settings.project_dir).min_date == dt.date(2010, 1, 1)
        return
    with pytest.raises(SettingsError, match=r"\[settings\] min_date in .*settings.toml must be "
                                            r"a date before today written YYYY-MM-DD"):
        load_settings(settings.project_dir)
