"""index.html of the pack: header, amber banner when rows are held back, links to every page,
the scorecard and the month's findings.

The scorecard and the findings are the review notebook's own outputs (its cells tagged
`index-scorecard` and `index-findings`), taken from the executed notebook: computing them
again for the landing page cost as much as the review page's heaviest cells (the KPI views and
the action list over every delivery line), beside it on the same two cores, and the landing
page then shows exactly what the review page shows. A review notebook without those tags (a
project's copy from an earlier version) has them computed here instead.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from pipelines.labels import t
from pipelines.report import TEMPLATES, PageSpec
from pipelines.report.pages.headlines import headlines
from pipelines.report.pages.page import Page
from pipelines.report.render import markup

if TYPE_CHECKING:  # the pack's process imports nbformat while its KPI snapshot is computed
    import nbformat

SCORECARD_TAG = "index-scorecard"
FINDINGS_TAG = "index-findings"


def index_html(p: Page, pages: list[PageSpec], review: nbformat.NotebookNode | None = None) -> str:
    """The landing page; every link is relative and inside the pack's folder, so the folder
    can be mailed or moved (the data-quality page links the per-file reports). `review` is the
    executed review notebook, `pages[0]`."""
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
    review_page = f"{pages[0].notebook}.html"
    scorecard = cell_html(review, SCORECARD_TAG)
    findings = cell_html(review, FINDINGS_TAG)
    return (
        f'<!DOCTYPE html><html lang="{lang_code}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1.0">'
        f"<title>{esc(title)} {p.month:%Y-%m}</title><style>{css}</style></head><body>"
        + p.header("index_title")
        + f'<h2>{esc(t("pages", p.lang))}</h2><nav class="as-pages"><ul>{items}</ul></nav>'
        + f'<h2>{esc(t("index_scorecard", p.lang))}</h2>'
        + (p.scorecard() if scorecard is None else scorecard)
        + (headlines(p, review_page) if findings is None else linked_to(findings, review_page))
        + "</body></html>"
    )


def cell_html(nb: nbformat.NotebookNode | None, tag: str) -> str | None:
    """The HTML result (the value of the last line) of the first code cell tagged `tag`;
    None when there is no such cell or it shows no HTML."""
    if nb is None:
        return None
    for cell in nb.cells:
        if cell.cell_type == "code" and tag in cell.metadata.get("tags", []):
            for output in cell.get("outputs", []):
                if output.get("output_type") == "execute_result":
                    html = output.get("data", {}).get("text/html")
                    if html is not None:
                        return html if isinstance(html, str) else "".join(html)
            return None
    return None


def linked_to(html: str, page: str) -> str:
    """A page's links to its own sections (`href="#s_ppm"`) made links to that page."""
    return re.sub(r'href="#', f'href="{page}#', html)
