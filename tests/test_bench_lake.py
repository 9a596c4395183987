"""The lake stages' own logic: the plants' codes and the one row of their publishes."""

from __future__ import annotations

from bench.lake import group_label, plant_codes, publish_total
from bench.results import Stage
from pipelines.lake.catalog import check_plant


def test_plant_codes_are_numbered_and_accepted_by_the_lake() -> None:
    assert plant_codes(3) == ["P01", "P02", "P03"]
    # a hundred plants need three digits, so the codes still sort in plant order
    hundred = plant_codes(100)
    assert (hundred[0], hundred[-1], len(set(hundred))) == ("P001", "P100", 100)
    assert sorted(hundred) == hundred
    assert all(check_plant(code) == code for code in hundred)


def test_publishes_are_one_row_summed_with_the_largest_peak() -> None:
    parts = [
        Stage("publish plant P01", "3 × 20k", rows=100, wall_s=1.5, peak_rss_mb=300.0),
        Stage("publish plant P02", "3 × 20k", rows=100, wall_s=2.0, peak_rss_mb=350.0),
        Stage("publish plant P03", "3 × 20k", rows=100, wall_s=1.75, peak_rss_mb=320.0),
    ]
    total = publish_total(group_label(3, "20k"), parts)
    # 1.5 + 2.0 + 1.75 = 5.25 s one after the other; 3 × 100 rows; the peak of P02, 350 MB
    assert (total.name, total.size) == ("publish 3 plants", "3 × 20k")
    assert (total.wall_s, total.rows, total.peak_rss_mb) == (5.25, 300, 350.0)
    assert total.note == ("one after the other · each 1.50–2.00 s · "
                          "first 1.50 s, last 1.75 s")
