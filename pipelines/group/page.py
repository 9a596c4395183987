"""The sections of the group pack's page, for the notebook `notebooks/group_review.ipynb`:
rendered with the plant pack's tables, figures and labels (`pipelines.report.render`,
`pipelines.labels`), every cell escaped."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import plotly.graph_objects as go

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


def side_by_side(facts: GroupFacts, lang: str) -> Html:
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


def pareto(facts: GroupFacts, window: str, lang: str) -> tuple[go.Figure | None, Html]:
    """The group Pareto of causes for `window` ('month' or 'year': the last 12 months) and its
    Count / Percent / Cum % table; no figure, and a note, when there is no complaint."""
    frame = facts.causes_month if window == "month" else facts.causes_year
    if frame.is_empty():
        return None, note(g("no_complaints", lang))
    named = localize.cause_names(frame, facts.cause_names, lang)
    other = t("other", lang)
    folded = pareto_table(named, "cause_name", "complaints", other_share=facts.other_share,
                          other_label=other)
    title = g("pareto_month" if window == "month" else "pareto_year", lang)
    fig = figures.pareto(folded, "cause_name", "complaints", title, other, lang)
    grid = table(folded, [("cause_name", t("cause", lang)), ("complaints", t("count", lang)),
                          ("percent", "%"), ("cum_percent", t("cum_percent", lang))],
                 formats={"percent": lambda v: f"{v:.1f}", "cum_percent": lambda v: f"{v:.1f}"})
    return fig, grid


def plant_causes(facts: GroupFacts, lang: str) -> Html:
    named = localize.cause_names(facts.plant_causes, facts.cause_names, lang)
    return table(
        named,
        [("plant", g("plant", lang)), ("cause_name", t("cause", lang)),
         ("complaints", t("complaints", lang)), ("defect_qty", t("defect_qty", lang))],
        empty=g("no_complaints", lang), merge="plant",
    )


def header(facts: GroupFacts, lang: str, generated_at: str) -> Html:
    items = [
        (t("month", lang), f"{facts.month:%Y-%m}"),
        (g("plants", lang), ", ".join(facts.publishes["plant"].to_list())),
        (t("generated_at", lang), generated_at or f"{datetime.now():%Y-%m-%d %H:%M}"),
    ]
    dl = "".join(f"<div><dt>{esc(k)}</dt><dd>{esc(v)}</dd></div>" for k, v in items)
    title = esc(g("title", lang, month=f"{facts.month:%Y-%m}"))
    return Html(f'<header class="as-header"><h1>{title}</h1><dl class="as-facts">{dl}</dl>'
                "</header>")


def section(key: str, lang: str) -> Html:
    return heading(g(key, lang), 2)


def lineage(facts: GroupFacts, lang: str) -> Html:
    """The publishes the group warehouse was built from: plant, publish, time, rows."""
    return table(
        facts.publishes,
        [("plant", g("plant", lang)), ("publish_id", g("publish_id", lang)),
         ("published_at", g("published_at", lang)), ("rows", g("rows", lang))],
        formats={"rows": whole},
    )


def index_html(facts: GroupFacts, lang: str, generated_at: str, page: str, title: str) -> str:
    """The pack's landing page: header, links to the page, its notebook and the manifest, and
    the group scorecard; every link relative, so the folder can be mailed as it is."""
    links = (
        f'<li><a href="{esc(page)}.html">{esc(title)}</a> <small>(<a href="{esc(page)}.ipynb">'
        f'{esc(t("executed_nb", lang))}</a>)</small></li>'
        f'<li><a href="manifest.json">{esc(t("manifest", lang))}</a> (manifest.json)</li>'
    )
    css = CSS_FILE.read_text(encoding="utf-8")
    lang_code = "zh-CN" if lang == "zh" else "en"
    return (
        f'<!DOCTYPE html><html lang="{lang_code}"><head><meta charset="utf-8">'
        f"<title>{esc(title)}</title><style>{css}</style></head><body>"
        + header(facts, lang, generated_at)
        + f'<h2>{esc(t("pages", lang))}</h2><nav class="as-pages"><ul>{links}</ul></nav>'
        + section("scorecard", lang) + scorecard(facts.scorecard, lang)
        + "</body></html>"
    )
