"""Plotly figures of the pack: titled, with units, targets, control limits and signals.

Figures render through an offline notebook renderer: plotly.js is embedded once per page
(no CDN, no MathJax), so the exported HTML opens without a network.
"""

from __future__ import annotations

import html

import plotly.graph_objects as go
import plotly.io as pio
import polars as pl
from plotly.io._base_renderers import NotebookRenderer
from plotly.subplots import make_subplots

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


def _layout(
    fig: go.Figure, title: str, x_title: str, y_title: str, **overrides: object
) -> go.Figure:
    """The pack's one chart style: title, font, legend below; `overrides` for special cases."""
    fig.update_layout(
        title={"text": title, "x": 0.01, "xanchor": "left"},
        font={"family": palette.FONT_FAMILY, "size": 13},
        legend={"orientation": "h", "y": -0.18},
        margin={"l": 60, "r": 60, "t": 60, "b": 60},
        height=440,
    )
    fig.update_layout(**overrides)
    fig.update_xaxes(title_text=x_title)
    fig.update_yaxes(title_text=y_title)
    return fig


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
    fig = go.Figure()
    if limits and frame["ucl"].is_not_null().any():
        # UCL and LCL share one legend entry named after the chart type; hover tells them apart
        for column, key, dash, legend in (("ucl", "ucl", "dash", True),
                                          ("lcl", "lcl", "dash", False),
                                          ("center", "center", "dot", True)):
            fig.add_trace(go.Scatter(
                x=months, y=frame[column].to_list(), mode="lines",
                name=limits if column != "center" else t(key, lang),
                legendgroup=column if column == "center" else "limits", showlegend=legend,
                line={"color": palette.LIMIT, "dash": dash, "width": 1.5, "shape": "hvh"},
                hovertemplate="%{x|%Y-%m}: %{y:,.1f}<extra>" + t(key, lang) + "</extra>",
            ))
    fig.add_trace(go.Scatter(
        x=months, y=frame["target"].to_list(), mode="lines", name=t("target", lang),
        line={"color": palette.TARGET, "dash": "longdash", "width": 2},
    ))
    fig.add_trace(go.Scatter(
        x=months, y=values, mode="lines+markers", name=name,
        line={"color": palette.BAR, "width": 2},
        marker={"color": colours, "size": 10, "line": {"color": "white", "width": 1}},
    ))
    if limits and frame["signal"].fill_null(False).any():
        fig.add_trace(signal_trace(frame, lang))
    fig = _layout(fig, t("trend_title", lang, kpi=name), t("axis_month", lang),
                  _axis_title(kpi, lang))
    fig.update_xaxes(tickformat="%Y-%m", dtick="M1")
    return fig


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
    fig = go.Figure()
    fig.add_trace(go.Bar(
        x=labels, y=frame["value"].to_list(), name=kpi_name(kpi, lang),
        marker_color=colours, text=[_short(v) for v in frame["value"].to_list()],
        textposition="outside",
    ))
    fig.add_trace(go.Scatter(
        x=labels, y=frame["target"].to_list(), mode="lines+markers", name=t("target", lang),
        line={"color": palette.TARGET, "dash": "longdash", "width": 2},
    ))
    fig = _layout(fig, title, t("period", lang), _axis_title(kpi, lang))
    if kpis.kpi(kpi).value == "total" and kpis.kpi(kpi).digits == 0:
        # a count of complaints: whole steps, never 0.2 complaints
        fig.update_yaxes(tickformat=",d", rangemode="tozero", dtick=_count_step(frame["value"]))
    return fig


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
    if horizontal:
        trace = go.Bar(y=labels, x=values, orientation="h", marker_color=palette.BAR,
                       text=[_short(v) for v in values], textposition="auto")
        fig = _layout(go.Figure(trace), title, y_title, x_title)
        fig.update_yaxes(autorange="reversed", type="category")
        return fig
    trace = go.Bar(x=labels, y=values, marker_color=palette.BAR,
                   text=[_short(v) for v in values], textposition="auto")
    fig = _layout(go.Figure(trace), title, x_title, y_title)
    fig.update_xaxes(type="category")
    return fig


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
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.add_trace(go.Bar(
        x=labels, y=frame[weight].to_list(), name=weight_title, marker_color=colours,
        text=frame[weight].to_list(), textposition="auto",
    ), secondary_y=False)
    fig.add_trace(go.Scatter(
        x=labels, y=frame["cum_percent"].to_list(), name=t("cum_percent", lang),
        mode="lines+markers", line={"color": palette.CUMULATIVE, "width": 2},
        cliponaxis=False,
    ), secondary_y=True)
    fig.add_trace(go.Scatter(
        x=[labels[0], labels[-1]] if labels else [], y=[80, 80], name=t("ref_80", lang),
        mode="lines", line={"color": palette.LIMIT, "dash": "dash", "width": 1.5},
    ), secondary_y=True)
    # the legend above the plot: long cause names below the bars are rotated into the space a
    # legend below would take
    _layout(fig, title, "", "",
            legend={"orientation": "h", "x": 0, "xanchor": "left", "y": 1.0, "yanchor": "bottom"},
            margin={"l": 60, "r": 60, "t": 90, "b": 80}, height=480, bargap=0.15)
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=labels)
    fig.update_yaxes(title_text=weight_title, secondary_y=False, rangemode="tozero")
    fig.update_yaxes(title_text=t("cum_percent", lang), secondary_y=True,
                     range=[0, 100], tickmode="array", tickvals=[0, 20, 40, 60, 80, 100],
                     ticksuffix=" %", showgrid=False)
    return fig


def stacked_shares(
    frame: pl.DataFrame, category: str, stack: str, value: str, title: str,
    x_title: str, y_title: str, colours: dict[str, str],
) -> go.Figure:
    """100 % stacked horizontal bars (survey dimensions by answer)."""
    fig = go.Figure()
    for name, colour in colours.items():
        part = frame.filter(pl.col(stack) == name)
        fig.add_trace(go.Bar(
            y=plain(part[category].to_list()), x=part[value].to_list(), name=name,
            orientation="h", marker_color=colour,
            text=[_short(v) for v in part[value].to_list()], textposition="inside",
        ))
    fig = _layout(fig, title, x_title, y_title)
    fig.update_layout(barmode="stack")
    fig.update_xaxes(range=[0, 100], ticksuffix=" %")
    fig.update_yaxes(type="category", autorange="reversed", categoryorder="array",
                     categoryarray=plain(frame[category].unique(maintain_order=True).to_list()))
    return fig


def stacked_bars(
    frame: pl.DataFrame, x: str, stack: str, value: str, title: str, x_title: str,
    y_title: str, names: dict[str, str],
) -> go.Figure:
    """Bars of `value` per `x`, stacked by `stack` in the order of `names` (code -> label),
    e.g. the cost of poor quality per month by component."""
    fig = go.Figure()
    for code, name in names.items():
        part = frame.filter(pl.col(stack) == code)
        fig.add_trace(go.Bar(x=part[x].to_list(), y=part[value].to_list(), name=name))
    fig = _layout(fig, title, x_title, y_title)
    fig.update_layout(barmode="stack")
    fig.update_xaxes(tickformat="%Y-%m", dtick="M1")
    return fig


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
    fig = go.Figure(go.Heatmap(
        x=axis, y=axis, z=[[s * o for s in axis] for o in axis], showscale=False,
        colorscale=[[i / 24, levels[i + 1]] for i in range(25)], zmin=1, zmax=25,
        text=[["<br>".join(cells.get((o, s), [])) for s in axis] for o in axis],
        texttemplate="%{text}", hovertemplate="S %{x} × O %{y} = %{z}<extra></extra>",
    ))
    fig = _layout(fig, title, x_title, y_title)
    fig.update_xaxes(dtick=1)
    fig.update_yaxes(dtick=1)
    return fig
