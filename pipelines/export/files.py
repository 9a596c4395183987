"""Write an output file whole or not at all, and say in one sentence why it could not be."""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from pipelines.errors import AftersalesError


class OutputNotWritten(AftersalesError):
    """An output file could not be written (disk full, read-only folder, no such folder)."""


def os_error_sentence(error: OSError, path: Path | str | None = None) -> str:
    """What went wrong writing `path` and what to do, for the errors a user can fix."""
    where = path or error.filename or "a file"
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"The disk holding {where} is full; free some space and run the command again."
    if error.errno == errno.EFBIG:
        return f"{where} would grow past the largest file allowed here; write it elsewhere."
    if error.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return (
            f"{where} cannot be written: its folder is read-only for this user; choose a "
            "writable folder or ask for write access."
        )
    if error.errno == errno.ENOENT:
        return f"The folder of {where} does not exist; create it or give another path."
    return f"{where} could not be written ({error.strerror or error}); check the path."


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
        os.replace(temporary, path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise OutputNotWritten(os_error_sentence(error, path)) from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return path
