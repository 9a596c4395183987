"""Plotly figures of the pack: titled, with units, targets, control limits and signals.

Figures render through an offline notebook renderer: plotly.js is embedded once per page
(no CDN, no MathJax), so the exported HTML opens without a network.

Each figure is made in one call, its traces and whole layout given to `go.Figure`: plotly
validates every property once either way, but each `update_layout`/`update_xaxes` call
walks the figure's property tree again; a Pareto made with `make_subplots` and updates took
30-55 ms, made at once 4 ms, and a review page draws twenty charts.
"""

from __future__ import annotations

import html

import plotly.graph_objects as go
import plotly.io as pio
import polars as pl
from plotly.io._base_renderers import NotebookRenderer

from pipelines import kpis
from pipelines.labels import kpi_name, kpi_unit, t
from pipelines.report.render import palette

RENDERER = "aftersales_offline"
TEMPLATE = "plotly_white"

# The pack's chart style, as plotly's default template rather than given to each figure: a
# template given in update_layout is validated by a deep copy of it per figure (20 ms each,
# 0.4 s of a review page); the default is applied to each new figure without that copy.
pio.templates.default = TEMPLATE


class OfflineNotebookRenderer(NotebookRenderer):
    """The notebook renderer without its MathJax CDN script: one text/html output per figure."""

    def to_mimebundle(self, fig_dict: dict) -> dict:
        html = pio.to_html(
            fig_dict,
            config=self.config,
            include_plotlyjs=False,
            include_mathjax=False,
            full_html=False,
            default_width="100%",
            default_height=440,
            validate=False,
        )
        return {"text/html": f'<div class="as-chart">{html}</div>'}


def use_offline_renderer() -> None:
    """Make `fig.show()` embed plotly.js once in the first figure's output (offline pages)."""
    pio.renderers[RENDERER] = OfflineNotebookRenderer(config={"displaylogo": False})
    pio.renderers.default = RENDERER


def _figure(
    traces: list[go.Bar | go.Scatter | go.Heatmap], title: str, x_title: str, y_title: str,
    **layout: object,
) -> go.Figure:
    """The pack's one chart style: title, font, legend below, axis titles; `layout` for the
    chart's own axes and special cases, merged key by key as `update_layout` would."""
    style: dict[str, object] = {
        "title": {"text": title, "x": 0.01, "xanchor": "left"},
        "font": {"family": palette.FONT_FAMILY, "size": 13},
        "legend": {"orientation": "h", "y": -0.18},
        "margin": {"l": 60, "r": 60, "t": 60, "b": 60},
        "height": 440,
        "xaxis": {"title": {"text": x_title}},
        "yaxis": {"title": {"text": y_title}},
    }
    return go.Figure(data=traces, layout=_merged(style, layout))


def _merged(base: dict, changes: dict) -> dict:
    """`base` with `changes`, nested dicts merged rather than replaced."""
    merged = dict(base)
    for key, value in changes.items():
        old = merged.get(key)
        merged[key] = (_merged(old, value) if isinstance(old, dict) and isinstance(value, dict)
                       else value)
    return merged


def plain(labels: list[object]) -> list[str]:
    """Free text (a freight reason, a cause or customer name) as text only: plotly renders a
    subset of HTML in labels, ticks and hover texts (links, styles), so `<`, `>` and `&` are
    written as entities, which it shows as the characters themselves (SPEC §12)."""
    return [html.escape(str(x), quote=False) if x is not None else "" for x in labels]


def _axis_title(kpi: str, lang: str) -> str:
    """'准时交付率 (%)'; a name that already ends with its unit ('客诉PPM') stays as it is."""
    name, unit = kpi_name(kpi, lang), kpi_unit(kpi, lang)
    return name if name.endswith(unit) else f"{name} ({unit})"


def kpi_trend(
    frame: pl.DataFrame, kpi: str, lang: str, limits: str | None = None
) -> go.Figure:
    """Monthly trend: value (green met, red missed), target line, control limits, signals."""
    months = frame["month"].to_list()
    values = frame["value"].to_list()
    colours = [palette.status_colour(m) for m in frame["met"].to_list()]
    name = kpi_name(kpi, lang)
    traces: list[go.Bar | go.Scatter | go.Heatmap] = []
    if limits and frame["ucl"].is_not_null().any():
        # UCL and LCL share one legend entry named after the chart type; hover tells them apart
        for column, key, dash, legend in (("ucl", "ucl", "dash", True),
                                          ("lcl", "lcl", "dash", False),
                                          ("center", "center", "dot", True)):
            traces.append(go.Scatter(
                x=months, y=frame[column].to_list(), mode="lines",
                name=limits if column != "center" else t(key, lang),
                legendgroup=column if column == "center" else "limits", showlegend=legend,
                line={"color": palette.LIMIT, "dash": dash, "width": 1.5, "shape": "hvh"},
                hovertemplate="%{x|%Y-%m}: %{y:,.1f}<extra>" + t(key, lang) + "</extra>",
            ))
    traces.append(go.Scatter(
        x=months, y=frame["target"].to_list(), mode="lines", name=t("target", lang),
        line={"color": palette.TARGET, "dash": "longdash", "width": 2},
    ))
    traces.append(go.Scatter(
        x=months, y=values, mode="lines+markers", name=name,
        line={"color": palette.BAR, "width": 2},
        marker={"color": colours, "size": 10, "line": {"color": "white", "width": 1}},
    ))
    if limits and frame["signal"].fill_null(False).any():
        traces.append(signal_trace(frame, lang))
    return _figure(traces, t("trend_title", lang, kpi=name), t("axis_month", lang),
                   _axis_title(kpi, lang), xaxis={"tickformat": "%Y-%m", "dtick": "M1"})


def signal_trace(frame: pl.DataFrame, lang: str) -> go.Scatter:
    """Months outside their control limits, ringed with an open amber diamond.

    Drawn only when some month is a signal, so the legend never explains a symbol the chart
    does not show; its shape and colour differ from the met/missed dots it surrounds.
    """
    signals = frame.filter(pl.col("signal").fill_null(False))
    x, y = signals["month"].to_list(), signals["value"].to_list()
    return go.Scatter(
        x=x, y=y, mode="markers",
        name=t("signal", lang),
        marker={"symbol": palette.SIGNAL_SYMBOL, "size": 22, "color": palette.SIGNAL,
                "line": {"width": 3, "color": palette.SIGNAL}},
        hovertemplate="%{x|%Y-%m}: %{y:,.1f}<extra>" + t("signal_yes", lang) + "</extra>",
    )


def period_bars(frame: pl.DataFrame, kpi: str, title: str, labels: list[str], lang: str):
    """Quarter or half-year KPI as bars coloured met/missed, with the target line."""
    colours = [palette.status_colour(m) for m in frame["met"].to_list()]
    traces: list[go.Bar | go.Scatter | go.Heatmap] = [
        go.Bar(x=labels, y=frame["value"].to_list(), name=kpi_name(kpi, lang),
               marker_color=colours, text=[_short(v) for v in frame["value"].to_list()],
               textposition="outside"),
        go.Scatter(x=labels, y=frame["target"].to_list(), mode="lines+markers",
                   name=t("target", lang),
                   line={"color": palette.TARGET, "dash": "longdash", "width": 2}),
    ]
    counts = kpis.kpi(kpi).value == "total" and kpis.kpi(kpi).digits == 0
    # a count of complaints: whole steps, never 0.2 complaints
    yaxis = ({"tickformat": ",d", "rangemode": "tozero", "dtick": _count_step(frame["value"])}
             if counts else {})
    return _figure(traces, title, t("period", lang), _axis_title(kpi, lang), yaxis=yaxis)


def _count_step(values: pl.Series) -> int:
    """A whole tick step giving at most about six ticks up to the largest count."""
    top = int(values.fill_null(0).max() or 0)
    return max(1, -(-top // 6))


def _short(value: float | None) -> str:
    return "" if value is None else f"{value:,.1f}".removesuffix(".0")


def bars(
    labels: list[str], values: list[float], title: str, x_title: str, y_title: str,
    horizontal: bool = False,
) -> go.Figure:
    """Plain bars for rankings (customers, parts, reasons)."""
    labels = plain(labels)
    text = [_short(v) for v in values]
    if horizontal:
        trace = go.Bar(y=labels, x=values, orientation="h", marker_color=palette.BAR,
                       text=text, textposition="auto")
        return _figure([trace], title, y_title, x_title,
                       yaxis={"autorange": "reversed", "type": "category"})
    trace = go.Bar(x=labels, y=values, marker_color=palette.BAR, text=text,
                   textposition="auto")
    return _figure([trace], title, x_title, y_title, xaxis={"type": "category"})


def pareto(
    frame: pl.DataFrame, label: str, weight: str, title: str, other_label: str, lang: str,
    weight_title: str | None = None,
) -> go.Figure:
    """Minitab-style Pareto: sorted bars, Other last in grey, cum % on a 0-100 % axis, 80 % line.

    `frame` is `pipelines.metrics.pareto.pareto_table` output (percent columns in %);
    `weight_title` names what the bars count (default: the count of complaints).
    """
    weight_title = weight_title or t("count", lang)
    names = frame[label].cast(pl.Utf8).to_list()
    colours = [palette.OTHER_BAR if x == other_label else palette.BAR for x in names]
    labels = plain(names)
    traces: list[go.Bar | go.Scatter | go.Heatmap] = [
        go.Bar(x=labels, y=frame[weight].to_list(), name=weight_title, marker_color=colours,
               text=frame[weight].to_list(), textposition="auto", xaxis="x", yaxis="y"),
        go.Scatter(x=labels, y=frame["cum_percent"].to_list(), name=t("cum_percent", lang),
                   mode="lines+markers", line={"color": palette.CUMULATIVE, "width": 2},
                   cliponaxis=False, xaxis="x", yaxis="y2"),
        go.Scatter(x=[labels[0], labels[-1]] if labels else [], y=[80, 80],
                   name=t("ref_80", lang), mode="lines",
                   line={"color": palette.LIMIT, "dash": "dash", "width": 1.5}, xaxis="x",
                   yaxis="y2"),
    ]
    # the legend above the plot: long cause names below the bars are rotated into the space a
    # legend below would take; the cum % axis on the right, over the bars' (as plotly's
    # make_subplots with a secondary y axis lays them out)
    return _figure(
        traces, title, "", weight_title,
        legend={"orientation": "h", "x": 0, "xanchor": "left", "y": 1.0, "yanchor": "bottom"},
        margin={"l": 60, "r": 60, "t": 90, "b": 80}, height=480, bargap=0.15,
        xaxis={"anchor": "y", "domain": [0.0, 0.94], "type": "category",
               "categoryorder": "array", "categoryarray": labels},
        yaxis={"anchor": "x", "domain": [0.0, 1.0], "rangemode": "tozero"},
        yaxis2={"anchor": "x", "overlaying": "y", "side": "right",
                "title": {"text": t("cum_percent", lang)}, "range": [0, 100],
                "tickmode": "array", "tickvals": [0, 20, 40, 60, 80, 100],
                "ticksuffix": " %", "showgrid": False},
    )


def stacked_shares(
    frame: pl.DataFrame, category: str, stack: str, value: str, title: str,
    x_title: str, y_title: str, colours: dict[str, str],
) -> go.Figure:
    """100 % stacked horizontal bars (survey dimensions by answer)."""
    traces: list[go.Bar | go.Scatter | go.Heatmap] = []
    for name, colour in colours.items():
        part = frame.filter(pl.col(stack) == name)
        traces.append(go.Bar(
            y=plain(part[category].to_list()), x=part[value].to_list(), name=name,
            orientation="h", marker_color=colour,
            text=[_short(v) for v in part[value].to_list()], textposition="inside",
        ))
    order = plain(frame[category].unique(maintain_order=True).to_list())
    return _figure(traces, title, x_title, y_title, barmode="stack",
                   xaxis={"range": [0, 100], "ticksuffix": " %"},
                   yaxis={"type": "category", "autorange": "reversed",
                          "categoryorder": "array", "categoryarray": order})


def stacked_bars(
    frame: pl.DataFrame, x: str, stack: str, value: str, title: str, x_title: str,
    y_title: str, names: dict[str, str],
) -> go.Figure:
    """Bars of `value` per `x`, stacked by `stack` in the order of `names` (code -> label),
    e.g. the cost of poor quality per month by component."""
    traces: list[go.Bar | go.Scatter | go.Heatmap] = []
    for code, name in names.items():
        part = frame.filter(pl.col(stack) == code)
        traces.append(go.Bar(x=part[x].to_list(), y=part[value].to_list(), name=name))
    return _figure(traces, title, x_title, y_title, barmode="stack",
                   xaxis={"tickformat": "%Y-%m", "dtick": "M1"})


def risk_matrix(
    frame: pl.DataFrame, title: str, x_title: str, y_title: str, levels: dict[int, str]
) -> go.Figure:
    """The severity x likelihood matrix (1-5 each): every cell coloured by the level its score
    has (`levels`: score -> colour), the register's risk ids written in their cell."""
    cells: dict[tuple[int, int], list[str]] = {}
    for row in frame.iter_rows(named=True):
        # a risk id is the user's text: escaped, so it reaches the chart as text only
        cells.setdefault((row["likelihood"], row["severity"]), []).extend(
            plain([row["risk_id"]]))
    axis = list(range(1, 6))
    heatmap = go.Heatmap(
        x=axis, y=axis, z=[[s * o for s in axis] for o in axis], showscale=False,
        colorscale=[[i / 24, levels[i + 1]] for i in range(25)], zmin=1, zmax=25,
        text=[["<br>".join(cells.get((o, s), [])) for s in axis] for o in axis],
        texttemplate="%{text}", hovertemplate="S %{x} × O %{y} = %{z}<extra></extra>",
    )
    return _figure([heatmap], title, x_title, y_title, xaxis={"dtick": 1}, yaxis={"dtick": 1})
