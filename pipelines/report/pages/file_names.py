"""The names of the per-file data-quality reports inside a pack: `data-quality/<file>.html`.

A report is named by the file it describes, so a reader finds `2026-10.xlsx.html` beside the
pack's pages. The names must be safe on every file system a zipped pack is opened on (no
`<>:"/\\|?*`, no control characters, no Windows device names, not too long) and unique
without regard to case (macOS and Windows fold it): two `complaints.csv` from different
folders take their folder's name in front; the same file loaded twice (a re-export) is
numbered in the order it came in. Both the pack builder, writing the reports, and the
data-quality page, linking them, name them here from the same ledger rows.
"""

from __future__ import annotations

import re
from pathlib import PurePath, PureWindowsPath
from urllib.parse import quote

FOLDER = "data-quality"
MAX_NAME = 120  # characters of a name before ".html": well inside every file system's limit
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*#%]+')
_DEVICES = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)),
            *(f"lpt{i}" for i in range(1, 10))}


def safe_name(name: str) -> str:
    """`name` as a portable file name: unsafe characters as `_`, no leading or trailing dots
    and spaces, no device name, at most MAX_NAME characters."""
    cleaned = _UNSAFE.sub("_", name).strip(" .")
    if not cleaned:
        cleaned = "file"
    if cleaned.split(".")[0].lower() in _DEVICES:
        cleaned = "_" + cleaned
    return cleaned[:MAX_NAME].rstrip(" .") or "file"


def _folder_of(path: str | None) -> str:
    """The name of the folder a file was read from, from a POSIX or a Windows path."""
    if not path:
        return ""
    pure = PureWindowsPath(path) if "\\" in path else PurePath(path)
    return pure.parent.name


def report_names(files: list[tuple[str, str, str | None]]) -> dict[str, str]:
    """batch_id -> 'data-quality/<name>.html' for ledger rows (batch_id, file_name,
    file_path) in the order the files came in."""
    first = {batch: safe_name(name) for batch, name, _ in files}
    taken: dict[str, int] = {}
    for name in first.values():
        taken[name.lower()] = taken.get(name.lower(), 0) + 1
    names: dict[str, str] = {}
    used: set[str] = set()
    for batch, name, path in files:
        chosen = first[batch]
        if taken[chosen.lower()] > 1 and _folder_of(path):
            chosen = safe_name(f"{_folder_of(path)}_{name}")
        candidate, number = chosen, 2
        while candidate.lower() in used:
            candidate = f"{chosen[:MAX_NAME - 12].rstrip(' .')} ({number})"
            number += 1
        used.add(candidate.lower())
        names[batch] = f"{FOLDER}/{candidate}.html"
    return names


def href(name: str) -> str:
    """A relative link to `name` (a report's path inside the pack), percent-encoded."""
    return quote(name, safe="/")
