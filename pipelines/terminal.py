"""The command's consoles and how it names itself in the hints it prints.

Output to a log file or a CI job is not a terminal: rich would wrap every line at 80 columns
and break a table row over several lines, so there the width is effectively unbounded and each
row stays one line that `grep` finds.
"""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from pathlib import Path

from rich.console import Console

UNBOUNDED_WIDTH = 100_000


def _width(stream) -> int | None:
    """None (rich's own: the terminal's width) on a terminal; elsewhere, no wrapping."""
    isatty = getattr(stream, "isatty", None)
    return None if isatty and isatty() else UNBOUNDED_WIDTH


def stdout_console() -> Console:
    return Console(highlight=False, soft_wrap=False, width=_width(sys.stdout))


def stderr_console() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True, width=_width(sys.stderr))


def command_name() -> str:
    """`aftersales` as the user can type it again: the way it was invoked (sys.argv[0]) when
    that is not simply the `aftersales` found on PATH, e.g. `.venv/bin/aftersales`."""
    invoked = sys.argv[0] if sys.argv else ""
    if Path(invoked).name != "aftersales":
        return "aftersales"  # run from a test runner or `python -m`
    on_path = shutil.which("aftersales")
    try:
        if on_path and os.path.samefile(on_path, invoked):
            return "aftersales"
    except OSError:
        return "aftersales"
    absolute = Path(os.path.abspath(invoked))
    try:
        shown = str(absolute.relative_to(Path.cwd()))
    except ValueError:
        shown = str(absolute)
    return shlex.quote(shown)


def runnable(message: str) -> str:
    """A message's `aftersales ...` hints typed the way this command was invoked."""
    name = command_name()
    return message if name == "aftersales" else message.replace("`aftersales ", f"`{name} ")
