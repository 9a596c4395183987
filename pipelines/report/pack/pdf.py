"""review.pdf: the review page printed to A4 landscape by Debian's headless Chromium, offline.

The page prints itself: its print stylesheet (templates/pack/print.css) keeps sections and
tables on one page where they fit, and its @page rule (`page_css`) writes the month and the
page number into every footer through CSS margin boxes. So the PDF is the chromium command
line's `--print-to-pdf`, with no browser driver to install, and a reader printing review.html
from a browser gets the same pages.

Chromium runs with a fresh profile, no network services, and a window as wide as the printed
page, so the plotly charts (drawn by JavaScript on load) are laid out at the width they are
printed at. `--virtual-time-budget` lets the page's scripts and timers run to completion
before it prints: the charts are drawn, not their empty boxes.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

from pipelines.errors import PdfNotWritten
from pipelines.labels import label

CHROMIUM = Path("/usr/bin/chromium")
# Another chromium binary (or a missing one, to see the message); tests and odd installs.
CHROMIUM_ENV = "AFTERSALES_CHROMIUM"
FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
    "--no-pdf-header-footer", "--hide-scrollbars",
)
# A4 landscape (297 mm) less the 2 x 12 mm side margins of print.css, in CSS pixels (96 / in):
# the width the charts are laid out at.
WINDOW = "--window-size=1032,720"
# Milliseconds of page time (timers, animation frames) run before printing; virtual time
# runs ahead while the page is idle, so a page that is done prints at once.
BUDGET = "--virtual-time-budget=30000"
TIMEOUT_SECONDS = 300
INSTALL = "`make browser` (or `apt-get install chromium fonts-noto-cjk`)"


def chromium() -> Path:
    return Path(os.environ.get(CHROMIUM_ENV) or CHROMIUM)


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _css_content(template: str, values: dict[str, str]) -> str:
    """A label with {page} and {pages} as a CSS `content` value: strings and counters."""
    parts: list[str] = []
    rest = template.format(month=values["month"], title=values["title"],
                           page="\0page\0", pages="\0pages\0")
    for i, piece in enumerate(rest.split("\0")):
        if i % 2:
            parts.append(f"counter({piece})")
        elif piece:
            parts.append(_css_string(piece))
    return " ".join(parts)


def page_css(month: str, title: str, lang: str) -> str:
    """The @page rule of a pack's page: its title bottom left, month and page bottom right."""
    values = {"month": month, "title": title}
    right = _css_content(label("pack", "pdf_footer", lang), values)
    font = 'font-family: "Noto Sans CJK SC", "Noto Sans", sans-serif; font-size: 8pt; color: #555;'
    return (
        "@page {"
        f" @bottom-left {{ content: {_css_string(title)}; {font} }}"
        f" @bottom-right {{ content: {right}; {font} }}"
        " }"
    )


def missing_sentence(out: Path) -> str | None:
    """The one sentence saying how to install Chromium, or None when it is there."""
    binary = chromium()
    if binary.is_file() and os.access(binary, os.X_OK):
        return None
    return (f"review.pdf was not written because Chromium is not installed at {binary}: "
            f"install it with {INSTALL} and run the report again with --pdf; "
            f"the HTML pack is in {out}.")


def print_pdf(page: Path, pdf: Path, out: Path) -> None:
    """Print the HTML file `page` to `pdf`; PdfNotWritten in one sentence when Chromium fails.

    `out` is where the pack will be, for the message.
    """
    sentence = missing_sentence(out)
    if sentence:
        raise PdfNotWritten(sentence)
    pdf.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="aftersales-chromium-") as profile:
        command = [str(chromium()), *FLAGS, f"--user-data-dir={profile}", WINDOW, BUDGET,
                   f"--print-to-pdf={pdf}", page.resolve().as_uri()]
        try:
            done = subprocess.run(command, capture_output=True, text=True,
                                  timeout=TIMEOUT_SECONDS, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise PdfNotWritten(_failed(pdf, out, type(exc).__name__)) from exc
    if done.returncode != 0 or not _is_pdf(pdf):
        last = next((line for line in reversed(done.stderr.splitlines()) if line.strip()), "")
        raise PdfNotWritten(_failed(pdf, out, f"exit status {done.returncode}: {last.strip()}"))


def _is_pdf(path: Path) -> bool:
    try:
        with path.open("rb") as file:
            return file.read(5) == b"%PDF-"
    except OSError:
        return False


def _failed(pdf: Path, out: Path, why: str) -> str:
    return (f"review.pdf was not written because Chromium failed to print it ({why.rstrip('.')}); "
            f"the HTML pack is in {out}; run the report again with --pdf.")
