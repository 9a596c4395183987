"""Build the month's review pack from the warehouse, which it only reads."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from pipelines.labels import check_lang, t
from pipelines.report import PageSpec
from pipelines.report.pack import place
from pipelines.report.pack.landing import Landing
from pipelines.report.pack.manifest import build_manifest
from pipelines.report.pack.pdf import page_css as page_css_of
from pipelines.report.pages import queries
from pipelines.settings import Settings
from pipelines.warehouse.reading import connect_for_reading

SHIPPED_NOTEBOOKS = Path(__file__).resolve().parents[3] / "notebooks"


def notebooks_dir(settings: Settings) -> Path:
    """The project's notebooks/ folder, or the shipped one when the project has none."""
    if (settings.notebooks_dir / "review.ipynb").is_file():
        return settings.notebooks_dir
    return SHIPPED_NOTEBOOKS


def pages(lang: str, kpi_snapshot: Path | None = None) -> list[PageSpec]:
    """The pack's pages in reading order: the review (SPEC §7 items 1-9), then data quality.
    The review reads its KPI views and action list from `kpi_snapshot` when given."""
    review = {"kpi_snapshot": str(kpi_snapshot)} if kpi_snapshot else {}
    return [
        PageSpec("review", t("review_title", lang), review),
        PageSpec("data_quality", t("dq_title", lang)),
    ]


def notebook_parameters(
    settings: Settings, month: str, lang: str, target: Path, generated_at: str
) -> dict[str, str]:
    """What every notebook's `parameters` cell receives; the manifest is read from the
    notebook's working folder, the pack being built."""
    return {
        "month": month,
        "warehouse": str(settings.warehouse),
        "lang": lang,
        "project_dir": str(settings.project_dir),
        "output_dir": str(target),
        "generated_at": generated_at,
        "manifest_path": "manifest.json",
    }


def build_pack(
    settings: Settings,
    month: date | None = None,
    lang: str = "zh",
    out: Path | None = None,
    progress: Callable[[str], None] | None = None,
    today: date | None = None,
    pdf: bool = False,
) -> Path:
    """Write the review pack of `month` (default: the last month of the data that ended before
    `today`) and return its folder (default reports/YYYY-MM); with `pdf` also review.pdf
    (SPEC §10), PdfNotWritten once the HTML pack is in place when it cannot be printed.

    The warehouse is read as it is: the CLI refreshes its reference tables and views first
    (`pipelines.warehouse.refresh`), so a target edited since the last ingest is in the pack.
    """
    check_lang(lang)
    generated_at = datetime.now().strftime("%Y-%m-%d %H:%M")
    with connect_for_reading(settings) as con:
        resolved = queries.check_month(con, month or queries.default_month(con, today))
    target = (out or settings.reports_dir / f"{resolved:%Y-%m}").resolve()
    place.check_target(target)  # before any notebook runs
    parameters = notebook_parameters(settings, f"{resolved:%Y-%m}", lang, target, generated_at)
    with place.scratch_dir(target) as scratch:
        kpi_snapshot = scratch / "kpi-snapshot.duckdb"
        specs = pages(lang, kpi_snapshot)
        landing = Landing(settings, resolved, lang, generated_at, specs, kpi_snapshot)
        landing.start()
        try:
            manifest = build_manifest(parameters)
            # papermill and nbformat are imported while the snapshot is computed
            from pipelines.report.pack import folder

            page_css = {spec.notebook: page_css_of(f"{resolved:%Y-%m}", spec.title, lang)
                        for spec in specs}
            return folder.build(
                specs, notebooks_dir(settings), target, parameters, manifest,
                landing.index_html, progress, page_css=page_css, pdf=pdf,
                own_files=landing.write_files,
            )
        finally:
            landing.close()
