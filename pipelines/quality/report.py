"""A self-contained HTML page per checked file: what the gate found and where rows went.

Rendered from the validation summary and the gate's frames (no network, no Data Docs site).
"""

from __future__ import annotations

import html
import json
import re
from datetime import datetime
from importlib import resources
from pathlib import Path
from string import Template

import polars as pl

from pipelines.batch import GatedBatch
from pipelines.disk import write_atomically

SHOWN_ROWS = 500  # longer lists are cut; the warehouse tables hold every row


def _cell(value: object, css: str = "") -> str:
    text = "" if value is None else html.escape(str(value))
    return f'<td class="{css}">{text}</td>' if css else f"<td>{text}</td>"


def _columns(kwargs: dict) -> list[str]:
    """The columns an expectation reads: one, a pair, or a compound key."""
    if kwargs.get("column"):
        return [str(kwargs["column"])]
    if kwargs.get("column_A"):
        return [str(kwargs["column_A"]), str(kwargs.get("column_B"))]
    return [str(c) for c in kwargs.get("column_list") or []]


def gate_summary(gated: GatedBatch, suite_path: Path | None = None) -> str:
    """The gate's verdict as JSON facts, kept in the ledger (`ingest_batches.gate`) for the
    pack's per-file report, which words them in its own language: per expectation its type,
    severity, columns, result, failing rows and a few examples; the skipped rows by kind."""
    read = gated.read
    checks = [
        {
            "type": item.get("type"),
            "severity": item.get("severity"),
            "columns": _columns(item.get("kwargs", {})),
            "success": bool(item.get("success")),
            "unexpected_count": int(item.get("result", {}).get("unexpected_count") or 0),
            "examples": [str(v) for v in
                         (item.get("result", {}).get("partial_unexpected_list") or [])[:5]],
        }
        for item in gated.validation.get("results", [])
    ]
    return json.dumps({
        "suite": suite_path.name if suite_path else None,
        "checks": checks,
        "skipped": {"empty": read.rows_skipped_empty, "total": read.rows_skipped_total,
                    "repeat": read.rows_skipped_repeat},
    }, ensure_ascii=False)


def _expectation_rows(validation: dict) -> str:
    rows = []
    for item in validation.get("results", []):
        kwargs = item.get("kwargs", {})
        column = kwargs.get("column") or f"{kwargs.get('column_A')} / {kwargs.get('column_B')}"
        result = item.get("result", {})
        examples = ", ".join(str(v) for v in (result.get("partial_unexpected_list") or [])[:5])
        ok = item.get("success")
        verdict = "pass" if ok else ("fail" if item.get("severity") == "error" else "warn")
        rows.append(
            "<tr>"
            + _cell(item.get("severity"))
            + _cell(item.get("type"))
            + _cell(column)
            + _cell("passed" if ok else "failed", verdict)
            + _cell(result.get("unexpected_count", 0), "num")
            + _cell(examples)
            + "</tr>"
        )
    return "\n".join(rows)


def _frame_rows(frame: pl.DataFrame, columns: list[str]) -> str:
    head = frame.head(SHOWN_ROWS).select(columns)
    return "\n".join("<tr>" + "".join(_cell(v) for v in row) + "</tr>" for row in head.iter_rows())


def _note(frame: pl.DataFrame) -> str:
    return f" (first {SHOWN_ROWS} of {frame.height})" if frame.height > SHOWN_ROWS else ""


def write_quality_report(
    gated: GatedBatch, batch_id: str, out_dir: Path, suite_path: Path | None = None
) -> Path:
    """Write `<out_dir>/<batch_id>.html` and return its path."""
    page = render_quality_page(gated, batch_id, suite_path)
    return _write_page(out_dir / f"{batch_id}.html", page)


def _write_page(path: Path, page: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    # whole or not at all: a full disk leaves no empty report behind
    return write_atomically(path, lambda part: part.write_text(page, encoding="utf-8"))


def write_grouped_report(pages: list[tuple[str, str, str]], path: Path) -> Path:
    """One page for many files of one ingest: a list of the files, then each file's page
    (`render_quality_page`) as a section of its own, anchored by its batch id.

    `pages` holds (batch id, file name, page) in file order; 500 one-row files make one
    page, not 500.
    """
    title = f"<title>Data quality: {len(pages)} files of one ingest</title>"
    head = re.sub(r"<title>.*?</title>", title, pages[0][2].split("<body>", 1)[0], flags=re.S)
    listing = "\n".join(
        f'<li><a href="#{html.escape(b)}">{html.escape(name)}</a> ({html.escape(b)})</li>'
        for b, name, _ in pages
    )
    sections = "\n".join(
        f'<section id="{html.escape(b)}">{page.split("<body>", 1)[1].rsplit("</body>", 1)[0]}'
        "</section>"
        for b, _, page in pages
    )
    page = (
        f"{head}<body>\n<h1>Data quality: {len(pages)} files of one ingest</h1>\n"
        f"<ol>\n{listing}\n</ol>\n{sections}\n</body>\n</html>\n"
    )
    return _write_page(path, page)


def render_quality_page(gated: GatedBatch, batch_id: str, suite_path: Path | None = None) -> str:
    """The data-quality page of one checked file: what the gate found, where rows went."""
    read = gated.read
    template = Template(
        resources.files("pipelines.quality")
        .joinpath("templates/data_quality.html")
        .read_text(encoding="utf-8")
    )
    held = gated.quarantine.height
    banner = (
        f"{held} row(s) held back in quarantine; the rest of the file loaded."
        if held
        else "Every row passed the error-level checks."
    )
    page = template.substitute(
        file_name=html.escape(read.path.name),
        file_path=html.escape(str(read.path)),
        source=html.escape(read.source.name),
        batch_id=html.escape(batch_id),
        sha256=read.sha256,
        checked_at=datetime.now().strftime("%Y-%m-%d %H:%M:%S"),
        suite_path=html.escape(str(suite_path or "")),
        banner=html.escape(banner),
        banner_class="held" if held else "ok",
        rows_read=read.rows_read,
        rows_loaded=gated.clean.height,
        rows_quarantined=held,
        rows_skipped=read.rows_skipped,
        rows_warned=gated.rows_warned,
        skipped_detail=(
            f"{read.rows_skipped_empty} empty, {read.rows_skipped_total} total rows, "
            f"{read.rows_skipped_repeat} identical repeats"
        ),
        expectation_rows=_expectation_rows(gated.validation),
        quarantine_note=_note(gated.quarantine),
        quarantine_rows=_frame_rows(
            gated.quarantine, ["row_number", "natural_key", "reasons", "record"]
        ),
        warning_note=_note(gated.warnings),
        warning_rows=_frame_rows(
            gated.warnings, ["row_number", "natural_key", "column_name", "message"]
        ),
    )
    return page
