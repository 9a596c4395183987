"""Files written whole or not at all, and a disk's refusal said in one sentence.

A full disk, a read-only folder or a missing folder is the user's to fix, so each becomes a
sentence naming the path and what to do, whether Python (`OSError`) or DuckDB (an error whose
text carries the operating system's message) met it.
"""

from __future__ import annotations

import errno
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path

from pipelines.errors import AftersalesError


class OutputNotWritten(AftersalesError):
    """A file could not be written: disk full, read-only folder, no such folder."""


def _sentence(kind: int | None, where: object, detail: str = "") -> str:
    if kind in (errno.ENOSPC, errno.EDQUOT):
        return (
            f"The disk holding {where} is full; free some space and run the command again."
        )
    if kind == errno.EFBIG:
        return f"{where} would grow past the largest file allowed here; write it elsewhere."
    if kind == errno.EROFS:
        return (
            f"{where} cannot be written: its folder is read-only for this user; run the "
            "command where it can write, or ask for write access to the folder."
        )
    if kind in (errno.EACCES, errno.EPERM):
        return (
            f"{where} is not open to this user (permission denied); run the command where "
            "it can write, or ask for access to the folder."
        )
    if kind == errno.ENOENT:
        return f"The folder of {where} does not exist; create it or give another path."
    return f"{where} could not be written ({detail}); check the path and the disk."


def os_error_sentence(error: OSError, path: Path | str | None = None) -> str:
    """What went wrong writing `path` (else the error's own file name) and what to do."""
    return _sentence(error.errno, path or error.filename or "a file", error.strerror or "")


# the operating system's words as DuckDB passes them on, e.g. 'Could not write file
# "/x/warehouse.duckdb.wal": No space left on device'
_DUCKDB_REASONS = {
    "No space left on device": errno.ENOSPC,
    "Disk quota exceeded": errno.EDQUOT,
    "Read-only file system": errno.EROFS,
    "Permission denied": errno.EACCES,
    "File too large": errno.EFBIG,
}
_QUOTED_PATH = re.compile(r'"([^"]+)"')


def disk_sentence(error: BaseException, default_path: Path | None = None) -> str | None:
    """One sentence for an error caused by the disk or the folder, else None."""
    if isinstance(error, OSError) and error.errno is not None:
        if error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EACCES,
                           errno.EPERM):
            return os_error_sentence(error, None if error.filename else default_path)
        return None
    text = str(error)
    for words, kind in _DUCKDB_REASONS.items():
        if words in text:
            quoted = _QUOTED_PATH.search(text)
            return _sentence(kind, quoted.group(1) if quoted else default_path or "a file")
    return None


def _umask() -> int:
    """The process's umask, read without setting it (os.umask would, for every thread)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except OSError:
        pass
    return 0o022


def write_atomically(path: Path, write: Callable[[Path], None]) -> Path:
    """Call `write(temporary)` on a file beside `path`, then rename it to `path`.

    A failure (disk full, interrupted) removes the temporary file and leaves `path` as it was.
    """
    path = Path(path)
    try:
        handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as error:
        raise OutputNotWritten(os_error_sentence(error, path)) from None
    os.close(handle)
    temporary = Path(name)
    try:
        write(temporary)
        os.chmod(temporary, 0o666 & ~_umask())  # as an ordinary new file, not mkstemp's 0600
        os.replace(temporary, path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise OutputNotWritten(os_error_sentence(error, path)) from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return path
