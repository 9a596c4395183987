"""How big a worksheet will be once read, known before the Excel reader sees it.

python-calamine builds a sheet as one dense grid from its first to its last used cell
(`Range::from_sparse`), so a tiny workbook with one cell at A1 and one at XFD1048576 asks for
a 16,384 x 1,048,576 grid (512 GB) and the process aborts on the allocation failure, which
no `except` can catch. The cell references of the sheet's XML tell the grid's size first.
The same pass collects the cells the reader returns as empty although they are not (error
values, formulas without a saved value: `sheet_cells`).
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

from pipelines.ingest.sheet_cells import SpecialCell, may_hold_special, special_cells

# A grid larger than this is refused: a sheet of 1,048,576 rows x 95 columns still reads.
MAX_CELLS = 100_000_000
_CELL = re.compile(rb'<c[^>]*?\sr="([A-Z]{1,3})([0-9]{1,7})"')
_NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> the path of its XML part inside the workbook."""
    workbook = ElementTree.fromstring(zf.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {
        rel.get("Id"): rel.get("Target", "") for rel in rels.findall("rel:Relationship", _NS)
    }
    parts = {}
    for sheet in workbook.findall("m:sheets/m:sheet", _NS):
        target = targets.get(sheet.get(f"{{{_NS['r']}}}id"), "")
        path = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
        parts[sheet.get("name", "")] = path
    return parts


@dataclass
class SheetScan:
    """What one pass over a sheet's XML tells before the reader sees it."""

    cells: int  # rows x columns of the grid from A1 to the last used cell
    special: dict[tuple[int, int], SpecialCell] = field(default_factory=dict)  # (row, column)


def scan_sheet(path: Path, sheet: str) -> SheetScan | None:
    """The grid size and the special cells of `sheet`, or None when the workbook is not one
    this can look into (the reader decides)."""
    try:
        with zipfile.ZipFile(path) as zf:
            part = sheet_parts(zf).get(sheet)
            if part is None:
                return None
            rows = columns = 0
            special: dict[tuple[int, int], SpecialCell] = {}
            with zf.open(part) as xml:
                tail = b""
                while chunk := xml.read(1 << 20):
                    data = tail + chunk
                    for letters, digits in _CELL.findall(data):
                        columns = max(columns, _column_number(letters))
                        rows = max(rows, int(digits))
                    if may_hold_special(data):
                        special.update(((c.row, c.column), c) for c in special_cells(data))
                    # the last cell may be cut between two chunks: read it again with the next
                    # (found twice, it is the same key and the same size)
                    start = min(data.rfind(b"<c "), len(data) - 256)
                    tail = data[max(start, len(data) - (1 << 16), 0):]
            return SheetScan(rows * columns, special)
    except (KeyError, OSError, zipfile.BadZipFile, ElementTree.ParseError):
        return None


def grid_cells(path: Path, sheet: str) -> int | None:
    """Rows x columns of the grid the reader would build for `sheet` (from A1 to its last
    used cell), or None when the workbook is not one this can look into (the reader decides)."""
    scan = scan_sheet(path, sheet)
    return scan.cells if scan is not None else None
