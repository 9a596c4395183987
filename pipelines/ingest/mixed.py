"""A text file whose lines are not all in one encoding: no line loaded as mojibake.

A GBK export with one line pasted from a UTF-8 file (or the reverse) still decodes "fine" as
a whole more often than not: UTF-8's three-byte Chinese characters are valid GBK byte pairs,
and the result is mojibake (`涓枃`) in the warehouse. So a file that is not valid UTF-8 is
converted line by line: each line decodes in the file's encoding or is marked (SPEC §12),
and the row it belongs to is quarantined naming the encoding problem. A marked line is
decoded in its own encoding for the quarantine record (the user sees the text they wrote).
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass

import polars as pl

from pipelines.ingest.problems import MARK_SCHEMA, MIXED_ENCODING

VOTE_BYTES = 4 * 1024 * 1024  # the file's encoding is voted on by the lines of its start
_U8 = (  # one UTF-8 character other than a newline
    rb"(?:[\x00-\x09\x0b-\x7f]|[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}"
    rb"|[\xf0-\xf4][\x80-\xbf]{3})"
)
_HIGH_LINE = re.compile(rb"^[^\n]*?[\x80-\xff]", re.M)  # a line with a non-ASCII byte
_UTF8_LINE = re.compile(rb"^(?=" + _U8 + rb"*$)[^\n]*?[\x80-\xff]", re.M)
# A line that is UTF-8 holding a three-byte character (Chinese): a GBK line is that only by
# a rare chance, a UTF-8 Chinese line nearly always.
_UTF8_CJK_LINE = re.compile(rb"^(?=" + _U8 + rb"*$)[^\n]*?[\xe0-\xef][\x80-\xbf]{2}", re.M)
NAMES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "gbk": "GBK", "gb18030": "GB18030"}


@dataclass(frozen=True)
class Converted:
    """The file as UTF-8 bytes and the lines not in its encoding (MARK_SCHEMA, by line)."""

    data: bytes
    marks: pl.DataFrame


def mostly_utf8(data: bytes) -> bool:
    """True when most lines with non-ASCII bytes among the file's first VOTE_BYTES are UTF-8."""
    sample = data[:VOTE_BYTES]
    high = sum(1 for _ in _HIGH_LINE.finditer(sample))
    utf8 = sum(1 for _ in _UTF8_LINE.finditer(sample))
    return high > 0 and utf8 * 2 > high


def undecodable_lines(data: bytes, codec: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each line (without its newline) that does not decode in `codec`."""
    view = memoryview(data)
    decode = codecs.getdecoder(codec)
    pos = 0
    while pos < len(data):
        try:
            decode(view[pos:], "strict")
            return
        except UnicodeDecodeError as exc:
            bad = pos + exc.start
            start = data.rfind(b"\n", 0, bad) + 1
            end = data.find(b"\n", bad)
            end = len(data) if end < 0 else end
            yield start, end
            pos = end + 1


def foreign_lines(data: bytes, codec: str) -> list[tuple[int, int]]:
    """The lines of `data` (a file in `codec`) that are not text in `codec`: undecodable ones,
    and in a GBK/GB18030 file the lines that are UTF-8 Chinese (they would decode as mojibake)."""
    spans = set(undecodable_lines(data, codec))
    if codec in ("gbk", "gb18030"):
        for match in _UTF8_CJK_LINE.finditer(data):
            end = data.find(b"\n", match.start())
            spans.add((match.start(), len(data) if end < 0 else end))
    return sorted(spans)


def _own_text(line: bytes, codec: str) -> tuple[str, str]:
    """A foreign line's text in its own encoding, and that encoding's name (or `unknown`)."""
    for own in ("utf-8", "gb18030"):
        if own != codec:
            try:
                return line.decode(own), NAMES[own]
            except UnicodeDecodeError:
                continue
    return line.decode(codec, "replace"), "unknown"


def to_utf8(data: bytes, codec: str) -> Converted:
    """`data` decoded as `codec`, line by line where lines are foreign, as UTF-8 bytes."""
    if data.startswith(codecs.BOM_UTF8) and codec.startswith("utf-8"):
        data = data[len(codecs.BOM_UTF8):]
        codec = "utf-8"
    spans = foreign_lines(data, codec)
    pieces: list[str] = []
    rows: list[tuple[int, str]] = []
    pos = line = 0
    for start, end in spans:
        pieces.append(data[pos:start].decode(codec))
        line += data.count(b"\n", pos, start)
        text, own = _own_text(data[start:end], codec)
        pieces.append(text)
        rows.append((line + 1, own))
        pos = end
    pieces.append(data[pos:].decode(codec))
    marks = pl.DataFrame(
        {
            "source_row": [r for r, _ in rows],
            "cell": [None] * len(rows),
            "code": [MIXED_ENCODING] * len(rows),
            "value": [own for _, own in rows],
            "other": [NAMES.get(codec, codec)] * len(rows),
        },
        schema=MARK_SCHEMA,
    )
    return Converted("".join(pieces).encode("utf-8"), marks)
