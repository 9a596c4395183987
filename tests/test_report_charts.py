"""Chart details a manager notices (issue: the pack as a manager reads it)."""

from __future__ import annotations

from datetime import date

import polars as pl

from pipelines.metrics.pareto import pareto_table
from pipelines.report.render import figures


def test_a_count_of_complaints_steps_by_whole_complaints():
    # Environmental complaints per quarter 1, 0, 2: ticks 0, 1, 2 (step 1), never 0.2
    frame = pl.DataFrame({
        "period_start": [date(2024, 1, 1), date(2024, 4, 1), date(2024, 7, 1)],
        "value": [1.0, 0.0, 2.0], "target": [0.0] * 3, "met": [False, True, False],
    })
    fig = figures.period_bars(frame, "env_complaints", "t", ["Q1", "Q2", "Q3"], "en")
    assert fig.layout.yaxis.dtick == 1
    assert fig.layout.yaxis.tickformat == ",d"
    # 14 complaints at most: a step of 3 keeps about six ticks (14 / 6 rounded up)
    frame = frame.with_columns(value=pl.Series([14.0, 3.0, 0.0]))
    fig = figures.period_bars(frame, "env_complaints", "t", ["Q1", "Q2", "Q3"], "en")
    assert fig.layout.yaxis.dtick == 3
    # a percentage keeps plotly's own steps
    fig = figures.period_bars(frame, "property_intact", "t", ["Q1", "Q2", "Q3"], "en")
    assert fig.layout.yaxis.dtick is None


def test_pareto_legend_above_the_plot_and_the_cumulative_axis_says_percent_once():
    table = pareto_table(pl.DataFrame({"c": ["a long cause name", "b"], "n": [3, 1]}), "c", "n")
    fig = figures.pareto(table, "c", "n", "t", "Other", "en")
    assert fig.layout.legend.y >= 1 and fig.layout.legend.yanchor == "bottom"
    assert fig.layout.yaxis2.title.text == "Cum %"


def test_free_text_labels_reach_the_chart_as_text():
    reason = '<a href="https://evil.example/phish"><span style="font-size:120px">催货</span></a>'
    fig = figures.bars([reason, "R&D"], [800, 100], "t", "x", "y")
    assert list(fig.data[0].x) == [
        '&lt;a href="https://evil.example/phish"&gt;&lt;span style="font-size:120px"&gt;'
        "催货&lt;/span&gt;&lt;/a&gt;",
        "R&amp;D",
    ]
