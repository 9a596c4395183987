"""Open a CSV, XLSX or Parquet file as text tables: the first rows (to find the header in)
and a loader for the rows below a chosen header row.

Every cell becomes text here, whatever the format, so one set of parsers (`values`) turns
text into typed values and the same reading rules hold for every format.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from functools import partial
from operator import itemgetter
from pathlib import Path

import polars as pl
from python_calamine import CalamineWorkbook, SheetVisibleEnum

from pipelines.errors import FileRejected
from pipelines.ingest.cells import text_column
from pipelines.ingest.coded import coded_type, decoded, distinct_texts, is_coded
from pipelines.ingest.encoding import TextEncoding, detect_encoding
from pipelines.ingest.mixed import to_utf8
from pipelines.ingest.problems import FORMULA_WITHOUT_VALUE, MARK_SCHEMA, no_marks
from pipelines.ingest.sheet_cells import FORMULA, SpecialCell
from pipelines.ingest.sheet_size import MAX_CELLS, scan_sheet

HEAD_ROWS = 15  # the header row is searched for within this many rows
SPARE_COLUMNS = 4  # CSV cells beyond the widest head row are kept up to this many extra
DELIMITERS = (",", "\t", ";")
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")


@dataclass
class Table:
    """One sheet (or one CSV read with one delimiter) as text.

    `head` holds the first rows, cells as text (None when empty); `row_numbers` the row
    number a spreadsheet shows for each (CSV: the line the row starts on). `load_body(h)`
    returns every row below head row `h` as columns c0, c1, ... (pl.String) plus
    `source_row` (pl.Int64); `load_body(h, coded=names)` may return the columns `names`
    dictionary-coded (`coded`: the CSV reader does, to save a large file's memory).
    `whole` is True when `head` holds every row of the table.
    `marks` (`problems.MARK_SCHEMA`) are cells or lines the reader found wrong (a formula
    without a saved value, a line in another encoding), by line or row number.
    """

    head: list[list[str | None]]
    row_numbers: list[int]
    load_body: Callable[..., pl.DataFrame]
    sheet: str | None = None
    encoding: str | None = None
    whole: bool = False
    marks: pl.DataFrame = field(default_factory=no_marks)

    def holds_no_data(self) -> bool:
        """True when not one cell holds text: a sheet never filled in, a CSV of blank lines.

        Such a file needs another message than one whose header is not recognised. The
        rows below the head are read only when the head is blank and not the whole table.
        """
        if any(cell is not None and cell.strip() for row in self.head for cell in row):
            return False
        if self.whole:
            return True
        if not self.head:
            return False  # the first row could not be parsed: not known to be blank
        body = self.load_body(len(self.head) - 1)
        cells = [name for name in body.columns if name != "source_row"]
        if not cells or body.height == 0:
            return True
        filled = pl.any_horizontal(
            (pl.col(c).str.strip_chars().str.len_bytes() > 0).any() for c in cells
        )
        return not body.select(filled.fill_null(False)).item()


def column_name(index: int) -> str:
    return f"c{index}"


def open_tables(path: Path, sheet: str | None = None) -> Iterator[Table]:
    """The candidate tables of a file in the order they are tried (sheets, delimiters)."""
    with path.open("rb") as handle:
        magic = handle.read(8)
    suffix = path.suffix.lower()
    if suffix in WORKBOOK_SUFFIXES or magic.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        return _workbook_tables(path, sheet)
    if suffix == ".parquet" or magic.startswith(b"PAR1"):
        return iter([_parquet_table(path)])
    return _csv_tables(path)


# --- CSV -------------------------------------------------------------------------------


def _csv_tables(path: Path) -> Iterator[Table]:
    encoding = detect_encoding(path)
    source: Path | bytes = path
    marks = no_marks()
    cr_only = _cr_line_ends(path)
    if encoding.by_line:
        # GBK files and UTF-8 files with foreign lines are converted in memory, line by line
        # (a line not in the file's encoding is marked, never loaded as mojibake).
        data = path.read_bytes()
        converted = to_utf8(data.replace(b"\r", b"\n") if cr_only else data, encoding.name)
        source, marks = converted.data, converted.marks
    elif not encoding.is_utf8:
        # Only non-UTF-8 files are converted, in memory; UTF-8 files are read in place.
        source = path.read_bytes().decode(encoding.name).encode("utf-8")
    if cr_only and not encoding.by_line:
        # an old Mac export ends its lines with CR alone, which polars does not split on
        text = source if isinstance(source, bytes) else path.read_bytes()
        source = text.replace(b"\r", b"\n")
    for delimiter in DELIMITERS:
        head, ends, whole = _csv_head(path, encoding.name, delimiter)
        if delimiter != "," and not any(len(row) > 1 for row in head):
            continue
        starts = [1] + [end + 1 for end in ends[:-1]]
        width = max((len(row) for row in head), default=0)
        loader = partial(_csv_body, source, delimiter, ends, width, encoding, path.name)
        yield Table(head, starts, loader, encoding=encoding.name, whole=whole, marks=marks)


def _cr_line_ends(path: Path, probe: int = 1 << 16) -> bool:
    """True when the file's first lines end with CR alone (no LF in its first `probe` bytes)."""
    with path.open("rb") as handle:
        start = handle.read(probe)
    return b"\r" in start and b"\n" not in start


def _csv_head(
    path: Path, encoding: str, delimiter: str
) -> tuple[list[list[str | None]], list[int], bool]:
    """The first rows as parsed by the csv module, the physical line each row ends on, and
    whether those rows are the whole file."""
    rows: list[list[str | None]] = []
    ends: list[int] = []
    whole = False
    with path.open(encoding=encoding, newline="", errors="replace") as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        try:
            for row in reader:
                rows.append([cell if cell.strip() else None for cell in row])
                ends.append(reader.line_num)
                if len(rows) == HEAD_ROWS:
                    break
            else:
                whole = True
        except csv.Error:
            pass  # a malformed line below the header is left to the body reader
    return rows, ends, whole


def _csv_body(
    source: Path | bytes,
    delimiter: str,
    ends: list[int],
    width: int,
    encoding: TextEncoding,
    file_name: str,
    header: int,
    coded: Collection[str] = (),
) -> pl.DataFrame:
    """Every line below head row `header` as cells c0, c1, ... and its `source_row`.

    The cells are read at the width of the widest head row. A line wider still is rare:
    polars then refuses the exact width, and the file is read again with `SPARE_COLUMNS`
    more columns, cells beyond those cut off.
    """
    skip_lines = ends[header]
    try:
        frame = _read_cells(source, delimiter, skip_lines, width, coded, ragged=False)
    except (pl.exceptions.ComputeError, pl.exceptions.SchemaError):
        try:
            frame = _read_cells(source, delimiter, skip_lines, width + SPARE_COLUMNS, coded,
                                ragged=True)
        except (pl.exceptions.ComputeError, pl.exceptions.SchemaError) as exc:
            raise FileRejected(
                f"{file_name} cannot be read as CSV below its header (line {skip_lines + 1} "
                "on): most often a quote (\") opened in a cell and never closed; fix or "
                "remove that quote and save the file again."
            ) from exc
    names = [n for n in frame.columns if n != "source_row"]
    if encoding.has_quotes:
        # A quoted cell may hold line breaks: later rows start that many lines further down.
        multiline = [n for n in names if _holds_line_break(frame[n])]
        if multiline:
            frame = decoded(frame, multiline)
            breaks = pl.sum_horizontal(
                pl.col(n).str.count_matches("\n", literal=True).fill_null(0) for n in multiline
            )
            shift = breaks.cum_sum().shift(1, fill_value=0).cast(pl.Int64)
            frame = frame.with_columns(pl.col("source_row") + shift)
    return frame.select(*names, "source_row")


def _holds_line_break(cells: pl.Series) -> bool:
    """Whether a cell holds a line break; a coded column's distinct texts are searched."""
    texts = distinct_texts(cells) if is_coded(cells) else cells
    return bool(texts.str.contains("\n", literal=True).any())


def _read_cells(
    source: Path | bytes,
    delimiter: str,
    skip_lines: int,
    width: int,
    coded: Collection[str],
    *,
    ragged: bool,
) -> pl.DataFrame:
    """Text cells c0.. c<width-1> of the lines after `skip_lines`, plus `source_row`; the
    columns named in `coded` dictionary-coded, each with categories of its own.

    polars numbers the rows as it reads them, so `source_row` comes in the same chunks as
    the cells and no later step has to copy the frame into one block to line them up.
    """
    names = [column_name(i) for i in range(width)]
    frame = pl.read_csv(
        source,
        has_header=False,
        separator=delimiter,
        skip_lines=skip_lines,
        schema={n: coded_type() if n in coded else pl.String for n in names},
        missing_columns="insert",
        truncate_ragged_lines=ragged,
        raise_if_empty=False,
        infer_schema=False,
        row_index_name="source_row",
        row_index_offset=skip_lines + 1,
        glob=False,  # a path is a path: `jan[1].csv` is that file, never a pattern
    )
    return frame.with_columns(pl.col("source_row").cast(pl.Int64))


# --- XLSX ------------------------------------------------------------------------------


def _open_workbook(path: Path) -> tuple[CalamineWorkbook, list[str], set[str]]:
    """The workbook, its sheet names in order and the names of its hidden sheets."""
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        names = list(workbook.sheet_names)
        hidden = {
            m.name for m in workbook.sheets_metadata if m.visible != SheetVisibleEnum.Visible
        }
    except Exception as exc:  # noqa: BLE001 - any parser failure means an unreadable workbook
        raise _corrupt(path) from exc
    return workbook, names, hidden


def hidden_sheets(path: Path) -> list[str]:
    """The hidden sheets of a workbook, in order; none for any other file."""
    if path.suffix.lower() not in WORKBOOK_SUFFIXES:
        return []
    try:
        _, names, hidden = _open_workbook(path)
    except FileRejected:
        return []
    return [name for name in names if name in hidden]


def _workbook_tables(path: Path, sheet: str | None) -> Iterator[Table]:
    """The sheets to try: the one named with --sheet (even a hidden one: the user chose it),
    else every visible sheet in order. A hidden sheet is a lookup list, last month's copy, a
    draft: not the export (SPEC §12)."""
    workbook, names, hidden = _open_workbook(path)
    if sheet is not None and sheet not in names:
        raise FileRejected(
            f"Workbook {path.name} has no sheet named {sheet!r}; its sheets are "
            f"{', '.join(names)}: pass one of them with --sheet."
        )
    for name in [sheet] if sheet is not None else [n for n in names if n not in hidden]:
        scan = scan_sheet(path, name)
        size = scan.cells if scan is not None else 0
        if size > MAX_CELLS:
            raise FileRejected(
                f"Workbook {path.name}: sheet {name!r} spans {size:,} cells from A1 to its last "
                "used cell, far more than its data can need; delete the stray cells far below "
                "or right of the table (or copy the table into a new workbook) and save again."
            )
        try:
            cells = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
        except Exception as exc:  # noqa: BLE001
            raise _corrupt(path) from exc
        special = list(scan.special.values()) if scan is not None else []
        yield _grid_table(_with_special(cells, special), name, _formula_marks(special))


def _with_special(cells: list[list[object]], special: list[SpecialCell]) -> list[list[object]]:
    """The sheet's cells with the text the reader left out: an error value as Excel shows it
    (`#DIV/0!`), a formula without a saved value as its formula (`=A2*B2`)."""
    for cell in special:
        row = cell.row - 1
        while len(cells) <= row:
            cells.append([])
        line = cells[row]
        if len(line) <= cell.column:
            line.extend([None] * (cell.column + 1 - len(line)))
        if line[cell.column] in (None, ""):
            line[cell.column] = cell.text
    return cells


def _formula_marks(special: list[SpecialCell]) -> pl.DataFrame:
    formulas = [c for c in special if c.kind == FORMULA]
    if not formulas:
        return no_marks()
    return pl.DataFrame(
        {
            "source_row": [c.row for c in formulas],
            "cell": [column_name(c.column) for c in formulas],
            "code": [FORMULA_WITHOUT_VALUE] * len(formulas),
            "value": [c.text for c in formulas],
            "other": [None] * len(formulas),
        },
        schema=MARK_SCHEMA,
    )


def _grid_table(cells: list[list[object]], sheet: str, marks: pl.DataFrame) -> Table:
    """A sheet's cells as text columns; a cell's row number is its index + 1 (row 1 = A1)."""
    width = max(map(len, cells), default=0)
    if any(len(row) < width for row in cells):
        cells = [row + [None] * (width - len(row)) for row in cells]
    columns = [list(map(itemgetter(i), cells)) for i in range(width)]
    grid = pl.DataFrame(
        [text_column(values).alias(column_name(i)) for i, values in enumerate(columns)],
        schema={column_name(i): pl.String for i in range(width)},
    ).with_columns(pl.int_range(1, pl.len() + 1, dtype=pl.Int64).alias("source_row"))
    table = _frame_table(grid, sheet=sheet)
    table.marks = marks
    return table


def _corrupt(path: Path) -> FileRejected:
    return FileRejected(
        f"Workbook {path.name} cannot be opened (corrupt or not a real Excel file); "
        "open it in Excel and save it again as .xlsx."
    )


# --- Parquet ---------------------------------------------------------------------------


def _parquet_table(path: Path) -> Table:
    """A Parquet file as a grid whose first row is the column names (row 1, as in Excel)."""
    try:
        frame = pl.read_parquet(path, glob=False)
        text = frame.select(pl.all().cast(pl.String))
    except Exception as exc:  # noqa: BLE001 - corrupt file or nested column types
        raise FileRejected(
            f"Parquet file {path.name} cannot be read (corrupt, or nested column types); "
            "write it again with flat columns."
        ) from exc
    names = {name: column_name(i) for i, name in enumerate(text.columns)}
    header = pl.DataFrame([list(names)], schema=list(names.values()), orient="row")
    grid = pl.concat([header, text.rename(names)]).with_columns(
        pl.int_range(1, pl.len() + 1, dtype=pl.Int64).alias("source_row")
    )
    return _frame_table(grid)


def _frame_table(grid: pl.DataFrame, sheet: str | None = None) -> Table:
    head_frame = grid.head(HEAD_ROWS)
    head = [list(row[:-1]) for row in head_frame.rows()]
    numbers = head_frame["source_row"].to_list()
    whole = grid.height <= HEAD_ROWS

    def load_body(header: int, coded: Collection[str] = ()) -> pl.DataFrame:
        return grid.slice(header + 1)  # already text in memory: nothing to save by coding

    return Table(head, numbers, load_body, sheet=sheet, whole=whole)
