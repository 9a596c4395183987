"""Write the group pack: `index.html` in the pack folder, written whole or not at all.

The folder may hold other files (a PDF, the user's notes): they are kept; only `index.html`
is ours, replaced atomically. A PDF of the page can be made from the returned path
(`write_group_pack` returns the HTML file it wrote).
"""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path

from pipelines.errors import ReportFailed
from pipelines.group.facts import read_facts
from pipelines.group.page import render_page
from pipelines.labels import check_lang
from pipelines.warehouse.reading import open_retrying

PAGE = "index.html"


def default_out(project_dir: Path, month: date) -> Path:
    return project_dir / "reports" / "group" / f"{month:%Y-%m}"


def write_group_pack(
    warehouse: Path, month: date | None, lang: str, out: Path | None, project_dir: Path
) -> Path:
    """Read the group warehouse (read-only) and write the page; returns its path."""
    check_lang(lang)
    con = open_retrying(warehouse, read_only=True, wait_seconds=30)
    try:
        facts = read_facts(con, month)
    finally:
        con.close()
    folder = out or default_out(project_dir, facts.month)
    page = folder / PAGE
    partial = folder / f".{PAGE}.partial"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        partial.write_text(render_page(facts, lang, datetime.now()), encoding="utf-8")
        os.replace(partial, page)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise ReportFailed(
            f"The group pack cannot be written to {folder} ({exc.strerror}); choose a folder "
            "you can write to with --out."
        ) from None
    return page
