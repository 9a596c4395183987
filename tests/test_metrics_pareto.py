"""pareto_table: Minitab-style sorting, Other folding and Count / Percent / Cum %."""

from __future__ import annotations

import polars as pl
import pytest

from pipelines.metrics.pareto import pareto_table


def test_tail_folds_into_other_after_the_share():
    # Total 100. Sorted: cracking 50 (cum 50 %), paint 30 (80 %), dimension 15 (95 %),
    # then design 3 and packaging 2. With other_share 0.95 the bars up to and including the
    # one reaching 95 % stay; design + packaging = 5 fold into Other (5 %, cum 100 %).
    frame = pl.DataFrame(
        {
            "cause": ["paint", "design", "cracking", "packaging", "dimension"],
            "complaints": [30, 3, 50, 2, 15],
        }
    )
    table = pareto_table(frame, "cause", "complaints")
    assert table.columns == ["cause", "complaints", "percent", "cum_percent"]
    assert table["cause"].to_list() == ["cracking", "paint", "dimension", "Other"]
    assert table["complaints"].to_list() == [50, 30, 15, 5]
    assert table["percent"].to_list() == pytest.approx([50.0, 30.0, 15.0, 5.0])
    assert table["cum_percent"].to_list() == pytest.approx([50.0, 80.0, 95.0, 100.0])


def test_rows_are_summed_per_label_and_ties_sort_by_label():
    # Two months of causes: a = 2 + 2 = 4, b = 4, c = 1 + 1 = 2 -> total 10.
    # a and b tie at 4: a first. Cum: 40 %, 80 %, 100 %. share 1.0: nothing folds.
    frame = pl.DataFrame({"cause": ["b", "a", "c", "a", "c"], "n": [4, 2, 1, 2, 1]})
    table = pareto_table(frame, "cause", "n", other_share=1.0)
    assert table["cause"].to_list() == ["a", "b", "c"]
    assert table["n"].to_list() == [4, 4, 2]
    assert table["cum_percent"].to_list() == pytest.approx([40.0, 80.0, 100.0])


def test_other_stays_last_even_when_larger_than_a_kept_bar():
    # Total 20: x 10 reaches 50 % = other_share 0.5 on its own, so y, z, w, v, u (2 each)
    # fold into Other = 10 (50 %); Other ties x in size but is still listed last.
    frame = pl.DataFrame({"cause": ["x", "y", "z", "w", "v", "u"], "n": [10, 2, 2, 2, 2, 2]})
    table = pareto_table(frame, "cause", "n", other_share=0.5, other_label="其他")
    assert table.rows() == [("x", 10, 50.0, 50.0), ("其他", 10, 50.0, 100.0)]


def test_weight_by_defect_quantity():
    # By defect quantity: assembly 150 (75 %), cracking 40 (95 %), paint 10 -> Other 10 (5 %).
    frame = pl.DataFrame({"cause": ["paint", "cracking", "assembly"], "defect_qty": [10, 40, 150]})
    table = pareto_table(frame, "cause", "defect_qty")
    assert table.rows() == [
        ("assembly", 150, 75.0, 75.0),
        ("cracking", 40, 20.0, 95.0),
        ("Other", 10, 5.0, 100.0),
    ]


def test_empty_frame_gives_an_empty_table():
    frame = pl.DataFrame({"cause": [], "n": []}, schema={"cause": pl.String, "n": pl.Int64})
    table = pareto_table(frame, "cause", "n")
    assert table.height == 0
    assert table.columns == ["cause", "n", "percent", "cum_percent"]
