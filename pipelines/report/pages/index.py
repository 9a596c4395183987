"""index.html of the pack: header, amber banner when rows are held back, links to every page."""

from __future__ import annotations

from pipelines.labels import t
from pipelines.report import TEMPLATES, PageSpec
from pipelines.report.pages.headlines import headlines
from pipelines.report.pages.page import Page
from pipelines.report.render import markup


def index_html(p: Page, pages: list[PageSpec]) -> str:
    """The landing page; every link is relative and inside the pack's folder, so the folder
    can be mailed or moved (the data-quality page links the per-file reports)."""
    esc = markup.esc
    items = "".join(
        f'<li><a href="{esc(page.notebook)}.html">{esc(page.title)}</a> '
        f'<small>(<a href="{esc(page.notebook)}.ipynb">{esc(t("executed_nb", p.lang))}</a>)'
        "</small></li>"
        for page in pages
    )
    items += f'<li><a href="manifest.json">{esc(t("manifest", p.lang))}</a> (manifest.json)</li>'
    css = (TEMPLATES / "pack" / "pack.css").read_text(encoding="utf-8")
    title = t("index_title", p.lang)
    lang_code = "zh-CN" if p.lang == "zh" else "en"
    return (
        f'<!DOCTYPE html><html lang="{lang_code}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1.0">'
        f"<title>{esc(title)} {p.month:%Y-%m}</title><style>{css}</style></head><body>"
        + p.header("index_title")
        + f'<h2>{esc(t("pages", p.lang))}</h2><nav class="as-pages"><ul>{items}</ul></nav>'
        + f'<h2>{esc(t("index_scorecard", p.lang))}</h2>'
        + p.scorecard()
        + headlines(p, "review.html")
        + "</body></html>"
    )
