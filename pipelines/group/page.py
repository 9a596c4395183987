"""The group pack's page: one self-contained HTML file (plotly.js embedded once, the pack's
stylesheet inline, no link outside it), rendered with the plant pack's tables, figures and
labels (`pipelines.report.render`, `pipelines.labels`)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import plotly.graph_objects as go
import polars as pl

from pipelines import kpis
from pipelines.group.facts import GroupFacts
from pipelines.labels import kpi_name, label, t
from pipelines.metrics.pareto import pareto_table
from pipelines.report.render import figures, localize
from pipelines.report.render.markup import (
    Html,
    esc,
    heading,
    kpi_value,
    note,
    period_text,
    scorecard,
    status_badge,
    table,
    target_text,
)
from pipelines.report.render.markup import number as whole

# the plant pack's stylesheet: one look for every page of the product
CSS_FILE = Path(figures.__file__).resolve().parent.parent / "templates" / "pack" / "pack.css"


def g(key: str, lang: str, **values: object) -> str:
    """A label of the group pack ([group] of the label files)."""
    text = label("group", key, lang)
    return text.format(**values) if values else text


class Charts:
    """Figures of one page: the first embeds plotly.js, the others reuse it."""

    def __init__(self) -> None:
        self.embedded = False

    def html(self, fig: go.Figure) -> Html:
        chart = fig.to_html(
            include_plotlyjs=not self.embedded, include_mathjax=False, full_html=False,
            default_width="100%", default_height=460, config={"displaylogo": False},
        )
        self.embedded = True
        return Html(f'<div class="as-chart">{chart}</div>')


def _plants_side_by_side(facts: GroupFacts, lang: str) -> Html:
    """KPI × plant: each plant's value coloured against its own target, the group's target,
    best and worst plant."""
    plants = facts.publishes["plant"].to_list()
    group_rows = {r["kpi"]: r for r in facts.scorecard.iter_rows(named=True)}
    ranking = {r["kpi"]: r for r in facts.ranking.iter_rows(named=True)}
    cells_of = {(r["plant"], r["kpi"]): r for r in facts.plants.iter_rows(named=True)}
    head = [t("kpi", lang), t("period", lang), *plants, g("group_target", lang),
            g("best", lang), g("worst", lang)]
    rows = []
    for kpi in kpis.codes():
        if kpi not in group_rows:
            continue
        group_row = group_rows[kpi]
        cells = [esc(kpi_name(kpi, lang)),
                 esc(period_text(group_row["period_kind"], group_row["period_start"], lang))]
        for plant in plants:
            cell = cells_of.get((plant, kpi))
            if cell is None:
                cells.append(esc(t("no_data", lang)))
                continue
            klass = "nodata" if cell["met"] is None else ("met" if cell["met"] else "missed")
            cells.append(
                f'<span class="as-value {klass}">'
                f"{esc(kpi_value(kpi, cell['value'], lang, cell['target']))}</span><br>"
                f"{esc(target_text(kpi, cell['target'], lang))} {status_badge(cell['met'], lang)}"
            )
        cells.append(esc(target_text(kpi, group_row["target"], lang)))
        rank = ranking.get(kpi, {})
        cells += [esc(rank.get("best") or "–"), esc(rank.get("worst") or "–")]
        rows.append(f'<tr class="kpi-{esc(kpi)}">' + "".join(f"<td>{c}</td>" for c in cells)
                    + "</tr>")
    heads = "".join(f"<th>{esc(h)}</th>" for h in head)
    return Html(f'<table class="as-table as-plants"><thead><tr>{heads}</tr></thead>'
                f"<tbody>{''.join(rows)}</tbody></table>")


def _pareto(facts: GroupFacts, frame: pl.DataFrame, title: str, lang: str, charts: Charts):
    if frame.is_empty():
        return [note(g("no_complaints", lang))]
    named = localize.cause_names(frame, facts.cause_names, lang)
    other = t("other", lang)
    folded = pareto_table(named, "cause_name", "complaints", other_share=facts.other_share,
                          other_label=other)
    fig = figures.pareto(folded, "cause_name", "complaints", title, other, lang)
    grid = table(folded, [("cause_name", t("cause", lang)), ("complaints", t("count", lang)),
                          ("percent", "%"), ("cum_percent", t("cum_percent", lang))],
                 formats={"percent": lambda v: f"{v:.1f}", "cum_percent": lambda v: f"{v:.1f}"})
    return [charts.html(fig), grid]


def _plant_causes(facts: GroupFacts, lang: str) -> Html:
    named = localize.cause_names(facts.plant_causes, facts.cause_names, lang)
    return table(
        named,
        [("plant", g("plant", lang)), ("cause_name", t("cause", lang)),
         ("complaints", t("complaints", lang)), ("defect_qty", t("defect_qty", lang))],
        empty=g("no_complaints", lang), merge="plant",
    )


def _header(facts: GroupFacts, lang: str, generated_at: datetime) -> Html:
    items = [
        (t("month", lang), f"{facts.month:%Y-%m}"),
        (g("plants", lang), ", ".join(facts.publishes["plant"].to_list())),
        (t("generated_at", lang), f"{generated_at:%Y-%m-%d %H:%M}"),
    ]
    dl = "".join(f"<div><dt>{esc(k)}</dt><dd>{esc(v)}</dd></div>" for k, v in items)
    title = esc(g("title", lang, month=f"{facts.month:%Y-%m}"))
    return Html(f'<header class="as-header"><h1>{title}</h1><dl class="as-facts">{dl}</dl>'
                "</header>")


def render_page(facts: GroupFacts, lang: str, generated_at: datetime) -> str:
    """The whole page, as text."""
    charts = Charts()
    parts: list[str] = [_header(facts, lang, generated_at)]
    parts += [heading(g("scorecard", lang), 2), scorecard(facts.scorecard, lang)]
    parts += [heading(g("side_by_side", lang), 2), note(g("side_by_side_note", lang)),
              _plants_side_by_side(facts, lang)]
    parts += [heading(g("pareto", lang), 2)]
    parts += _pareto(facts, facts.causes_month, g("pareto_month", lang), lang, charts)
    parts += _pareto(facts, facts.causes_year, g("pareto_year", lang), lang, charts)
    parts += [heading(g("plant_causes", lang), 2), _plant_causes(facts, lang)]
    parts += [heading(g("lineage", lang), 3), table(
        facts.publishes,
        [("plant", g("plant", lang)), ("publish_id", g("publish_id", lang)),
         ("published_at", g("published_at", lang)), ("rows", g("rows", lang))],
        formats={"rows": whole},
    )]
    css = CSS_FILE.read_text(encoding="utf-8")
    title = esc(g("title", lang, month=f"{facts.month:%Y-%m}"))
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{title}</title><style>{css}</style></head>"
        f"<body>{''.join(parts)}</body></html>\n"
    )
