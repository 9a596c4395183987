"""read_file: one input file -> a ReadBatch (typed rows, raw rows, counts, lineage).

The steps: reject empty files, hash the bytes, open the file as text tables, find the
header row and the source, skip empty / total / repeated rows, parse every value.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from pipelines.batch import ReadBatch
from pipelines.errors import FileRejected, SourceUnknown
from pipelines.ingest.headers import HeaderMatch, accepted_headers, find_header, infer_source
from pipelines.ingest.normalise import normalise, parse_complete_columns
from pipelines.ingest.plausible import DateRange, plausible_dates
from pipelines.ingest.problems import excel_errors, implausible_dates, marked_problems
from pipelines.ingest.rows import classify_rows
from pipelines.ingest.tables import HEAD_ROWS, Table, column_name, hidden_sheets, open_tables
from pipelines.ingest.text import trim_columns
from pipelines.ingest.values import has_fast_parse
from pipelines.sources import SOURCES, Source, get_source

_HASH_CHUNK = 8 * 1024 * 1024


def read_file(
    path: Path,
    *,
    causes: pl.DataFrame,
    dates: DateRange | None = None,
    source: str | None = None,
    sheet: str | None = None,
    sha256: str | None = None,
) -> ReadBatch:
    """Read and normalise one CSV, XLSX or Parquet file of one source.

    The source is `source` if given, else the inbox folder (`inbox/<source>/`), else the
    one whose required columns the header holds. `sha256` is the file's digest when the
    caller has already computed it (it is not computed again). `dates` are the dates a row
    may hold (default: 2000-01-01 to a year from today); others are problems of their rows.
    Raises FileRejected (or SourceUnknown) with one sentence naming the file when nothing
    can be loaded from it.
    """
    path = Path(path)
    _check_readable(path)
    digest = sha256 or file_sha256(path)
    known = get_source(source) if source else inbox_source(path)
    try:
        table, match = locate(path, open_tables(path, sheet), known, sheet=sheet)
    except FileRejected as error:
        hidden = hidden_sheets(path) if sheet is None else []
        if not hidden:
            raise
        raise type(error)(
            f"{str(error).rstrip('.')} (hidden sheets are not read: {', '.join(hidden)}; "
            "pass --sheet NAME to read one)."
        ) from error

    header = table.head[match.row]
    columns = {col: column_name(i) for col, i in match.columns.items()}
    body = table.load_body(match.row, coded=_repeating_columns(match.source, columns))
    cells = _drop_blank_columns(body, header)
    names = [c for c in cells.columns if c != "source_row"]
    cells, complete = parse_complete_columns(cells, match.source, columns)
    clean = {columns[name] for name in complete}
    cells = trim_columns(cells, [n for n in names if n not in clean])
    keys = [columns[k] for k in match.source.key_columns if k in columns]
    counts, keep = classify_rows(cells, names, wordless=clean, keys=keys)
    kept = cells.filter(keep) if counts.skipped else cells
    marked = marked_problems(table.marks, cells["source_row"], kept["source_row"], columns)
    del cells, keep

    layout = column_layout(header, match, kept)
    frame = normalise(kept, match.source, columns, causes=causes, complete=complete)
    frame, implausible = implausible_dates(
        frame, kept, match.source, columns, dates or plausible_dates()
    )
    problems = pl.concat([marked, excel_errors(kept, columns, complete), implausible])
    raw = kept.select(
        *(pl.col(column_name(i)).alias(header) for i, header in layout.raw_columns),
        "source_row",
    )
    return ReadBatch(
        path=path,
        source=match.source,
        sha256=digest,
        frame=frame,
        raw=raw,
        sheet=table.sheet,
        encoding=table.encoding,
        header_row=table.row_numbers[match.row],
        rows_read=counts.read,
        rows_skipped_empty=counts.empty,
        rows_skipped_total=counts.total,
        rows_skipped_repeat=counts.repeat,
        unknown_columns=layout.unknown,
        problems=problems,
    )


def _repeating_columns(source: Source, columns: dict[str, str]) -> set[str]:
    """The cells of the columns read dictionary-coded: dates and numbers, whose few thousand
    distinct texts repeat over millions of lines (never keys or free text)."""
    return {
        columns[c.name]
        for c in source.columns
        if c.name in columns and c.name not in source.key_columns and has_fast_parse(c)
    }


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def inbox_source(path: Path) -> Source | None:
    """The source named by the folder of a file in `.../inbox/<source>/`, if any."""
    folder = path.resolve().parent
    if folder.parent.name == "inbox" and folder.name in SOURCES:
        return SOURCES[folder.name]
    return None


def _drop_blank_columns(body: pl.DataFrame, header: list[str | None]) -> pl.DataFrame:
    """Columns with no header and not one cell of data play no part in any rule."""
    unnamed = [name for i, name in enumerate(body.columns[:-1]) if not _header_text(header, i)]
    if not unnamed:
        return body
    # Counted in an expression: reading the columns out one by one would materialise the
    # placeholder columns the CSV reader inserts for absent cells.
    nulls = body.select(pl.col(name).null_count() for name in unnamed).row(0)
    return body.drop(n for n, count in zip(unnamed, nulls, strict=True) if count == body.height)


def _check_readable(path: Path) -> None:
    if not path.is_file():
        raise FileRejected(f"File {path} does not exist or is not a file; check the path.")
    if path.stat().st_size == 0:
        raise FileRejected(f"File {path.name} is empty (0 bytes); export it again.")


# --- header and source -----------------------------------------------------------------


def locate(
    path: Path, tables: Iterable[Table], known: Source | None, *, sheet: str | None = None
) -> tuple[Table, HeaderMatch]:
    """The first table (sheet) with a header row holding a source's required columns.

    `sheet` is the sheet the user picked, if any; it only shapes the message for a file
    that holds no data.
    """
    closest: list[HeaderMatch] = []
    blank: list[Table] = []
    tried = 0
    for table in tables:
        tried += 1
        if table.holds_no_data():
            if table.sheet is None:  # one reading of a text file: the whole file is blank
                raise FileRejected(_no_data(path, [table], sheet))
            blank.append(table)
            continue
        if known is not None:
            match = find_header(table.head, known)
            if match.complete:
                return table, match
            closest.append(match)
            continue
        matches = infer_source(table.head, list(SOURCES.values()))
        if len(matches) == 1:
            return table, matches[0]
        if len(matches) > 1:
            options = " or ".join(f"--source {m.source.name}" for m in matches)
            raise SourceUnknown(
                f"Cannot tell from its header whether file {path.name} holds "
                f"{' or '.join(m.source.name for m in matches)} rows; pass {options}."
            )
        closest += [find_header(table.head, s) for s in SOURCES.values()]
    if tried and len(blank) == tried:
        raise FileRejected(_no_data(path, blank, sheet))
    best = min(closest, key=lambda m: len(m.missing), default=None)
    if known is not None:
        missing = best.missing if best else [c.name for c in known.required]
        it = "it" if len(missing) == 1 else "them"
        raise FileRejected(
            f"{known.name} file {path.name} lacks required column(s) "
            f"{_describe(known, missing)}; add {it} or pass --source."
        )
    hint = ""
    if best is not None and best.columns:
        hint = f" (closest: {best.source.name}, lacking {_describe(best.source, best.missing)})"
    raise SourceUnknown(
        f"Cannot tell the source of file {path.name}: no row among its first {HEAD_ROWS} "
        f"holds the required columns of any source{hint}; pass --source "
        f"{'|'.join(SOURCES)}."
    )


def _no_data(path: Path, blank: list[Table], sheet: str | None) -> str:
    """One sentence for a file none of whose tables holds a filled-in cell."""
    if sheet is not None:
        return (
            f"Sheet {sheet!r} of workbook {path.name} holds no data; pick the sheet with the "
            "rows with --sheet, or export the workbook again."
        )
    sheets = [t.sheet for t in blank if t.sheet is not None]
    if sheets:
        return (
            f"Workbook {path.name} holds no data (every sheet is empty: {', '.join(sheets)}); "
            "export it again with its header row and rows."
        )
    return (
        f"File {path.name} holds no data (not one cell is filled in); "
        "export it again with its header row and rows."
    )


def _describe(source: Source, missing: list[str]) -> str:
    return " and ".join(f"{name} (accepted: {accepted_headers(source, name)})" for name in missing)


# --- columns ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ColumnLayout:
    raw_columns: list[tuple[int, str]]  # cell index -> raw header name, recognised + unknown
    unknown: list[str]  # header text of unknown columns, in file order


def column_layout(header: list[str | None], match: HeaderMatch, kept: pl.DataFrame) -> ColumnLayout:
    """Which cell columns go into `raw`, under which names, and which are unknown.

    Columns with an empty header and no data are ignored; with data they are unknown and
    named by their spreadsheet letter (`column H`).
    """
    present = {int(c[1:]) for c in kept.columns if c.startswith("c") and c[1:].isdigit()}
    used = set(match.columns.values())
    unnamed = [i for i in sorted(present) if not _header_text(header, i)]
    filled = (
        kept.select(pl.col(column_name(i)).is_not_null().any() for i in unnamed).row(0)
        if unnamed and kept.height
        else [False] * len(unnamed)
    )
    has_data = dict(zip(unnamed, filled, strict=True))
    raw: list[tuple[int, str]] = []
    unknown: list[str] = []
    seen: set[str] = set()
    for i in sorted(present):
        text = _header_text(header, i)
        if not text and not has_data.get(i, False):
            continue
        name = text or f"column {_letter(i)}"
        if i not in used:
            unknown.append(name)
        if name in seen:
            name = f"{name} (column {_letter(i)})"
        seen.add(name)
        raw.append((i, name))
    return ColumnLayout(raw, unknown)


def _header_text(header: list[str | None], index: int) -> str:
    cell = header[index] if index < len(header) else None
    return (cell or "").strip()


def _letter(index: int) -> str:
    """Spreadsheet column letters: 0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters
