"""The findings a manager reads first (SPEC §7, §9): under the scorecard, the three to five
things that need a decision this month, each a sentence that links to its section.

Missed targets come first with what drove them most (the action list's biggest contributor),
then the month's control-chart signals, the backlog of complaints still waiting for their
cause analysis, and the 8D steps overdue at the month's end. More than five are cut to five,
with a sentence pointing to the action list for the rest.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from pipelines.labels import kpi_name, t
from pipelines.report.pages import queries
from pipelines.report.pages.page import Page
from pipelines.report.render import localize, markup

MAX_FINDINGS = 5
MISSED_FIRST = 2  # missed targets shown before the other kinds get their line

# The review section that shows each KPI; a KPI not listed is found in the action list.
KPI_SECTIONS = {
    "ppm": "s_ppm",
    "otd": "s_otd",
    "premium_freight": "s_otd",
    "response_on_time": "s_handling",
    "satisfaction": "s_satisfaction",
    "property_intact": "s_property",
    "env_complaints": "s_property",
    "containment_on_time": "s_loop",
    "closure_on_time": "s_loop",
    "copq": "s_copq",
}


@dataclass(frozen=True)
class Finding:
    kind: str  # missed | signal | backlog | overdue
    text: str
    section: str


def findings(p: Page) -> tuple[list[Finding], int]:
    """The month's findings in reading order, at most MAX_FINDINGS (see the module's text),
    and how many there are in all."""
    missed = _missed(p)
    others = [*_signals(p), *_backlog(p), *_overdue(p)]
    chosen = missed[:MISSED_FIRST] + others
    chosen += missed[MISSED_FIRST:][: max(0, MAX_FINDINGS - len(chosen))]
    return chosen[:MAX_FINDINGS], len(missed) + len(others)


def headlines(p: Page, page: str = "") -> markup.Html:
    """The findings as a list of links to their sections (on `page`, default this one), or
    the sentence that nothing needs a decision."""
    shown, total = findings(p)
    title = markup.heading(t("findings_title", p.lang), 3, anchor="findings")
    if not shown:
        return markup.Html(title + markup.note(t("no_findings", p.lang), "as-empty"))
    items = "".join(
        f'<li class="as-finding {markup.esc(f.kind)}">'
        f'<a href="{markup.esc(page)}#{markup.esc(f.section)}">'
        f"{markup.esc(f.text)}</a></li>"
        for f in shown
    )
    more = (markup.note(t("more_findings", p.lang, n=total - len(shown)))
            if total > len(shown) else "")
    return markup.Html(f'{title}<ol class="as-findings">{items}</ol>{more}')


def _scorecard(p: Page) -> pl.DataFrame:
    return queries.scorecard(p.con, p.month)


def _missed(p: Page) -> list[Finding]:
    """Each KPI missing its target in the period containing the month (a month, or a quarter
    or half-year already missing it to date), with the action list's biggest contributor of
    that period; else missing it in its last complete period."""
    contributors = _contributors(p)
    found = []
    for row in _scorecard(p).iter_rows(named=True):
        kpi = row["kpi"]
        current = row["period_kind"] == "month" or row["to_date_start"] is None
        if row["to_date_met"] is False:
            period, value, current = row["to_date_start"], row["to_date_value"], True
        elif row["met"] is False:
            period, value = row["period_start"], row["value"]
        else:
            continue
        text = t("finding_missed", p.lang, kpi=kpi_name(kpi, p.lang),
                 period=markup.period_text(row["period_kind"], period, p.lang),
                 value=markup.kpi_value(kpi, value, p.lang, row["target"]),
                 target=markup.target_text(kpi, row["target"], p.lang))
        if current and contributors.get(kpi):  # the action list covers that period
            text += t("finding_driver", p.lang, driver=contributors[kpi])
        found.append(Finding("missed", text, KPI_SECTIONS.get(kpi, "s_actions")))
    return found


def _contributors(p: Page) -> dict[str, str]:
    """KPI -> its company line's biggest contributor in the action list, in the page's words
    (the first cause or part, else the first customer)."""
    raw = p.action_list().filter(pl.col("scope") == "all")
    worded = localize.actions(raw, queries.cause_names(p.con), p.lang)
    out = {}
    for code, row in zip(raw["kpi"], worded.iter_rows(named=True), strict=True):
        first = (row["top_causes"] or row["top_customers"] or "").split(", ")[0]
        if first:
            out[code] = first
    return out


def _signals(p: Page) -> list[Finding]:
    frame = _scorecard(p).filter(pl.col("signal").fill_null(False))
    return [
        Finding("signal", t("finding_signal", p.lang, kpi=kpi_name(kpi, p.lang)),
                KPI_SECTIONS.get(kpi, "s_actions"))
        for kpi in frame["kpi"]
    ]


def _backlog(p: Page) -> list[Finding]:
    """Complaints of the month still pending their cause analysis: a finding whenever there
    are any, since the causes above them are only as complete as the analysis."""
    month_pending, month_total, window_pending, window_total = queries.query(
        p.con, "pending_backlog", month=p.month).row(0)
    if not month_pending:
        return []
    text = t("finding_backlog", p.lang, n=month_pending, total=month_total,
             share=f"{100 * month_pending / month_total:.1f}",
             window=window_pending, window_total=window_total)
    return [Finding("backlog", text, "s_causes")]


def _overdue(p: Page) -> list[Finding]:
    frame = queries.loop_query(p.con, "overdue_actions", p.month)
    if frame.height == 0:
        return []
    oldest = frame.row(0, named=True)
    text = t("finding_overdue", p.lang, n=frame.height, action=oldest["action_id"],
             days=oldest["days_overdue"])
    return [Finding("overdue", text, "s_loop")]
