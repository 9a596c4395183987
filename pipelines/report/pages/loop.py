"""The review page's closing-the-loop sections (SPEC §8): 8D timeliness, the cost of poor
quality, the risk register and the customers' own scorecards."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from pipelines.labels import names, t
from pipelines.report.pages import queries
from pipelines.report.pages.page import Page
from pipelines.report.render import figures, localize, markup

TABLE_ROWS = 30
STEPS = ("d3", "d4", "d6", "d8")
# A portal status that needs no word in the review: anything else is a special status.
NORMAL_STATUSES = frozenset({"green", "绿", "绿色", "ok", "normal", "正常", "a"})
LEVEL_COLOURS = {"low": "#c8e6c9", "medium": "#fff59d", "high": "#ffcc80", "critical": "#ef9a9a"}


def _titled(title: str, body: str) -> markup.Html:
    return markup.Html(markup.heading(title) + body)


def _none(p: Page, key: str) -> str:
    """What an empty table says: its own sentence, e.g. "no action overdue"."""
    return t(key, p.lang)


def step_rates(p: Page) -> markup.Html:
    """On-time rate of each 8D step due in the month."""
    frame = queries.loop_query(p.con, "action_step_rates", p.month).with_columns(
        pl.col("step").replace(names("step", p.lang))
    )
    cols = [("step", t("step", p.lang)), ("due", t("steps_due", p.lang)),
            ("on_time", t("steps_on_time", p.lang)), ("rate", t("on_time_rate", p.lang))]
    return _titled(t("step_rates", p.lang), markup.table(
        frame, cols, {"rate": markup.percent}, empty=_none(p, "no_steps_due")))


def overdue_actions(p: Page) -> markup.Html:
    """8D steps overdue at the month's end, with owner and days overdue."""
    frame = queries.loop_query(p.con, "overdue_actions", p.month)
    shown = frame.head(TABLE_ROWS).with_columns(pl.col("step").replace(names("step", p.lang)))
    cols = [("action_id", t("action_id", p.lang)), ("step", t("step", p.lang)),
            ("customer", t("customer", p.lang)), ("owner", t("owner", p.lang)),
            ("complaint_id", t("complaint_id", p.lang)), ("due_date", t("due_date", p.lang)),
            ("days_overdue", t("days_overdue", p.lang))]
    note = markup.note(t("showing", p.lang, shown=shown.height, total=frame.height))
    return _titled(t("overdue_actions", p.lang), note + markup.table(
        shown, cols, empty=_none(p, "no_overdue_actions"),
        column_classes={"due_date": "as-nowrap"}))


def unactioned_escalations(p: Page) -> markup.Html:
    """Escalation candidates of the month that no corrective action answers yet."""
    actioned = queries.loop_query(p.con, "actioned_complaints", p.month)["complaint_id"]
    frame = (
        p.escalations
        .filter(~pl.col("complaint_id").is_in(actioned.implode()))
        .group_by("complaint_id", "received_date", "customer", "part_no", "cause_code", "phase",
                  maintain_order=True)
        .agg(pl.col("rule").unique(maintain_order=True))
    )
    named = localize.cause_names(frame, queries.cause_names(p.con), p.lang).with_columns(
        pl.col("rule").list.eval(pl.element().replace(names("rule", p.lang))).list.join(", "),
        pl.col("phase").replace(names("phase_owner", p.lang)),
    )
    cols = [("complaint_id", t("complaint_id", p.lang)),
            ("received_date", t("received_date", p.lang)), ("customer", t("customer", p.lang)),
            ("part_no", t("part_no", p.lang)), ("cause_name", t("cause", p.lang)),
            ("phase", t("owner", p.lang)), ("rule", t("rule", p.lang))]
    return _titled(t("unactioned_escalations", p.lang), markup.table(
        named.head(TABLE_ROWS), cols, empty=_none(p, "no_unactioned_escalations")))


def copq_trend(p: Page) -> go.Figure:
    frame = queries.copq_trend(p.con, p.month)
    return figures.stacked_bars(
        frame, "month", "component", "amount", t("copq_trend", p.lang), t("axis_month", p.lang),
        t("amount", p.lang), names("component", p.lang),
    )


def copq_customers(p: Page) -> markup.Html:
    frame = queries.loop_query(p.con, "copq_customers", p.month)
    cols = [("customer", t("customer", p.lang)), ("amount", t("amount", p.lang))]
    return _titled(t("copq_customers", p.lang), markup.table(
        frame, cols, {"amount": markup.number}, empty=_none(p, "no_copq_customers")))


def risk_matrix(p: Page) -> go.Figure:
    frame = queries.query(p.con, "risk_cells")
    low, medium, high = (p.settings.risk_low_max, p.settings.risk_medium_max,
                         p.settings.risk_high_max)
    levels = {
        score: LEVEL_COLOURS["low" if score <= low else "medium" if score <= medium
                             else "high" if score <= high else "critical"]
        for score in range(1, 26)
    }
    return figures.risk_matrix(frame, t("risk_matrix", p.lang), t("severity", p.lang),
                               t("likelihood", p.lang), levels)


def _levels(frame: pl.DataFrame, lang: str) -> pl.DataFrame:
    """The computed level in words, and the file's own rating beside it where they differ."""
    return frame.with_columns(
        pl.col("computed_level").replace(names("risk_level", lang)).alias("level_text"),
    ).with_columns(
        pl.when(pl.col("level").is_not_null() & (pl.col("level") != pl.col("level_text")))
        .then(pl.format("{} ({})", pl.col("level_text"), pl.col("level")))
        .otherwise(pl.col("level_text")).alias("level_text")
    )


def risk_signals(p: Page) -> markup.Html:
    frame = queries.loop_query(p.con, "risk_signals", p.month)
    causes = dict(localize.cause_label(queries.cause_names(p.con), p.lang).iter_rows())
    frame = _levels(frame, p.lang).with_columns(
        pl.col("cause_codes").str.split("|")
        .list.eval(pl.element().replace(causes)).list.join("、").alias("causes_text")
    )
    cols = [("risk_id", t("risk_id", p.lang)), ("description", t("description", p.lang)),
            ("level_text", t("risk_level", p.lang)), ("causes_text", t("cause", p.lang)),
            ("complaints", t("complaints", p.lang)), ("defect_qty", t("defect_qty", p.lang))]
    return _titled(t("risk_signals", p.lang), markup.table(
        frame, cols, empty=_none(p, "no_risk_signals")))


def risks_to_reassess(p: Page) -> markup.Html:
    frame = queries.loop_query(p.con, "risks_to_reassess", p.month)
    cols = [("risk_id", t("risk_id", p.lang)), ("description", t("description", p.lang)),
            ("score", t("risk_score", p.lang)), ("level", t("file_level", p.lang)),
            ("complaints", t("complaints_3m", p.lang))]
    note = markup.note(t("reassess_note", p.lang, n=p.settings.risk_recheck_count))
    return _titled(t("risks_to_reassess", p.lang), note + markup.table(
        frame, cols, empty=_none(p, "no_risks_to_reassess")))


def scorecard_disagreements(p: Page) -> markup.Html:
    frame = queries.loop_query(p.con, "scorecard_disagreements", p.month)
    return _titled(t("scorecard_disagreements", p.lang),
                   _scorecard_table(p, frame, "no_disagreements"))


def special_statuses(p: Page) -> markup.Html:
    frame = queries.loop_query(p.con, "scorecard_statuses", p.month).filter(
        ~pl.col("status").str.strip_chars().str.to_lowercase().is_in(list(NORMAL_STATUSES))
    )
    return _titled(t("special_statuses", p.lang),
                   _scorecard_table(p, frame, "no_special_statuses"))


def _scorecard_table(p: Page, frame: pl.DataFrame, empty_key: str) -> str:
    shown = frame.with_columns(
        pl.struct("kpi", "customer_value").map_elements(
            lambda r: markup.kpi_value(r["kpi"], r["customer_value"], p.lang),
            return_dtype=pl.String).alias("customer_text"),
        pl.struct("kpi", "our_value").map_elements(
            lambda r: markup.kpi_value(r["kpi"], r["our_value"], p.lang),
            return_dtype=pl.String).alias("our_text"),
        pl.col("kpi").replace(names("kpi", p.lang)).alias("kpi_text"),
    )
    cols = [("customer", t("customer", p.lang)), ("kpi_text", t("kpi", p.lang)),
            ("customer_text", t("customer_value", p.lang)), ("our_text", t("our_value", p.lang)),
            ("status", t("portal_status", p.lang))]
    return markup.table(shown, cols, empty=_none(p, empty_key))


def loop_trend(p: Page, kpi: str) -> go.Figure:
    """A closing-the-loop KPI's 13-month trend with its target (no control limits)."""
    frame = queries.kpi_trend(p.con, kpi, p.month)
    return figures.kpi_trend(frame, kpi, p.lang, None)


