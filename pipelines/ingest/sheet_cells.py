"""Cells of a sheet's XML the Excel reader cannot tell apart from empty ones.

python-calamine returns an error value (`#DIV/0!`, `#N/A`, ...) as an empty string, the same
as an empty cell (dimastbk/python-calamine#105, open), and a formula cell without a saved
value (a workbook written by a script and never opened in Excel) as empty too. The sheet's
XML says which is which: `<c t="e"><v>#N/A</v></c>` is an error value, `<c><f>A2*B2</f></c>`
without `<v>` a formula nobody has calculated. `special_cells` finds them in a piece of that
XML; the sheet's one read pass (`sheet_size.scan_sheet`) feeds it the pieces that may hold
any (those with a formula or an error-typed cell).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape

ERROR = "error"
FORMULA = "formula"
_CELL = re.compile(rb"<(?:\w+:)?c\s([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_REF = re.compile(rb'\br\s*=\s*["\']([A-Z]{1,3})([0-9]{1,7})["\']')
_TYPE = re.compile(rb'\bt\s*=\s*["\'](\w+)["\']')
_FORMULA = re.compile(rb"<(?:\w+:)?f\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?f>)", re.S)
_VALUE = re.compile(rb"<(?:\w+:)?v\s*(?:/>|>(.*?)</(?:\w+:)?v>)", re.S)
_STRING_TYPES = (b"str", b"s", b"inlineStr")  # an empty saved text is a saved value


@dataclass(frozen=True)
class SpecialCell:
    row: int  # 1-based, as Excel shows it
    column: int  # 0-based: A = 0
    kind: str  # ERROR | FORMULA
    text: str  # the error value (`#DIV/0!`) or the formula (`=A2*B2`)


def may_hold_special(data: bytes) -> bool:
    """Cheap test: could this piece of sheet XML hold a formula or an error-typed cell?"""
    return any(mark in data for mark in (b"<f", b":f>", b":f ", b'"e"', b"'e'"))


def _column_index(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number - 1


def special_cells(data: bytes) -> list[SpecialCell]:
    """Error cells and formula cells without a saved value in `data` (whole cells only)."""
    found: list[SpecialCell] = []
    for match in _CELL.finditer(data):
        attributes, content = match.group(1), match.group(2) or b""
        ref = _REF.search(attributes)
        if ref is None:
            continue
        kind = _TYPE.search(attributes)
        cell_type = kind.group(1) if kind else b"n"
        value = _VALUE.search(content)
        saved = value.group(1) if value and value.group(1) is not None else b""
        row, column = int(ref.group(2)), _column_index(ref.group(1))
        if cell_type == b"e" and saved:
            found.append(SpecialCell(row, column, ERROR, unescape(saved.decode("utf-8"))))
            continue
        formula = _FORMULA.search(content)
        unsaved = value is None or (not saved and cell_type not in _STRING_TYPES)
        if formula is not None and unsaved:
            text = unescape((formula.group(1) or b"").decode("utf-8", "replace"))
            found.append(SpecialCell(row, column, FORMULA, f"={text}" if text else "=(shared)"))
    return found
