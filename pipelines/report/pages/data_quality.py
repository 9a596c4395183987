"""The data-quality and lineage page's sections (SPEC §7 item 10)."""

from __future__ import annotations

import polars as pl

from pipelines.labels import names, t
from pipelines.report.pages import file_names, file_quality, queries
from pipelines.report.pages.page import Page
from pipelines.report.render import localize, markup

TABLE_ROWS = 200
# The facts columns of a warning, which a warehouse written before they existed lacks.
WARNING_FACTS = ("code", "value", "other", "other_column")


def batches(p: Page) -> markup.Html:
    frame = queries.batches(p.con)
    cols = [(c, t(c, p.lang)) for c in (
        "file_name", "source", "rows_read", "rows_loaded", "rows_quarantined", "rows_skipped",
        "rows_warned", "status", "finished_at", "sha256")]
    frame = frame.rename({"file_sha256": "sha256"}).with_columns(
        _named("source", "source", p.lang), _named("status", "batch_status", p.lang)
    )
    return _titled(t("batches", p.lang),
                   markup.table(frame, cols, css_class="as-table as-batches", empty=_none(p)))


def quarantine(p: Page) -> markup.Html:
    frame = _with_columns(queries.quarantine_rows(p.con), ("findings",))
    shown = localize.quarantine_reasons(frame.head(TABLE_ROWS), p.lang).with_columns(
        _named("source", "source", p.lang)
    )
    cols = [("file_name", t("file_name", p.lang)), ("source", t("source", p.lang)),
            ("row_number", t("row_number", p.lang)), ("reasons", t("reasons", p.lang)),
            ("record", t("record", p.lang))]
    count = markup.note(t("showing", p.lang, shown=shown.height, total=frame.height))
    return _titled(t("quarantine_rows", p.lang),
                   count + markup.table(shown, cols, css_class="as-table as-quarantine",
                                        empty=_none(p)))


def warnings(p: Page) -> markup.Html:
    summary = queries.warning_summary(p.con)
    example = _with_columns(summary["example"].struct.unnest(), WARNING_FACTS)
    worded = localize.warning_texts(
        example.select("source", "column_name", "check_name", "message", *WARNING_FACTS),
        p.lang,
    )
    frame = summary.with_columns(
        worded["message"], worded["check_name"], worded["column_name"].fill_null(""),
        _named("source", "source", p.lang),
    )
    cols = [("file_name", t("file_name", p.lang)), ("source", t("source", p.lang)),
            ("check_name", t("check", p.lang)), ("column_name", t("column", p.lang)),
            ("findings", t("rows", p.lang)), ("message", t("message", p.lang))]
    return _titled(t("warnings", p.lang), markup.table(frame.head(TABLE_ROWS), cols,
                                                         empty=_none(p)))


def report_links(p: Page, output_dir: str = "") -> markup.Html:
    """Links to the per-file data-quality reports the pack writes beside this page
    (data-quality/<file>.html, pipelines/report/pages/file_quality.py): relative, inside the
    pack's folder wherever it is (`output_dir` is no longer needed)."""
    frame = file_quality.files(p)
    if not frame.height:
        return _titled(t("dq_reports", p.lang), markup.note(t("no_reports", p.lang)))
    paths = file_quality.report_names(frame)
    sources = names("source", p.lang)
    items = "".join(
        f'<li><a href="{markup.esc(file_names.href(paths[row["batch_id"]]))}">'
        f'{markup.esc(row["file_name"])}</a> <small>'
        f'{markup.esc(sources.get(row["source"] or "", row["source"] or ""))} · '
        f'{row["finished_at"]:%Y-%m-%d %H:%M}</small></li>'
        for row in frame.iter_rows(named=True)
    )
    return _titled(t("dq_reports", p.lang), markup.Html(f'<ul class="as-links">{items}</ul>'))


def manifest(p: Page, run: dict) -> markup.Html:
    params = pl.DataFrame(
        {"name": list(run["parameters"]), "value": [str(v) for v in run["parameters"].values()]}
    )
    packages = pl.DataFrame(
        {"name": list(run["packages"]), "value": list(run["packages"].values())}
    )
    version = f"{t('code_version', p.lang)}: {run['code_version']} · Python {run['python']}"
    return _titled(
        t("manifest", p.lang),
        markup.note(version)
        + markup.table(params, [("name", t("parameter", p.lang)), ("value", t("value", p.lang))])
        + markup.table(packages, [("name", t("package", p.lang)),
                                  ("value", t("version", p.lang))]),
    )


def _named(column: str, group: str, lang: str) -> pl.Expr:
    """A code column shown by its label of `group` in `lang` (unknown codes as they are)."""
    return pl.col(column).replace(names(group, lang))


def _with_columns(frame: pl.DataFrame, names: tuple[str, ...]) -> pl.DataFrame:
    """`frame` with every column of `names`, all-null where the warehouse has none yet."""
    missing = [pl.lit(None, dtype=pl.String).alias(n) for n in names if n not in frame.columns]
    return frame.with_columns(missing) if missing else frame


def _none(p: Page) -> str:
    return t("none", p.lang)


def _titled(title: str, body: str) -> markup.Html:
    return markup.Html(markup.heading(title) + body)
