"""Which text encoding a CSV export uses, so Chinese text is never garbled.

Chinese Excel saves "CSV" in GBK; newer tools write UTF-8, with or without a BOM. A strict
UTF-8 check over the whole file comes first (streamed; pure-ASCII stretches are passed over
without decoding). A file that fails it is mostly UTF-8 with a few foreign lines (by the
vote of its lines, `mixed.mostly_utf8`), or GBK, or GB18030 (a superset of GBK), each allowing
a few lines that do not decode (the reader marks them: `mixed`); charset-normalizer settles
anything else. Binary content is rejected, not guessed.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path

from charset_normalizer import from_bytes

from pipelines.errors import FileRejected
from pipelines.ingest.mixed import mostly_utf8, undecodable_lines

CHUNK_BYTES = 16 * 1024 * 1024  # the UTF-8 check reads the file in pieces of this size
_SAMPLE = 64 * 1024
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")
FOREIGN_SHARE = 0.1  # at most this share of a file's lines may fail its encoding


@dataclass(frozen=True)
class TextEncoding:
    """The encoding of a text file and whether a quote character occurs anywhere in it."""

    name: str  # a Python codec name: utf-8, utf-8-sig, gbk, gb18030, utf-16, ...
    has_quotes: bool = True  # False lets the reader skip counting newlines inside quotes
    mixed: bool = False  # UTF-8 but for some lines: read line by line (`mixed.to_utf8`)

    @property
    def is_utf8(self) -> bool:
        return self.name in ("utf-8", "utf-8-sig")

    @property
    def by_line(self) -> bool:
        """Converted line by line, each line in the file's encoding or marked as foreign."""
        return self.mixed or self.name in ("gbk", "gb18030")


def detect_encoding(path: Path) -> TextEncoding:
    """The encoding of a CSV file; FileRejected when the bytes are not text."""
    with path.open("rb") as handle:
        sample = handle.read(_SAMPLE)
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return TextEncoding("utf-16")
    if b"\x00" in sample:
        raise _binary(path)
    bom = sample.startswith(codecs.BOM_UTF8)
    valid, has_quotes = _is_utf8(path)
    if valid:
        return TextEncoding("utf-8-sig" if bom else "utf-8", has_quotes)
    data = path.read_bytes()
    if mostly_utf8(data):
        _check_text(path, data[:_SAMPLE].decode("utf-8", "replace"))
        return TextEncoding("utf-8-sig" if bom else "utf-8", mixed=True)
    # Whole files first (GB18030 holds characters GBK lacks), then a few foreign lines.
    lines = data.count(b"\n") + 1
    for allowed in (0, max(1, int(FOREIGN_SHARE * lines))):
        for name in ("gbk", "gb18030"):
            if _foreign_lines_at_most(data, name, allowed):
                _check_text(path, data[:_SAMPLE].decode(name, "replace"))
                return TextEncoding(name)
    best = from_bytes(data).best()
    if best is None:
        raise _binary(path)
    _check_text(path, str(best)[:_SAMPLE])
    return TextEncoding(best.encoding)


def _foreign_lines_at_most(data: bytes, codec: str, allowed: int) -> bool:
    """True when no more than `allowed` lines of `data` fail to decode in `codec`."""
    for foreign, _ in enumerate(undecodable_lines(data, codec), start=1):
        if foreign > allowed:
            return False
    return True


def _is_utf8(path: Path) -> tuple[bool, bool]:
    """Strict UTF-8 over the whole file in chunks (memory stays flat on huge exports).

    A chunk of pure ASCII is valid UTF-8 as it stands, so only chunks holding other bytes
    (or a character split across two chunks) are decoded.
    """
    has_quotes = False
    carry = b""  # the start of a character cut off at the end of the previous chunk
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK_BYTES):
            has_quotes = has_quotes or b'"' in chunk
            if not carry and chunk.isascii():
                continue
            data = carry + chunk
            try:
                _, used = codecs.utf_8_decode(data, "strict", False)
            except UnicodeDecodeError:
                return False, True
            carry = data[used:]
    return not carry, has_quotes


def _check_text(path: Path, text: str) -> None:
    controls = len(_CONTROL.findall(text))
    if controls > max(2, len(text) // 100):
        raise _binary(path)


def _binary(path: Path) -> FileRejected:
    return FileRejected(
        f"File {path.name} is not readable text (binary content or an unknown encoding); "
        "export it again as CSV (UTF-8 or GBK) or XLSX."
    )
