"""The per-file data-quality reports of a pack (SPEC §10): one page per file in the ledger,
written inside the month's folder in the pack's language, so the folder can be zipped and
sent as it is.

Everything comes from the warehouse: the ledger row (counts, SHA-256, the gate's verdict per
expectation in `gate`), the file's quarantined rows and warnings, worded like the
data-quality page words them. The ingest's own report under reports/data-quality/ stays
where it is, the ingest's record; the pack never links outside its folder.
"""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl

from pipelines.labels import label, names, t
from pipelines.report import TEMPLATES
from pipelines.report.pages import file_names, queries
from pipelines.report.pages.page import Page
from pipelines.report.render import localize, markup

SHOWN_ROWS = 500  # longer lists are cut; the warehouse tables hold every row
QUARANTINE_FACTS = ("findings",)
WARNING_FACTS = ("code", "value", "other", "other_column")
INVALID_SUFFIX = "__invalid"  # the gate's column of a value that did not parse


def files(p: Page) -> pl.DataFrame:
    """The ledger, one row per file in the order the files came in."""
    frame = queries.query(p.con, "file_reports")
    return frame if "gate" in frame.columns else frame.with_columns(gate=pl.lit(None))


def report_names(frame: pl.DataFrame) -> dict[str, str]:
    """batch_id -> the report's path inside the pack."""
    return file_names.report_names(list(frame.select("batch_id", "file_name", "file_path")
                                        .iter_rows()))


def write_reports(p: Page, folder: Path) -> dict[str, str]:
    """Write every file's report under `folder` (the pack being built); batch_id -> name."""
    frame = files(p)
    paths = report_names(frame)
    for row in frame.iter_rows(named=True):
        target = folder / paths[row["batch_id"]]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page_html(p, row), encoding="utf-8")
    return paths


def _w(key: str, lang: str, **values: object) -> str:
    text = label("pack", key, lang)
    return text.format(**values) if values else text


def page_html(p: Page, row: dict) -> str:
    """One file's report: banner, the file, its rows, the expectations, quarantine, warnings."""
    lang = p.lang
    esc = markup.esc
    title = _w("file_report_title", lang, file=row["file_name"])
    css = (TEMPLATES / "pack" / "pack.css").read_text(encoding="utf-8")
    back = (f'<p><a href="../data_quality.html">← {esc(t("dq_title", lang))}</a> · '
            f'<a href="../index.html">{esc(t("index_title", lang))}</a></p>')
    body = [back, f"<h1>{esc(title)}</h1>", _banner(row, lang), _file_facts(row, lang),
            _rows(row, lang), _expectations(row, lang)]
    if row["status"] != "rejected":
        body += [_quarantine(p, row), _warnings(p, row)]
    lang_code = "zh-CN" if lang == "zh" else "en"
    return (
        f'<!DOCTYPE html><html lang="{lang_code}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1.0">'
        f"<title>{esc(title)}</title><style>{css}</style></head><body>"
        + "".join(body) + "</body></html>"
    )


def _banner(row: dict, lang: str) -> str:
    if row["status"] == "rejected":
        text = _w("file_rejected", lang, message=row["message"] or "")
    elif row["rows_quarantined"]:
        text = _w("file_held", lang, n=f"{row['rows_quarantined']:,}")
    else:
        return markup.note(_w("file_passed", lang))
    return f'<div class="as-banner" role="alert">{markup.esc(text)}</div>'


def _two_columns(pairs: list[tuple[str, object]]) -> str:
    esc = markup.esc
    rows = "".join(f"<tr><th>{esc(k)}</th><td>{esc(str(v))}</td></tr>" for k, v in pairs)
    return f'<table class="as-table as-batches"><tbody>{rows}</tbody></table>'


def _column_name(source: str | None, column: str, columns: dict[tuple, str]) -> str:
    """A column's name in the pack's language; the gate's helper column `<column>__invalid`
    (the values of <column> that did not parse) by its column's name."""
    base = column.removesuffix(INVALID_SUFFIX)
    return columns.get((source, base), base)


def _file_facts(row: dict, lang: str) -> str:
    gate = _gate(row)
    pairs = [
        (t("source", lang), names("source", lang).get(row["source"] or "", row["source"])),
        (t("status", lang), names("batch_status", lang).get(row["status"], row["status"])),
        (_w("file_path", lang), row["file_path"]),
        (t("sha256", lang), row["file_sha256"]),
        (_w("batch", lang), row["batch_id"]),
        (_w("sheet", lang), row.get("sheet")),
        (_w("encoding", lang), row.get("encoding")),
        (_w("header_row", lang), row.get("header_row")),
        (t("finished_at", lang), f"{row['finished_at']:%Y-%m-%d %H:%M:%S}"),
        (_w("suite", lang), gate.get("suite") if gate else None),
    ]
    return markup.heading(_w("file_facts", lang)) + _two_columns(
        [(k, v) for k, v in pairs if v not in (None, "")])


def _rows(row: dict, lang: str) -> str:
    keys = ("rows_read", "rows_loaded", "rows_quarantined", "rows_skipped", "rows_warned")
    frame = pl.DataFrame({k: [row[k]] for k in keys})
    skipped = (_gate(row) or {}).get("skipped")
    detail = markup.note(_w("skipped_detail", lang, **skipped)) if skipped else ""
    return (markup.heading(_w("file_rows", lang))
            + markup.table(frame, [(k, t(k, lang)) for k in keys]) + detail)


def _gate(row: dict) -> dict | None:
    try:
        gate = json.loads(row["gate"]) if row.get("gate") else None
    except ValueError:
        return None
    return gate if isinstance(gate, dict) else None


def _expectations(row: dict, lang: str) -> str:
    heading = markup.heading(_w("expectations", lang))
    if row["status"] == "rejected":
        return ""
    gate = _gate(row)
    if gate is None:
        return heading + markup.note(_w("no_gate", lang))
    columns = {(s, c): n for s, c, n in localize.column_labels(lang).iter_rows()}
    checks = pl.DataFrame(
        [{
            "severity": _w(f"severity_{c.get('severity')}", lang)
            if c.get("severity") in ("error", "warning") else c.get("severity"),
            "type": c.get("type"),
            "columns": " / ".join(_column_name(row["source"], col, columns)
                                  for col in c.get("columns") or []),
            "result": _w("passed" if c.get("success") else "failed", lang),
            "unexpected_count": int(c.get("unexpected_count") or 0),
            "examples": ", ".join(c.get("examples") or []),
        } for c in gate.get("checks") or []],
        schema={"severity": pl.String, "type": pl.String, "columns": pl.String,
                "result": pl.String, "unexpected_count": pl.Int64, "examples": pl.String},
    )
    cols = [("severity", _w("severity", lang)), ("type", _w("expectation", lang)),
            ("columns", t("column", lang)), ("result", _w("result", lang)),
            ("unexpected_count", _w("failing_rows", lang)), ("examples", _w("examples", lang))]
    return heading + markup.table(checks, cols, empty=t("none", lang))


def _with_columns(frame: pl.DataFrame, columns: tuple[str, ...]) -> pl.DataFrame:
    missing = [pl.lit(None, dtype=pl.String).alias(c) for c in columns if c not in frame.columns]
    return frame.with_columns(missing) if missing else frame


def _quarantine(p: Page, row: dict) -> str:
    frame = _with_columns(queries.query(p.con, "file_quarantine", batch_id=row["batch_id"],
                                        rows=SHOWN_ROWS), QUARANTINE_FACTS)
    if frame.height:
        frame = localize.quarantine_reasons(frame, p.lang)
    cols = [("row_number", t("row_number", p.lang)), ("natural_key", _w("key", p.lang)),
            ("reasons", t("reasons", p.lang)), ("record", t("record", p.lang))]
    count = markup.note(t("showing", p.lang, shown=frame.height, total=row["rows_quarantined"]))
    return (markup.heading(t("quarantine_rows", p.lang)) + count
            + markup.table(frame, cols, css_class="as-table as-quarantine",
                           empty=t("none", p.lang)))


def _warnings(p: Page, row: dict) -> str:
    frame = _with_columns(queries.query(p.con, "file_warnings", batch_id=row["batch_id"],
                                        rows=SHOWN_ROWS), WARNING_FACTS)
    if frame.height:
        frame = localize.warning_texts(frame, p.lang)
    cols = [("row_number", t("row_number", p.lang)), ("natural_key", _w("key", p.lang)),
            ("column_name", t("column", p.lang)), ("check_name", t("check", p.lang)),
            ("message", t("message", p.lang))]
    return markup.heading(t("warnings", p.lang)) + markup.table(
        frame, cols, css_class="as-table as-quarantine", empty=t("none", p.lang))
