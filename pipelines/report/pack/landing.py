"""The pack's own work beside its notebooks: the review's KPI snapshot, the per-file
data-quality reports and index.html, on one page of the month opened by `aftersales report`.

The snapshot (`pipelines.report.pages.snapshot`) is computed in a thread from the moment the
month is known: DuckDB works while the process imports papermill and starts the kernels, and
the review kernel waits for it rather than computing the same KPI views again. The other
pages start once it is written (`folder.build`).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from pipelines.report import PageSpec
from pipelines.report.pages import file_quality, index
from pipelines.report.pages.page import Page, open_page
from pipelines.report.pages.snapshot import mark_failed, write_snapshot
from pipelines.settings import Settings

if TYPE_CHECKING:  # the pack's process imports nbformat while its KPI snapshot is computed
    import nbformat


class Landing:
    """The page `aftersales report` opens for itself, and what it writes from it."""

    def __init__(self, settings: Settings, month: date, lang: str, generated_at: str,
                 specs: list[PageSpec], kpi_snapshot: Path) -> None:
        self.settings = settings
        self.month = month
        self.lang = lang
        self.generated_at = generated_at
        self.specs = specs
        self.kpi_snapshot = kpi_snapshot
        self.page: Page | None = None
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._prepare, name="kpi-snapshot", daemon=True)

    def start(self) -> None:
        """Open the page and compute the snapshot in the background."""
        self.thread.start()

    def _prepare(self) -> None:
        try:
            self.page = open_page(self.month, str(self.settings.warehouse), self.lang,
                                  str(self.settings.project_dir), self.generated_at)
            page = self.page
            write_snapshot(page.con, page.month, page.action_list(), self.kpi_snapshot)
        except Exception as exc:  # noqa: BLE001 - raised in the build's thread (`ready`)
            mark_failed(self.kpi_snapshot, exc)  # the review kernel computes them itself
            if self.page is None:
                self.error = exc
            return
        # index.html's header, computed while the review runs; a failure here is raised
        # where index.html asks for it again
        with contextlib.suppress(Exception):
            _ = page.standing

    def ready(self) -> Page:
        """The page, once the snapshot is written or given up; the page's own error if it
        could not be opened."""
        self.thread.join()
        if self.page is None:
            raise self.error or RuntimeError("the pack's page was not opened")
        return self.page

    def write_files(self, building: Path) -> None:
        """The per-file data-quality reports, into the pack being built."""
        file_quality.write_reports(self.ready(), building)

    def index_html(self, executed: Mapping[str, nbformat.NotebookNode]) -> str:
        return index.index_html(self.ready(), self.specs, executed.get(self.specs[0].notebook))

    def close(self) -> None:
        """Wait for the thread if it was started, then close the page."""
        if self.thread.ident is not None:
            self.thread.join()
        if self.page is not None:
            self.page.close()
