"""`aftersales report`: build the month's review pack from the warehouse."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from pipelines.pipeline import refresh_views_if_stale
from pipelines.report import index, pack, queries
from pipelines.report.i18n import check_lang, t
from pipelines.report.manifest import build_manifest
from pipelines.report.page import open_page
from pipelines.settings import Settings
from pipelines.warehouse.connection import connect_for_reading

SHIPPED_NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"


def notebooks_dir(settings: Settings) -> Path:
    """The project's notebooks/ folder, or the shipped one when the project has none."""
    if (settings.notebooks_dir / "review.ipynb").is_file():
        return settings.notebooks_dir
    return SHIPPED_NOTEBOOKS


def pages(lang: str) -> list[pack.PageSpec]:
    """The pack's pages in reading order: the review (SPEC §7 items 1-9), then data quality."""
    return [
        pack.PageSpec("review", t("review_title", lang)),
        pack.PageSpec("data_quality", t("dq_title", lang)),
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
    month: str | None = None,
    lang: str = "zh",
    out: Path | None = None,
    progress: Callable[[str], None] | None = None,
    today: date | None = None,
) -> Path:
    """Write the review pack of `month` (default: the last month of the data that ended before
    `today`) and return its folder (default reports/YYYY-MM).

    The reference tables and KPI views are rewritten from data/reference first (briefly under
    the writer lock), so a target or setting edited since the last ingest is in this pack.
    """
    check_lang(lang)
    generated_at = datetime.now().strftime("%Y-%m-%d %H:%M")
    resolved = queries.parse_month(month) if month else None
    if settings.warehouse.is_file():  # else connect_for_reading says what to do
        refresh_views_if_stale(settings)
    with connect_for_reading(settings) as con:
        resolved = queries.check_month(con, resolved or queries.default_month(con, today))
    target = (out or settings.reports_dir / f"{resolved:%Y-%m}").resolve()
    pack.check_target(target)  # before any notebook runs
    parameters = notebook_parameters(settings, f"{resolved:%Y-%m}", lang, target, generated_at)
    manifest = build_manifest(parameters)
    specs = pages(lang)

    def index_page() -> str:
        page = open_page(parameters["month"], str(settings.warehouse), lang,
                         str(settings.project_dir), generated_at)
        try:
            return index.index_html(page, specs, target)
        finally:
            page.close()

    return pack.build(specs, notebooks_dir(settings), target, parameters, manifest, index_page,
                      progress)
