"""Build the group pack the way the plant pack is built: the notebook
`notebooks/group_review.ipynb` run with papermill and exported with nbconvert (code hidden,
plotly.js embedded once), `index.html` and `manifest.json` beside it, the folder built aside and
moved into place whole (`pipelines.report.pack.folder`). The group warehouse is only read.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from pipelines.group.facts import open_facts
from pipelines.group.page import g, index_html
from pipelines.labels import check_lang
from pipelines.report import PageSpec
from pipelines.report.pack import folder, place
from pipelines.report.pack.build import SHIPPED_NOTEBOOKS
from pipelines.report.pack.manifest import build_manifest
from pipelines.report.pack.pdf import page_css

NOTEBOOK = "group_review"


def default_out(project_dir: Path, month: date) -> Path:
    return project_dir / "reports" / "group" / f"{month:%Y-%m}"


def build_group_pack(
    warehouse: Path,
    month: date | None,
    lang: str,
    out: Path | None,
    project_dir: Path,
    progress: Callable[[str], None] | None = None,
    pdf: bool = False,
) -> Path:
    """Write the group pack of `month` (default: the last complete month) and return its
    folder (default reports/group/YYYY-MM of the project); with `pdf` also review.pdf, the
    group review printed like the plant pack's (SPEC §10, §13)."""
    check_lang(lang)
    generated_at = datetime.now().strftime("%Y-%m-%d %H:%M")
    facts = open_facts(warehouse, month)
    target = (out or default_out(project_dir, facts.month)).resolve()
    place.check_target(target)  # before the notebook runs
    parameters = {
        "month": f"{facts.month:%Y-%m}",
        "warehouse": str(Path(warehouse).resolve()),
        "lang": lang,
        "project_dir": str(project_dir),
        "output_dir": str(target),
        "generated_at": generated_at,
        "manifest_path": "manifest.json",
    }
    title = g("title", lang, month=f"{facts.month:%Y-%m}")
    specs = [PageSpec(NOTEBOOK, title)]
    return folder.build(
        specs, SHIPPED_NOTEBOOKS, target, parameters, build_manifest(parameters),
        lambda _executed: index_html(facts, lang, generated_at, NOTEBOOK, title), progress,
        page_css={NOTEBOOK: page_css(f"{facts.month:%Y-%m}", title, lang)}, pdf=pdf,
    )
