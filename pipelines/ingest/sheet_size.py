"""How big a worksheet will be once read, known before the Excel reader sees it.

python-calamine builds a sheet as one dense grid from its first to its last used cell
(`Range::from_sparse`), so a tiny workbook with one cell at A1 and one at XFD1048576 asks for
a 16,384 x 1,048,576 grid (512 GB) and the process aborts on the allocation failure, which
no `except` can catch. The cell references of the sheet's XML tell the grid's size first.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

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


def grid_cells(path: Path, sheet: str) -> int | None:
    """Rows x columns of the grid the reader would build for `sheet` (from A1 to its last
    used cell), or None when the workbook is not one this can look into (the reader decides)."""
    try:
        with zipfile.ZipFile(path) as zf:
            part = sheet_parts(zf).get(sheet)
            if part is None:
                return None
            rows = columns = 0
            with zf.open(part) as xml:
                tail = b""
                while chunk := xml.read(1 << 20):
                    data = tail + chunk
                    for letters, digits in _CELL.findall(data):
                        columns = max(columns, _column_number(letters))
                        rows = max(rows, int(digits))
                    tail = data[-256:]  # a cell tag cut between two chunks
            return rows * columns
    except (KeyError, OSError, zipfile.BadZipFile, ElementTree.ParseError):
        return None
