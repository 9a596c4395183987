"""The review page's sections (SPEC §7 items 2-9): each returns a figure or an escaped table."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from pipelines import kpis
from pipelines.labels import kpi_name, label, names, t
from pipelines.months import half_start
from pipelines.report.pages import queries
from pipelines.report.pages.page import Page
from pipelines.report.render import figures, localize, markup
from pipelines.sources import SURVEY_DIMENSIONS

RATING_COLOURS = {4: "#2e7d32", 3: "#9ccc65", 2: "#ffb74d", 1: "#c62828"}
TABLE_ROWS = 30


def scorecard(p: Page) -> markup.Html:
    return p.scorecard()


def kpi_trend(p: Page, kpi: str) -> go.Figure:
    frame = queries.kpi_trend(p.con, kpi, p.month)
    chart = kpis.kpi(kpi).limits  # laney_u, laney_p, p_chart: a [text] legend each
    limits = t(chart, p.lang) if chart != "none" else None
    return figures.kpi_trend(frame, kpi, p.lang, limits)


def top_customers_ppm(p: Page) -> markup.Html:
    """The customers with the highest PPM that have defects at all."""
    return _worst_customers(p, "ppm", pl.col("numerator") > 0, "top_customers",
                            ("defect_qty", "shipped_qty"))


def top_parts(p: Page) -> markup.Html:
    frame = queries.top_parts(p.con, p.month)
    cols = [("part_no", t("part_no", p.lang)), ("complaints", t("complaints", p.lang)),
            ("defect_qty", t("defect_qty", p.lang))]
    return _titled(t("top_parts", p.lang),
                   markup.table(frame, cols, empty=_none(p, "no_top_parts")))


def worst_otd(p: Page) -> markup.Html:
    """The customers with the lowest OTD among those with lines due in the month."""
    return _worst_customers(p, "otd", pl.col("value").is_not_null(), "worst_otd",
                            ("on_time_lines", "delivery_lines"))


def _worst_customers(
    p: Page, kpi: str, shown: pl.Expr, title_key: str, heads: tuple[str, str]
) -> markup.Html:
    """The ten customers furthest from `kpi`'s target side (highest first for a KPI that must
    stay low, lowest first otherwise), with the KPI's numerator and denominator under `heads`."""
    highest_first = kpis.kpi(kpi).direction == "max"
    frame = (
        queries.customer_kpi(p.con, kpi, p.month)
        .filter(shown)
        .sort(["value", "customer"], descending=[highest_first, False])
        .head(10)
    )
    numerator, denominator = heads
    cols = [("customer", t("customer", p.lang)), ("numerator", t(numerator, p.lang)),
            ("denominator", t(denominator, p.lang)), ("value", kpi_name(kpi, p.lang))]
    value = markup.percent if kpis.kpi(kpi).unit == "percent" else markup.number
    fmt = {"numerator": markup.number, "denominator": markup.number, "value": value}
    return _titled(t(title_key, p.lang),
                   markup.table(frame, cols, fmt, empty=_none(p, f"no_{title_key}")))


def freight_by_reason(p: Page) -> go.Figure:
    frame = queries.freight_by_reason(p.con, p.month).with_columns(
        pl.when(pl.col("reason") == "").then(pl.lit(t("not_given", p.lang)))
        .otherwise(pl.col("reason")).alias("reason")
    )
    return figures.bars(
        frame["reason"].to_list(), frame["amount"].to_list(), t("freight_reason", p.lang),
        t("reason", p.lang), t("amount", p.lang),
    )


def cause_pareto(
    p: Page, by: str, months: int, weight: str = "complaints"
) -> tuple[go.Figure, markup.Html]:
    """Pareto of complaints by cause or category over the last `months` months, weighted by
    their count ("complaints") or their defect quantity ("defect_qty", SPEC §5)."""
    from pipelines.metrics.pareto import pareto_table

    frame = queries.causes_window(p.con, p.month, months)
    if by == "category":
        frame = frame.with_columns(
            pl.col("category").replace(names("category", p.lang)).alias("label")
        )
    else:
        frame = frame.with_columns(
            pl.col("cause_name_zh" if p.lang == "zh" else "cause_name_en").alias("label")
        )
    frame = frame.group_by("label").agg(pl.col(weight).sum().cast(pl.Int64))
    key = f"pareto_{'cat' if by == 'category' else 'cause'}_{'month' if months == 1 else '12m'}"
    key += "_qty" if weight == "defect_qty" else ""
    weight_title = t("defect_qty" if weight == "defect_qty" else "count", p.lang)
    other = t("other", p.lang)
    # the taxonomy's categories are a handful, each with its own owner: only the long tail of
    # causes folds into Other
    share = 1.0 if by == "category" else p.settings.pareto_other_share
    table = pareto_table(frame, "label", weight, other_share=share, other_label=other)
    if table.height == 0:
        empty = t("no_causes_12m" if months > 1 else "no_causes_month", p.lang)
        return figures.bars([], [], t(key, p.lang), "", ""), markup.note(empty, "as-empty")
    figure = figures.pareto(table, "label", weight, t(key, p.lang), other, p.lang, weight_title)
    head = t("cause" if by == "cause" else "category", p.lang)
    cols = [("label", head), (weight, weight_title),
            ("percent", t("percent", p.lang)), ("cum_percent", t("cum_percent", p.lang))]
    fmt = {"percent": markup.percent, "cum_percent": markup.percent}
    return figure, markup.table(table, cols, fmt, css_class="as-table as-pareto")


def cause_summary(p: Page) -> markup.Html:
    """The seed's monthly summary table: cause x this month x last month, notes, totals.

    As in the seed, each category shows once for its causes and every case note sits on its
    own line.
    """
    from pipelines.metrics.cause_summary import cause_summary_table

    frame = cause_summary_table(p.con, p.month)
    total = t("total", p.lang)
    name_col = "cause_name_zh" if p.lang == "zh" else "cause_name_en"
    frame = frame.with_columns(
        pl.col("category").replace(names("category", p.lang)),
        pl.when(pl.col("cause_code") == "__total__").then(pl.lit(total))
        .otherwise(pl.col(name_col)).alias("cause_label"),
        pl.when(pl.col("cause_code") == "__total__").then(pl.lit("as-total"))
        .otherwise(pl.lit("")).alias("row_class"),
    )
    cols = [("item_no", t("item_no", p.lang)), ("category", t("category", p.lang)),
            ("cause_label", t("cause", p.lang)), ("this_month", t("this_month", p.lang)),
            ("last_month", t("last_month", p.lang)), ("notes", t("notes", p.lang))]
    nowrap = {c: "as-nowrap" for c in ("item_no", "category", "this_month", "last_month")}
    return _titled(
        t("summary_table", p.lang),
        markup.table(frame, cols, {"notes": markup.multiline},
                     css_class="as-table as-summary", row_class="row_class",
                     column_classes={**nowrap, "cause_label": "as-cause"}, merge="category"),
    )


def open_complaints(p: Page) -> markup.Html:
    frame = queries.open_complaints(p.con, p.month)
    overdue = frame.filter(pl.col("overdue").fill_null(False))
    name_col = "cause_name_zh" if p.lang == "zh" else "cause_name_en"
    shown = frame.sort(["overdue", "received_date"], descending=[True, False]).head(TABLE_ROWS)
    shown = shown.with_columns(
        pl.col(name_col).alias("cause_label"),
        pl.col("phase").replace(names("phase_owner", p.lang)),
        pl.when(pl.col("overdue")).then(pl.lit(t("yes", p.lang))).otherwise(pl.lit(""))
        .alias("overdue_text"),
    )
    cols = [("complaint_id", t("complaint_id", p.lang)),
            ("received_date", t("received_date", p.lang)), ("customer", t("customer", p.lang)),
            ("part_no", t("part_no", p.lang)), ("cause_label", t("cause", p.lang)),
            ("phase", t("owner", p.lang)), ("response_due", t("response_due", p.lang)),
            ("days_open", t("days_open", p.lang)), ("overdue_text", t("overdue", p.lang))]
    summary = (f"{t('open_complaints', p.lang)}: {frame.height:,} · "
               f"{t('overdue', p.lang)}: {overdue.height:,} · "
               f"{t('showing', p.lang, shown=shown.height, total=frame.height)}")
    return markup.Html(
        markup.heading(t("open_complaints", p.lang)) + markup.note(summary)
        + markup.table(shown, cols, empty=_none(p, "no_open_complaints"))
    )


def owner_by_phase(p: Page) -> markup.Html:
    frame = (
        queries.open_complaints(p.con, p.month)
        .group_by("phase").agg(pl.len().alias("complaints"))
        .sort("phase")
        .with_columns(pl.col("phase").replace(names("phase_owner", p.lang)))
    )
    cols = [("phase", t("owner", p.lang)), ("complaints", t("complaints", p.lang))]
    return _titled(t("owner_by_phase", p.lang),
                   markup.table(frame, cols, empty=_none(p, "no_open_complaints")))


def escalations(p: Page) -> markup.Html:
    frame = localize.escalations(p.escalations, queries.cause_names(p.con), p.lang)
    cols = [("complaint_id", t("complaint_id", p.lang)),
            ("received_date", t("received_date", p.lang)), ("customer", t("customer", p.lang)),
            ("part_no", t("part_no", p.lang)), ("cause_name", t("cause", p.lang)),
            ("phase", t("owner", p.lang)), ("rule", t("rule", p.lang)),
            ("detail", t("detail", p.lang))]
    nowrap = {c: "as-nowrap" for c in ("complaint_id", "received_date", "part_no", "phase",
                                       "rule")}
    shown = frame.head(TABLE_ROWS)
    note = (markup.note(t("showing", p.lang, shown=shown.height, total=frame.height))
            if frame.height > shown.height else "")
    return _titled(t("escalations", p.lang),
                   note + markup.table(shown, cols, empty=_none(p, "no_escalations"),
                                       column_classes=nowrap))


def satisfaction_trend(p: Page) -> go.Figure:
    frame = queries.period_trend(p.con, "satisfaction", p.month, months=36)
    labels = [markup.period_text("half", d, p.lang) for d in frame["period_start"].to_list()]
    return figures.period_bars(frame, "satisfaction", t("sat_trend", p.lang), labels, p.lang)


def survey_note(p: Page) -> markup.Html:
    """What the survey charts below show: a note when the month's own half-year has no survey
    yet (the latest surveyed half is shown instead), a warning when it has too few responses."""
    shown = queries.survey_half(p.con, p.month)
    if shown is None:
        return markup.note(t("survey_never", p.lang), "as-warning")
    notes = []
    current = half_start(p.month)
    if shown != current:
        notes.append(markup.note(t(
            "survey_none_yet", p.lang, current=markup.period_text("half", current, p.lang),
            shown=markup.period_text("half", shown, p.lang)), "as-warning"))
    responses = int(queries.survey_scores(p.con, p.month, shown)["responses"].sum())
    minimum = p.settings.min_survey_responses
    if responses < minimum:
        notes.append(markup.note(t(
            "small_sample", p.lang, n=responses, min=minimum,
            half=markup.period_text("half", shown, p.lang)), "as-warning"))
    return markup.Html("".join(notes))


def _survey_half(p: Page) -> tuple[object, str]:
    """(first month of the half-year the survey charts show, its label for titles)."""
    shown = queries.survey_half(p.con, p.month) or half_start(p.month)
    return shown, markup.period_text("half", shown, p.lang)


def score_distribution(p: Page) -> go.Figure:
    half, half_label = _survey_half(p)
    frame = pl.DataFrame({"score": list(range(1, 11))}).join(
        queries.survey_scores(p.con, p.month, half)
        .with_columns(pl.col("score").cast(pl.Int64)),
        on="score", how="left",
    ).with_columns(pl.col("responses").fill_null(0))
    return figures.bars(
        [str(s) for s in frame["score"].to_list()], frame["responses"].to_list(),
        f"{t('score_dist', p.lang)} · {half_label}", t("score", p.lang),
        t("responses", p.lang),
    )


def dimensions(p: Page) -> go.Figure:
    half, half_label = _survey_half(p)
    order = {code: i for i, code in enumerate(SURVEY_DIMENSIONS)}  # the survey form's order
    frame = queries.survey_dimensions(p.con, p.month, half).sort(
        pl.col("dimension").replace_strict(order, default=len(order)), "rating"
    ).with_columns(
        (100 * pl.col("answers") / pl.col("answers").sum().over("dimension")).alias("share"),
        pl.col("dimension").replace(names("dimension", p.lang)),
        pl.col("rating").replace_strict(
            {int(k): v for k, v in names("rating", p.lang).items()}, return_dtype=pl.Utf8
        ).alias("answer"),
    )
    colours = {label("rating", str(k), p.lang): c for k, c in RATING_COLOURS.items()}
    return figures.stacked_shares(
        frame, "dimension", "answer", "share", f"{t('dimensions', p.lang)} · {half_label}",
        t("share", p.lang), "", colours,
    )


def comments(p: Page) -> markup.Html:
    half, half_label = _survey_half(p)
    frame = queries.survey_comments(p.con, p.month, half)
    cols = [("survey_date", t("survey_date", p.lang)), ("customer", t("customer", p.lang)),
            ("score", t("score", p.lang)), ("comments", t("comment", p.lang))]
    return _titled(f"{t('comments', p.lang)} · {half_label}",
                   markup.table(frame, cols, empty=_none(p, "no_comments"),
                                column_classes={"survey_date": "as-nowrap"}))


def quarter_trend(p: Page, kpi: str, title_key: str) -> go.Figure:
    frame = queries.period_trend(p.con, kpi, p.month, months=15)
    labels = [markup.period_text("quarter", d, p.lang) for d in frame["period_start"].to_list()]
    return figures.period_bars(frame, kpi, t(title_key, p.lang), labels, p.lang)


def property_by_customer(p: Page) -> markup.Html:
    frame = queries.property_by_customer(p.con, p.month)
    cols = [("customer", t("customer", p.lang)), ("qty_checked", t("qty_checked", p.lang)),
            ("qty_intact", t("qty_intact", p.lang)),
            ("value", kpi_name("property_intact", p.lang))]
    return _titled(t("property_customers", p.lang), markup.table(
        frame, cols, {"value": markup.percent}, empty=_none(p, "no_property_checks")))


def env_complaints(p: Page) -> markup.Html:
    frame = queries.env_complaints(p.con, p.month)
    cols = [("complaint_id", t("complaint_id", p.lang)),
            ("received_date", t("received_date", p.lang)), ("customer", t("customer", p.lang)),
            ("region", t("region", p.lang)), ("description", t("description", p.lang))]
    return _titled(t("env_list", p.lang),
                   markup.table(frame, cols, empty=_none(p, "no_env_complaints")))


def actions(p: Page) -> markup.Html:
    frame = localize.actions(p.action_list(), queries.cause_names(p.con), p.lang)
    cols = [("kpi", t("kpi", p.lang)), ("scope", t("scope", p.lang)),
            ("value_text", t("value", p.lang)), ("target_text", t("target", p.lang)),
            ("top_customers", t("top_customers_col", p.lang)),
            ("top_causes", t("top_causes", p.lang)), ("owner", t("owner", p.lang)),
            ("open_actions_text", t("open_actions", p.lang))]
    nowrap = {c: "as-nowrap" for c in ("kpi", "value_text", "target_text", "owner")}
    return _titled(t("actions", p.lang),
                   markup.table(frame, cols, empty=_none(p, "no_actions"), column_classes=nowrap))


def _none(p: Page, key: str) -> str:
    """What an empty table says: its own sentence, e.g. "no complaint open at the month's end"."""
    return t(key, p.lang)


def _titled(title: str, body: str) -> markup.Html:
    return markup.Html(markup.heading(title) + body)


def dq_link(p: Page, page: str = "data_quality.html") -> markup.Html:
    href = markup.esc(page)
    return markup.Html(
        markup.note(t("dq_link_text", p.lang))
        + f'<p><a class="as-link" href="{href}">{markup.esc(t("dq_title", p.lang))}</a></p>'
    )


def section(p: Page, key: str) -> markup.Html:
    """A numbered section's heading, anchored by its key for the findings' links."""
    return markup.heading(t(key, p.lang), 2, anchor=key)
