"""kpi_control_limits (SPEC §5) on tests/fixtures/kpi/control, limits computed by hand.

The series (every complaint is 'assembly', supplier responsible; lines ship on the 1st and
are promised for the 10th of their month):

month    parts shipped   defects   lines  on time   complaints  answered on time
2023-07  10000 (1 line)  50        1      0         1           0
2024-01  10000 (4 x 2500) 2        4      4         2           2
2024-02  10000            4        4      3         2           2
2024-03  10000            1        4      4         2           1
2024-04  -                -        -      -         -           -     (no data at all)
2024-05  10000            3        4      2         2           2
2024-06  10000            2        4      4         2           2
2024-07  10000            6        4      3         2           1
2024-08  90000 (9 x 10000) 50      9      1         2           0
2024-09  -  (a freight row only, so September is a month of the scorecard)
"""

from __future__ import annotations

from datetime import date
from math import sqrt

import pytest
from kpi_support import ingest_fixture, make_project, read_only, rows

D = date


@pytest.fixture(scope="module")
def limits(tmp_path_factory):
    settings = make_project(tmp_path_factory.mktemp("control"))
    ingest_fixture(settings, "control")
    with read_only(settings) as con:
        found = rows(con, "SELECT * FROM kpi_control_limits")
        months = rows(con, "SELECT count(*) AS n FROM kpi_calendar")[0]["n"]
    return {(r["kpi"], r["month"]): r for r in found}, months


def test_one_row_per_charted_kpi_and_month(limits):
    found, months = limits
    # 2023-07 .. 2024-09 = 15 months, x 3 KPIs = 45 rows
    assert months == 15
    assert len(found) == 45
    assert {k for k, _ in found} == {"ppm", "otd", "response_on_time"}


def test_laney_u_prime_for_ppm_by_hand(limits):
    found, _ = limits
    row = found[("ppm", D(2024, 8, 1))]
    # Baseline of 2024-08: the 12 months 2023-08 .. 2024-07 with parts shipped > 0:
    # Jan, Feb, Mar, May, Jun, Jul = 6 (April shipped nothing; 2023-07 is 13 months back).
    assert row["baseline_months"] == 6
    # u-bar = (2+4+1+3+2+6) / (6 x 10000) = 18 / 60000 = 0.0003 -> center 300 PPM.
    assert row["center"] == pytest.approx(300.0)
    # sigma_j = sqrt(0.0003 / 10000) = 1.7320508e-4 for every baseline month, so
    # z_j = (d_j/10000 - 0.0003) / 1.7320508e-4 = (d_j - 3) / 1.7320508:
    #   z = -0.57735, 0.57735, -1.15470, 0, -0.57735, 1.73205
    # moving ranges (Mar -> May are neighbours in the list, April skipped):
    #   1.15470, 1.73205, 1.15470, 0.57735, 2.30940; mean = 6.92820 / 5 = 1.38564
    # sigma_z = 1.38564 / 1.128 = 1.228405
    # sigma_m from August's own 90000 parts: sqrt(0.0003 / 90000) = 5.7735e-5
    # half width = 3 x 5.7735e-5 x 1.228405 = 2.127660e-4 -> 212.7660 PPM
    # lcl = 300 - 212.7660 = 87.2340, ucl = 300 + 212.7660 = 512.7660
    z = [(d - 3) / sqrt(3) for d in (2, 4, 1, 3, 2, 6)]
    sigma_z = sum(abs(b - a) for a, b in zip(z, z[1:], strict=False)) / 5 / 1.128
    half_width = 3 * sqrt(0.0003 / 90000) * sigma_z * 1e6
    assert half_width == pytest.approx(212.7660, abs=1e-4)
    assert row["lcl"] == pytest.approx(87.2340, abs=1e-4)
    assert row["ucl"] == pytest.approx(512.7660, abs=1e-4)
    # August: 50 / 90000 x 1e6 = 555.56 > 512.77 -> signal.
    assert row["value"] == pytest.approx(555.5556, abs=1e-4)
    assert row["signal"] is True


def test_laney_p_prime_for_otd_by_hand(limits):
    found, _ = limits
    row = found[("otd", D(2024, 8, 1))]
    assert row["baseline_months"] == 6
    # p-bar = (4+3+4+2+4+3) / (6 x 4) = 20 / 24 = 0.833333 -> center 83.3333 %.
    assert row["center"] == pytest.approx(83.3333, abs=1e-4)
    # sigma_j = sqrt(0.833333 x 0.166667 / 4) = 0.186339 (every month has 4 lines), so
    # z_j = (p_j - 0.833333) / 0.186339 with p = 1, .75, 1, .5, 1, .75;
    # |p_j - p_j-1| = .25, .25, .5, .5, .25 -> mean .35 -> mean |dz| = .35 / .186339 = 1.878297
    # sigma_z = 1.878297 / 1.128 = 1.665157
    # sigma_m = sqrt(0.833333 x 0.166667 / 9) = 0.124226 (August: 9 lines)
    # half width = 3 x 0.124226 x 1.665157 = 0.620567 -> 62.0567 %
    # lcl = 83.3333 - 62.0567 = 21.2766; ucl = 145.3901 capped at 100.
    assert row["lcl"] == pytest.approx(21.2766, abs=1e-4)
    assert row["ucl"] == 100.0
    # August: 1 / 9 = 11.11 % < 21.28 -> signal.
    assert row["value"] == pytest.approx(11.1111, abs=1e-4)
    assert row["signal"] is True


def test_p_chart_for_response_by_hand(limits):
    found, _ = limits
    row = found[("response_on_time", D(2024, 8, 1))]
    assert row["baseline_months"] == 6
    # p-bar = (2+2+1+2+2+1) / 12 = 0.833333; no Laney factor for response.
    # half width = 3 x sqrt(0.833333 x 0.166667 / 2) = 3 x 0.263523 = 0.790569 -> 79.0569 %
    # lcl = 83.3333 - 79.0569 = 4.2764; ucl = 162.39 capped at 100.
    assert row["center"] == pytest.approx(83.3333, abs=1e-4)
    assert row["lcl"] == pytest.approx(4.2764, abs=1e-4)
    assert row["ucl"] == 100.0
    # August: 0 / 2 = 0 % < 4.28 -> signal.
    assert row["value"] == 0.0
    assert row["signal"] is True


def test_fewer_than_six_baseline_months_gives_no_limits(limits):
    found, _ = limits
    # 2024-06: baseline 2023-06 .. 2024-05 -> 2023-07, Jan, Feb, Mar, May = 5 months < 6.
    row = found[("ppm", D(2024, 6, 1))]
    assert row["baseline_months"] == 5
    assert (row["center"], row["lcl"], row["ucl"], row["signal"]) == (None, None, None, None)
    assert row["value"] == 200.0  # 2 / 10000 x 1e6, still shown


def test_twelve_month_window_includes_the_month_twelve_back(limits):
    found, _ = limits
    # 2024-07: baseline 2023-07 .. 2024-06 -> 2023-07, Jan, Feb, Mar, May, Jun = 6.
    # u-bar = (50 + 2+4+1+3+2) / 60000 = 62 / 60000 -> center 1033.333 PPM.
    row = found[("ppm", D(2024, 7, 1))]
    assert row["baseline_months"] == 6
    assert row["center"] == pytest.approx(62e6 / 60000)
    # lcl floored at 0 (the limits are wide with 2023-07's 5000 PPM in the baseline).
    assert row["lcl"] == 0.0


def test_month_without_denominator_keeps_center_but_no_limits(limits):
    found, _ = limits
    # 2024-09: nothing shipped. Baseline 2023-09 .. 2024-08: Jan, Feb, Mar, May, Jun, Jul, Aug
    # = 7 months; center = (18 + 50) / (60000 + 90000) x 1e6 = 453.333 PPM.
    row = found[("ppm", D(2024, 9, 1))]
    assert row["baseline_months"] == 7
    assert row["center"] == pytest.approx(68e6 / 150000)
    assert (row["value"], row["lcl"], row["ucl"], row["signal"]) == (None, None, None, None)


@pytest.fixture
def perfect_months(tmp_path):
    """Seven months (Jan..Jul 2024), each with one delivery line of 1000 parts on time and one
    complaint of 0 defects answered on its received day: u-bar = 0 and p-bar = 1."""
    folder = tmp_path / "inbox"
    folder.mkdir()
    complaints = ["complaint_id,received_date,customer,defect_qty,responded_date"]
    complaints += [f"P{m},2024-0{m}-03,ACME,0,2024-0{m}-03" for m in range(1, 8)]
    (folder / "complaints.csv").write_text("\n".join(complaints) + "\n", encoding="utf-8")
    deliveries = ["delivery_id,customer,qty,ship_date,promised_date,delivered_date"]
    deliveries += [f"L{m},ACME,1000,2024-0{m}-01,2024-0{m}-05,2024-0{m}-05" for m in range(1, 8)]
    (folder / "deliveries.csv").write_text("\n".join(deliveries) + "\n", encoding="utf-8")
    return folder


def test_degenerate_baselines_collapse_the_limits_to_the_center(tmp_path, perfect_months):
    from pipelines.ingest_pipeline import ingest_paths

    settings = make_project(tmp_path / "project")
    ingest_paths(settings, [perfect_months])
    with read_only(settings) as con:
        found = {
            r["kpi"]: r
            for r in rows(con, "SELECT * FROM kpi_control_limits WHERE month = DATE '2024-07-01'")
        }
    # Baseline Jan..Jun (6 months) for each KPI.
    # PPM: u-bar = 0 / 6000 = 0 -> limits = center = 0; July 0 / 1000 = 0 -> no signal.
    # OTD: p-bar = 6 / 6 = 1 -> limits = center = 100; July 1 / 1 = 100 -> no signal.
    # Response: p-bar = 6 / 6 = 1 -> limits = center = 100; July 100 -> no signal.
    expected = {
        "ppm": (0.0, 0.0, 0.0, 0.0, False),
        "otd": (100.0, 100.0, 100.0, 100.0, False),
        "response_on_time": (100.0, 100.0, 100.0, 100.0, False),
    }
    for kpi, values in expected.items():
        row = found[kpi]
        assert row["baseline_months"] == 6
        assert (row["value"], row["center"], row["lcl"], row["ucl"], row["signal"]) == values
