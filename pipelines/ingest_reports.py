"""The data-quality reports of one ingest: a page per file, or one page for many small files.

A file checked on its own gets its own page (`<batch_id>.html`). Small files checked together
(`pipelines.quality.batched`) share one page per ingest, `ingest-<first batch id>.html`, with
a section per file: 500 one-row files make one page, not 500. The content of each file's
section is its own page's (`render_quality_page`), so a file's report reads the same either way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from pipelines.batch import GatedBatch
from pipelines.quality.report import render_quality_page, write_grouped_report, write_quality_report
from pipelines.quality.suites import suite_path
from pipelines.settings import Settings


class HasReport(Protocol):
    report_path: Path | None


@dataclass
class IngestReports:
    """Writes the pages of one ingest; the grouped page when the ingest ends (`finish`)."""

    settings: Settings
    _grouped: list[tuple[str, str, str]] = field(default_factory=list)
    _waiting: list[HasReport] = field(default_factory=list)

    def _suite_path(self, gated: GatedBatch) -> Path:
        return suite_path(self.settings.expectations_dir, gated.read.source.name)

    @property
    def folder(self) -> Path:
        return self.settings.reports_dir / "data-quality"

    def write(self, gated: GatedBatch, batch_id: str) -> Path:
        """The page of a file checked on its own."""
        return write_quality_report(gated, batch_id, self.folder, self._suite_path(gated))

    def add(self, gated: GatedBatch, batch_id: str, outcome: HasReport) -> None:
        """A section of the ingest's grouped page; `outcome.report_path` is set by `finish`."""
        page = render_quality_page(gated, batch_id, self._suite_path(gated))
        self._grouped.append((batch_id, gated.read.path.name, page))
        self._waiting.append(outcome)

    def finish(self) -> Path | None:
        """Write the grouped page, if any file went to it; its path."""
        if not self._grouped:
            return None
        name = f"ingest-{self._grouped[0][0]}.html"
        path = write_grouped_report(self._grouped, self.folder / name)
        for outcome in self._waiting:
            outcome.report_path = path
        self._grouped.clear()
        self._waiting.clear()
        return path
