"""Signals, escalations, the action list and the survey half-year on tests/fixtures/report/signal.

The fixture, worked out by hand (settings: shipped defaults, PPM target 200, batch_qty 100,
repeat 3 within 30 days, recurrence within 90 days, min_survey_responses 5):
- Deliveries: every month January-August 2024 ships 6,000 parts to 甲公司 and 4,000 to 乙公司,
  10,000 in all, each line on time.
- Defects: January-July 1, 2, 1, 2, 1, 2, 1 (PPM 100 or 200). August: C-0801 10, C-0802 10,
  C-0803 30 (甲公司, cracking, P-1) and C-0804 100 (乙公司, packaging, P-2) = 150 -> 15,000
  PPM; 甲公司 50 / 6,000 = 8,333 PPM, 乙公司 100 / 4,000 = 25,000 PPM.
- Laney U' limits of August: baseline January-July, ū = 10 / 70,000 = 142.86 PPM,
  σ = √(ū / 10,000) = 119.52 PPM; z = (100 - 142.86) / 119.52 = -0.359 or
  (200 - 142.86) / 119.52 = +0.478, so every moving range is 0.837 and σ_z = 0.837 / 1.128
  = 0.742; UCL = 142.86 + 3 × 119.52 × 0.742 = 408.8 PPM < 15,000: a signal. July (baseline
  January-June, ū = 150 PPM, UCL 415.9) is inside; earlier months have < 6 baseline months.
- Escalations in August: C-0801 recurs 16 days after C-2407 (cracking, P-1) closed on
  2024-07-20, C-0802 23 days after; C-0803 is the third cracking complaint on P-1 since
  2024-08-05 (repeat) and recurs 31 days after; C-0804 has 100 defects (batch).
- Surveys: two in March 2024 (2024 H1), none in 2024 H2.
"""

from __future__ import annotations

from datetime import date

import pytest
from report_support import SIGNAL_FIXTURES, make_project

from pipelines.report.pages import review
from pipelines.report.pages.page import Page, open_page
from pipelines.report.render import palette
from pipelines.settings import Settings


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return make_project(tmp_path_factory.mktemp("signal"), SIGNAL_FIXTURES)


@pytest.fixture
def page_of(project: Settings):
    opened: list[Page] = []

    def open_(lang: str) -> Page:
        opened.append(open_page("2024-08", str(project.warehouse), lang,
                                str(project.project_dir)))
        return opened[-1]

    yield open_
    for page in opened:
        page.con.close()


def test_a_signal_month_carries_its_marker(page_of) -> None:
    figure = review.kpi_trend(page_of("en"), "ppm")
    by_name = {trace.name: trace for trace in figure.data}
    signal = by_name["Signal"]
    assert list(signal.x) == [date(2024, 8, 1)]
    assert list(signal.y) == pytest.approx([15_000.0])
    # an open amber diamond: not a met/missed dot
    assert signal.marker.symbol == "diamond-open"
    assert signal.marker.color not in (palette.MET, palette.MISSED)
    values = by_name["Complaint PPM"]
    assert values.marker.symbol is None  # plotly's default circle
    # August is the only month outside its limits; the value trace shows all eight
    assert len(values.x) == 8


def test_the_scorecard_marks_the_signal(page_of) -> None:
    html = review.scorecard(page_of("zh"))
    ppm_row = html.split('<tr class="kpi-ppm">')[1].split("</tr>")[0]
    assert "◇ 超出控制限" in ppm_row and "15,000 PPM" in ppm_row
    otd_row = html.split('<tr class="kpi-otd">')[1].split("</tr>")[0]
    assert "超出控制限" not in otd_row


def test_signal_legend_only_with_a_signal(page_of) -> None:
    # PPM's August is a signal: the legend names it in Chinese; OTD is 100 % every month
    # (every line on time), so no month is a signal and neither the symbol nor its legend shows
    ppm = [trace.name for trace in review.kpi_trend(page_of("zh"), "ppm").data]
    assert "统计信号" in ppm
    otd = [trace.name for trace in review.kpi_trend(page_of("zh"), "otd").data]
    assert "统计信号" not in otd


def test_signal_column_only_with_a_signal(page_of, project) -> None:
    # August has the PPM signal: the scorecard has the column; July has none anywhere
    assert "统计信号" in review.scorecard(page_of("zh"))
    july = open_page("2024-07", str(project.warehouse), "zh", str(project.project_dir))
    try:
        assert "统计信号" not in review.scorecard(july)
    finally:
        july.con.close()


def test_escalations_speak_the_pack_language(page_of) -> None:
    zh = review.escalations(page_of("zh"))
    assert "KS" not in zh  # nothing from the demo
    for text in (
        "C-2407 于 2024-07-20 关闭后 16 天，产品 P-1 再次出现“开裂”",
        "C-2407 于 2024-07-20 关闭后 31 天，产品 P-1 再次出现“开裂”",
        "2024-08-05 至 2024-08-20，产品 P-1 因“开裂”共 3 件客诉",
        "不良数量 100 ≥ 批量阈值 100",
        "批量问题", "重复发生", "关闭后复发", "生产部包装错误", "量产 → 运营售后",
    ):
        assert text in zh, text
    for code in ("cracking", "packaging", "recurrence", "repeat", "batch", "defect_qty"):
        assert code not in zh, code
    en = review.escalations(page_of("en"))
    assert "3 complaints on part P-1 with cause Cracking from 2024-08-05 to 2024-08-20" in en
    assert "Cracking again on part P-1 23 days after C-2407 was closed on 2024-07-20" in en
    assert "defect qty 100 ≥ batch threshold 100" in en
    assert en.count("<tr>") == 1 + 5  # header + 5 candidates (C-0803 under two rules)


def test_action_list_names_and_order(page_of) -> None:
    html = review.actions(page_of("zh"))
    rows = html.split("<tbody>")[1].split("</tr>")[:-1]
    # company line first, then customers by shortfall: 乙公司 24,800 PPM over, 甲公司 8,133
    assert len(rows) == 3
    assert "全公司" in rows[0] and "15,000 PPM" in rows[0] and "≤ 200 PPM" in rows[0]
    assert "生产部包装错误 (100), 开裂 (50)" in rows[0]
    assert "乙公司 (100), 甲公司 (50)" in rows[0]
    assert "乙公司" in rows[1] and "25,000 PPM" in rows[1]
    assert "甲公司" in rows[2] and "8,333 PPM" in rows[2]
    assert all("运营售后" in row for row in rows)
    for code in ("all", "after_sales", "packaging", "cracking"):
        assert code not in html, code
    en = review.actions(page_of("en"))
    assert "Company" in en and "Packaging error (100), Cracking (50)" in en
    assert "After-sales operations" in en


def test_survey_charts_show_the_latest_surveyed_half(page_of) -> None:
    page = page_of("en")
    note = review.survey_note(page)
    assert "No survey yet in the current half-year (2024 H2)" in note
    assert "(2024 H1)" in note
    assert "only 2 responses in 2024 H1 (fewer than 5)" in note
    scores = review.score_distribution(page)
    assert "2024 H1" in scores.layout.title.text
    bars = dict(zip(scores.data[0].x, scores.data[0].y, strict=True))
    assert bars["8"] == 1 and bars["10"] == 1 and sum(bars.values()) == 2
    dims = review.dimensions(page)
    assert "2024 H1" in dims.layout.title.text
    # every dimension: one answer 3 (甲公司) and one answer 4 (乙公司) -> 50 % each
    shares = {trace.name: list(trace.x) for trace in dims.data if len(trace.x)}
    assert shares == {"4 best": [50.0] * 7, "3 good": [50.0] * 7}
    assert dims.data[0].y[0] == "Response speed"  # the survey form's order
    comments = review.comments(page)
    assert "2024 H1" in comments and "响应及时" in comments
