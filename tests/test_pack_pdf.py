"""review.pdf (SPEC §10), printed by Debian's chromium and read back with poppler-utils.

The numbers are report_support's, worked out by hand there: September 2024 PPM
(3 + 150 + 1) / 20000 parts = 7700 PPM, OTD 2 of 4 lines on time = 50.0 %, the summary
table's total row 5 complaints this month and 3 last month.
"""

from __future__ import annotations

import re
import subprocess
from datetime import date
from pathlib import Path

import pytest
from report_support import make_project
from typer.testing import CliRunner

from pipelines.cli import app
from pipelines.kpis import registry
from pipelines.labels import label, t
from pipelines.report.pack.build import build_pack
from pipelines.report.pack.pdf import CHROMIUM, CHROMIUM_ENV

SEPTEMBER = date(2024, 9, 1)
# A4 landscape in PostScript points: 297 mm x 210 mm at 72 / 25.4 points per mm
A4_LANDSCAPE = (round(297 * 72 / 25.4), round(210 * 72 / 25.4))  # (842, 595)


def poppler(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def page_count(pdf: Path) -> int:
    return int(re.search(r"^Pages:\s+(\d+)", poppler("pdfinfo", str(pdf)), re.M).group(1))


def page_texts(pdf: Path) -> list[str]:
    """The text layer of every page, in reading order (poppler's -layout keeps table rows)."""
    return [poppler("pdftotext", "-layout", "-f", str(n), "-l", str(n), str(pdf), "-")
            for n in range(1, page_count(pdf) + 1)]


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module", params=["zh", "en"])
def pdf(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    assert CHROMIUM.is_file(), "Debian chromium is missing: make browser"
    settings = make_project(tmp_path_factory.mktemp(f"pdf-{request.param}"))
    pack = build_pack(settings, SEPTEMBER, lang=request.param, pdf=True)
    return request.param, pack / "review.pdf"


def test_every_page_is_a4_landscape(pdf) -> None:
    _, path = pdf
    pages = page_count(path)
    info = poppler("pdfinfo", "-f", "1", "-l", str(pages), str(path))
    sizes = re.findall(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info, re.M)
    assert len(sizes) == pages > 1
    assert {(round(float(w)), round(float(h))) for w, h in sizes} == {A4_LANDSCAPE}
    # small enough to mail: the HTML page is several MB, its PDF well under
    assert path.stat().st_size < 5_000_000


def test_every_font_is_embedded(pdf) -> None:
    _, path = pdf
    rows = poppler("pdffonts", str(path)).splitlines()[2:]  # two heading lines
    assert rows
    # columns from the right: emb sub uni object-id generation
    assert [row.split()[-5] for row in rows] == ["yes"] * len(rows)


def test_every_footer_has_the_month_and_the_page_number(pdf) -> None:
    lang, path = pdf
    texts = page_texts(path)
    for number, text in enumerate(texts, start=1):
        footer = label("pack", "pdf_footer", lang).format(
            month="2024-09", page=number, pages=len(texts))
        assert footer in text, (number, text[-200:])
        assert t("review_title", lang) in text


def test_the_text_is_searchable_with_the_kpis_and_the_worked_totals(pdf) -> None:
    lang, path = pdf
    texts = page_texts(path)
    everything = flat(" ".join(texts))
    # the scorecard: every KPI of the registry by its name, all on the first page
    for code in registry():
        assert label("kpi", code, lang) in flat(texts[0]), code
    assert "7,700 PPM" in flat(texts[0])
    assert "50.0 %" in flat(texts[0])
    # the summary table's total row: its label, then 5 this month and 3 last month
    assert re.search(rf"{re.escape(t('total', lang))}\s+5\s+3\b", everything), lang


def test_the_charts_are_drawn(pdf) -> None:
    lang, path = pdf
    texts = [flat(text) for text in page_texts(path)]
    everything = " ".join(texts)
    # chart titles and axis titles exist only inside the plotly SVG: they are in the text
    # layer only when the JavaScript drew the charts before printing
    for kpi in ("ppm", "otd", "premium_freight", "response_on_time"):
        assert t("trend_title", lang, kpi=label("kpi", kpi, lang)) in everything, kpi
    assert t("pareto_cause_month", lang) in everything
    assert t("axis_month", lang) in everything
    # the PPM trend's y axis reaches past 7700 PPM: a tick at 8000 (plotly's round step)
    ppm_page = next(text for text in texts
                    if t("trend_title", lang, kpi=label("kpi", "ppm", lang)) in text)
    assert re.search(r"\b8000\b", ppm_page)


def test_a_section_stays_on_one_page_with_its_heading(pdf) -> None:
    lang, path = pdf
    texts = [flat(text) for text in page_texts(path)]
    for heading, kpi in (("s_ppm", "ppm"), ("s_otd", "otd")):
        page = next(n for n, text in enumerate(texts) if t(heading, lang) in text)
        assert t("trend_title", lang, kpi=label("kpi", kpi, lang)) in texts[page], heading


def test_without_chromium_the_html_pack_is_written_and_one_sentence_says_how_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("AFTERSALES_WAREHOUSE", raising=False)
    monkeypatch.setenv(CHROMIUM_ENV, str(tmp_path / "no-chromium"))
    monkeypatch.setenv("COLUMNS", "400")
    result = CliRunner().invoke(app, ["report", "--month", "2024-09", "--pdf"])
    assert result.exit_code == 1
    message = flat(result.output)
    assert "review.pdf was not written because Chromium is not installed" in message
    assert "make browser" in message and "apt-get install chromium fonts-noto-cjk" in message
    assert "Traceback" not in result.output
    pack = tmp_path / "reports" / "2024-09"
    assert (pack / "index.html").is_file() and (pack / "review.html").is_file()
    assert not (pack / "review.pdf").exists()
