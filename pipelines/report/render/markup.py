"""HTML tables and page blocks of the pack; every cell goes through html.escape.

Customer names, descriptions and comments are free text from outside the company: they
must never reach the page as markup.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence
from datetime import date, datetime

import polars as pl

from pipelines import kpis
from pipelines.labels import kpi_name, kpi_unit, t


class Html(str):
    """A string that notebooks display as HTML (IPython calls `_repr_html_`)."""

    def _repr_html_(self) -> str:
        return str(self)


def esc(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return html.escape(value.strftime("%Y-%m-%d %H:%M"))
    if isinstance(value, date):
        return html.escape(value.isoformat())
    if isinstance(value, float):
        return html.escape(f"{value:,.1f}")
    if isinstance(value, int) and not isinstance(value, bool):
        return html.escape(f"{value:,}")
    return html.escape(str(value))


Formatter = Callable[[object], str]


def table(
    frame: pl.DataFrame,
    columns: Sequence[tuple[str, str]],
    formats: dict[str, Formatter] | None = None,
    css_class: str = "as-table",
    row_class: str | None = None,
    empty: str = "",
    column_classes: dict[str, str] | None = None,
    merge: str | None = None,
) -> Html:
    """An escaped table of `frame`'s `columns` ([(column, header)]).

    `formats` return raw text (escaped here) or `Html` (already escaped, e.g. `multiline`).
    `row_class` names a column holding a CSS class per row (e.g. the total row);
    `column_classes` give a column's cells a CSS class (e.g. "as-nowrap"); `merge` names a
    column whose runs of equal values become one cell spanning their rows, as in the seed's
    summary table.
    """
    formats = formats or {}
    column_classes = column_classes or {}
    if frame.height == 0:
        return Html(f'<p class="as-empty">{esc(empty)}</p>')
    head = "".join(f"<th{_class_attr(column_classes.get(n))}>{esc(header)}</th>"
                   for n, header in columns)
    names = [name for name, _ in columns]
    spans = _run_spans(frame[merge]) if merge else []
    body = []
    for i, row in enumerate(frame.iter_rows(named=True)):
        cells = []
        for n in names:
            attrs = _class_attr(column_classes.get(n))
            if n == merge:
                if spans[i] == 0:
                    continue
                attrs += f' rowspan="{spans[i]}"' if spans[i] > 1 else ""
            value = formats[n](row[n]) if n in formats else row[n]
            cells.append(f"<td{attrs}>{value if isinstance(value, Html) else esc(value)}</td>")
        klass = _class_attr(row[row_class]) if row_class else ""
        body.append(f"<tr{klass}>{''.join(cells)}</tr>")
    return Html(
        f'<table class="{css_class}"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def _class_attr(klass: object) -> str:
    return f' class="{html.escape(str(klass))}"' if klass else ""


def _run_spans(values: pl.Series) -> list[int]:
    """For each row: the length of the run of equal values it starts, 0 inside a run."""
    runs = pl.DataFrame({"run": values.rle_id()})
    return runs.select(
        pl.when(pl.col("run") != pl.col("run").shift(1).fill_null(-1))
        .then(pl.len().over("run"))
        .otherwise(0)
    ).to_series().to_list()


def multiline(value: object) -> Html:
    """Escaped text whose line breaks show on the page (one case note per line)."""
    return Html(esc(value).replace("\n", "<br>"))


def kpi_value(kpi: str, value: float | None, lang: str, target: float | None = None) -> str:
    """A KPI value with its unit: 123 PPM, 98.5 %, 1,234 元, 2 件.

    Given the `target`, a value that differs from it but would print the same (97.96 % against
    98 %) is cut towards its own side of the target instead of rounded (97.9 %), so a missed
    target never reads as equal to it and every value keeps the KPI's digits.
    """
    if value is None:
        return t("no_data", lang)
    digits = kpis.kpi(kpi).digits
    if target is not None and value != target and round(value, digits) == round(target, digits):
        step = 10 ** -digits
        value = (math.floor if value < target else math.ceil)(value / step) * step
        if round(value, digits) == round(target, digits):  # a target with more digits
            value += -step if value <= target else step
    unit = kpi_unit(kpi, lang)
    if value == 1 and unit == "complaints":
        unit = "complaint"
    return f"{value:,.{digits}f} {unit}"


def target_text(kpi: str, target: float | None, lang: str) -> str:
    """'≤ 200 PPM', '≥ 98.0 %': the target with the KPI's direction (the registry's)."""
    if target is None:
        return ""
    sign = "≤" if kpis.kpi(kpi).direction == "max" else "≥"
    return f"{sign} {kpi_value(kpi, target, lang)}"


def status_badge(met: bool | None, lang: str, has_target: bool = True) -> str:
    """Met / missed / no data; a KPI without a target (COPQ by default) says so instead."""
    key = "no_data" if met is None else ("met" if met else "missed")
    if met is None and not has_target:
        key = "no_target"
    klass = "nodata" if met is None else ("met" if met else "missed")
    return f'<span class="as-badge {klass}">{esc(t(key, lang))}</span>'


def period_text(kind: str, start: date, lang: str) -> str:
    if kind == "quarter":
        return f"{start.year} Q{(start.month - 1) // 3 + 1}"
    if kind == "half":
        half = "H1" if start.month <= 6 else "H2"
        return f"{start.year} {half}"
    return f"{start:%Y-%m}"


def trend_mark(kpi: str, value: float | None, previous: float | None) -> str:
    """The trend arrow coloured by what it means for the KPI's direction: ▼ is better for a
    KPI that must stay low (PPM), worse for one that must stay high (OTD)."""
    arrow = trend_arrow(value, previous)
    if arrow in ("▲", "▼"):
        up_is_better = kpis.kpi(kpi).direction == "min"
        better = (arrow == "▲") == up_is_better
        return f'<span class="as-trend {"better" if better else "worse"}">{arrow}</span>'
    return esc(arrow)


def trend_arrow(value: float | None, previous: float | None) -> str:
    if value is None or previous is None:
        return "–"
    if value > previous:
        return "▲"
    if value < previous:
        return "▼"
    return "▶"


def scorecard(frame: pl.DataFrame, lang: str) -> Html:
    """The KPI scorecard (SPEC §9): the last complete period's value, target, met colour, the
    period before it and the trend coloured better or worse; beside it a quarter or half-year
    still in progress to the month's end, with its own met; the month's control-chart signal
    in a column shown only when some KPI has one."""
    signals = "signal" in frame.columns and bool(frame["signal"].fill_null(False).any())
    heads = ["kpi", "period", "value", "target", "status", "previous", "trend",
             "to_date", "to_date_status"] + (["signal"] if signals else [])
    head = "".join(f"<th>{esc(t(h, lang))}</th>" for h in heads)
    rows = []
    for row in frame.iter_rows(named=True):
        kpi = row["kpi"]
        cells = [
            esc(kpi_name(kpi, lang)),
            esc(period_text(row["period_kind"], row["period_start"], lang)),
            value_cell(kpi, row["value"], row["met"], row["target"], lang),
            esc(target_text(kpi, row["target"], lang)),
            status_badge(row["met"], lang, row["target"] is not None),
            esc(kpi_value(kpi, row["previous_value"], lang)),
            trend_mark(kpi, row["value"], row["previous_value"]),
            *to_date_cells(row, lang),
        ]
        if signals:
            signal = t("signal_yes", lang) if row.get("signal") else ""
            cells.append(f'<span class="as-signal">{esc(signal)}</span>' if signal else "")
        rows.append(f'<tr class="kpi-{esc(kpi)}">' + "".join(f"<td>{c}</td>" for c in cells))
    return Html(
        f'<table class="as-table as-scorecard"><thead><tr>{head}</tr></thead>'
        f"<tbody>{'</tr>'.join(rows)}</tr></tbody></table>"
        + note(t("scorecard_periods", lang), "as-note as-footnote")
    )


def value_cell(kpi: str, value: float | None, met: bool | None, target: float | None,
               lang: str) -> str:
    klass = "nodata" if met is None else ("met" if met else "missed")
    return f'<span class="as-value {klass}">{esc(kpi_value(kpi, value, lang, target))}</span>'


def to_date_cells(row: dict, lang: str) -> tuple[str, str]:
    """The period in progress at the month's end, '2026 Q4: 0 件' and its met badge; a monthly
    KPI has none, a period that ended with the month says it is complete."""
    if row["period_kind"] == "month":
        return "", ""
    if row["to_date_start"] is None:
        return esc(t("period_complete", lang)), ""
    kpi = row["kpi"]
    period = period_text(row["period_kind"], row["to_date_start"], lang)
    value = value_cell(kpi, row["to_date_value"], row["to_date_met"], row["target"], lang)
    badge = status_badge(row["to_date_met"], lang, row["target"] is not None)
    return f"{esc(period)}: {value}", badge


def header(
    title: str,
    month: date,
    data_as_of: datetime | None,
    generated_at: str,
    held_back: int,
    warnings: int,
    lang: str,
) -> Html:
    """Page header: month, data as of, generated at, data-quality status, language note;
    plus the amber banner when rows behind the month are held back in quarantine."""
    status = t("dq_held", lang, n=f"{held_back:,}") if held_back else t("dq_ok", lang)
    if warnings:
        status += "; " + t("dq_warned", lang, n=f"{warnings:,}")
    items = [
        (t("month", lang), f"{month:%Y-%m}"),
        (t("data_as_of", lang), esc(data_as_of) if data_as_of else t("no_data", lang)),
        (t("generated_at", lang), generated_at),
        (t("dq_status", lang), status),
    ]
    facts = "".join(f"<div><dt>{esc(k)}</dt><dd>{esc(v)}</dd></div>" for k, v in items)
    note = t("lang_note", lang, month=f"{month:%Y-%m}")
    parts = [
        '<header class="as-header">',
        f"<h1>{esc(title)}</h1>",
        f'<dl class="as-facts">{facts}</dl>',
        f'<p class="as-lang">{esc(note)}</p>',
        "</header>",
    ]
    if held_back:
        parts.append(banner(held_back, lang))
    return Html("".join(parts))


def banner(held_back: int, lang: str) -> Html:
    text = t("banner", lang, n=f"{held_back:,}")
    return Html(f'<div class="as-banner" role="alert">{esc(text)}</div>')


def note(text: str, css_class: str = "as-note") -> Html:
    return Html(f'<p class="{css_class}">{esc(text)}</p>')


def heading(text: str, level: int = 3, anchor: str = "") -> Html:
    """A heading; `anchor` gives it an id that links (the findings) can point to."""
    ident = f' id="{esc(anchor)}"' if anchor else ""
    return Html(f"<h{level}{ident}>{esc(text)}</h{level}>")


def percent(value: object) -> str:
    return "" if value is None else f"{value:.1f} %"


def number(value: object) -> str:
    return "" if value is None else f"{value:,.0f}"
