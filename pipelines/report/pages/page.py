"""What every page of the pack opens with: parameters resolved, warehouse opened read-only."""

from __future__ import annotations

from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from pathlib import Path
from typing import NamedTuple

import duckdb
import polars as pl

from pipelines import kpis
from pipelines.labels import check_lang, t
from pipelines.months import month_end, parse_month
from pipelines.report.pages import queries
from pipelines.report.pages.snapshot import load_snapshot
from pipelines.report.render import markup
from pipelines.settings import Settings, load_settings
from pipelines.warehouse.as_of import read_as_of
from pipelines.warehouse.reading import connect_for_reading


class Standing(NamedTuple):
    """What a page's header says of the data behind the month."""

    data_as_of: datetime | None
    held_back: int  # rows the quality gate holds back from the month
    warnings: int  # warnings of the files behind the month


@dataclass
class Page:
    """A page's context: connection, settings, month, language and data-quality standing."""

    con: duckdb.DuckDBPyConnection
    settings: Settings
    month: date
    lang: str
    generated_at: str
    closing: ExitStack = field(default_factory=ExitStack, repr=False)
    _actions: pl.DataFrame | None = field(default=None, repr=False)

    def action_list(self) -> pl.DataFrame:
        """The month's action list (`pipelines.metrics.actions`), computed once per page: the
        findings and the action list section both read it, and on a 10 M-line warehouse it
        costs half a second (its drivers come from every delivery line of the period)."""
        if self._actions is None:
            from pipelines.metrics.actions import action_list

            queries.freeze_kpi_views(self.con)  # it reads the KPI views three times
            self._actions = action_list(self.con, self.month)
        return self._actions

    @cached_property
    def escalations(self) -> pl.DataFrame:
        """The month's escalation candidates (`pipelines.metrics.escalations`), read once: the
        review lists them and the closing-the-loop section those no action answers yet."""
        from pipelines.metrics.escalations import escalation_candidates

        return escalation_candidates(self.con, self.month)

    def close(self) -> None:
        """Close the warehouse connection (a kernel's page is closed when the kernel ends)."""
        self.closing.close()

    def scorecard(self) -> markup.Html:
        """The registry's KPIs in the month's periods; shown on the review page and the index."""
        frame = queries.scorecard(self.con, self.month)
        order = {code: k.order for code, k in kpis.registry().items()}
        frame = frame.sort(pl.col("kpi").replace_strict(order, default=len(order) + 1))
        return markup.scorecard(frame, self.lang)

    @cached_property
    def standing(self) -> Standing:
        """Computed when first needed: the pack's own page (`aftersales report`) opens with
        its KPI snapshot, which the review waits for, and says this only on index.html."""
        held, warned = queries.held_back(self.con, self.month)
        return Standing(queries.data_as_of(self.con), held, warned)

    def header(self, title_key: str) -> markup.Html:
        data_as_of, held_back, warnings = self.standing
        return markup.header(
            t(title_key, self.lang), self.month, data_as_of, self.generated_at,
            held_back, warnings, self.lang,
        )


def open_page(
    month: date | str,
    warehouse: str,
    lang: str,
    project_dir: str,
    generated_at: str = "",
    kpi_snapshot: str = "",
) -> Page:
    """Resolve a notebook's parameters; an empty month means the last complete month.

    `month` is a notebook's parameter text ('2024-09'), turned into a `date` here once, or
    that `date` already.

    The warehouse is opened like every reader of it (waiting a bounded time while an ingest
    lands a file); a month outside the data is refused. From then on the connection reads the
    warehouse as it stood at the month's last day (`pipelines.warehouse.as_of`). An empty
    `project_dir` is the nearest folder upward from the working folder holding
    data/reference/settings.toml, so a notebook runs from the project folder, from notebooks/
    or wherever papermill starts its kernel; an empty `warehouse` is that project's (or
    AFTERSALES_WAREHOUSE). `kpi_snapshot` is the file of the month's KPI views and action list
    that `aftersales report` computes beside its kernels (`pipelines.report.pages.snapshot`);
    empty, or when it cannot be used, the page computes them itself.
    """
    settings = load_settings(
        Path(project_dir) if project_dir else None,
        warehouse=Path(warehouse).resolve() if warehouse else None,
    )
    closing = ExitStack()
    con = closing.enter_context(connect_for_reading(settings))
    try:
        if isinstance(month, date):
            resolved = month
        else:
            resolved = parse_month(month) if month else queries.default_month(con)
        queries.check_month(con, resolved, asked_by="parameter")
        read_as_of(con, month_end(resolved))  # SPEC §9: the state at the month's end
        page = Page(
            con=con,
            settings=settings,
            month=resolved,
            lang=check_lang(lang),
            generated_at=generated_at or datetime.now().strftime("%Y-%m-%d %H:%M"),
            closing=closing,
        )
        if kpi_snapshot:
            page._actions = load_snapshot(con, resolved, Path(kpi_snapshot))
        return page
    except BaseException:
        closing.close()
        raise
