"""SPEC §9: a pack for month m shows the state at the end of m, the same when re-run later.

tests/fixtures/as_of/ runs from July to December 2024. Worked out by hand (shipped settings:
sla_days 1, targets PPM 200, OTD 98 %, response 100 %, satisfaction 90 %, property 100 %,
environmental complaints 0):
- September, as of 2024-09-30: complaints C-0901 (responded 09-21, due 09-21: on time; closed
  only on 10-05, so still open), C-0902 (received 09-30, due 10-01, responded 10-01: not yet
  answered at 09-30, so late), C-0903 (on time) -> response on time 2 / 3 = 66.7 %; open at the
  month's end: C-0901, C-0902, C-0903. Parts shipped in September: D-0901, D-0902, D-0904 =
  3,000 (D-0903 shipped on 10-02); defects 3 + 1 + 1 = 5 -> 1,667 PPM. Lines promised in
  September: D-0901, D-0902 on time, D-0903 (promised 09-28, not delivered by 09-30) late ->
  OTD 2 / 3 = 66.7 %.
- October, as of 2024-10-31: property intact, a quarter KPI in its first month: last complete
  2024 Q3 = (10 + 9) / (10 + 10) = 95.0 % (missed), 2024 Q4 to date = October's PC-3 10 / 10 =
  100.0 % (met; November's PC-4, 5 of 10 intact, has not happened). Environmental complaints:
  Q3 C-0903 = 1 (missed), Q4 to date C-1001 = 1 (missed; November's C-1101 not counted).
  Satisfaction, a half-year KPI: last complete 2024 H1 = S-1 9 -> 90.0 % (met), H2 to date
  S-2 8 and S-3 10 -> 90.0 % (met; December's S-4 with 4 would make it 73.3 %).
"""

from __future__ import annotations

import csv
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from report_support import make_project

from pipelines.report.pack.build import build_pack
from pipelines.report.pages import review
from pipelines.report.pages.page import open_page
from pipelines.settings import Settings

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "as_of"
SEPTEMBER_END = date(2024, 9, 30)

# The SPEC §9 dates of each source's rows, written out here rather than taken from the
# product: a row belongs to the state at day d when any of its dates is on or before d.
ROW_DATES = {
    "complaints": ("received_date",),
    "deliveries": ("ship_date", "promised_date"),
    "surveys": ("survey_date",),
    "property_checks": ("check_date",),
    "freight": ("ship_date",),
    "actions": ("opened_date",),
}


def cut_at(day: date, into: Path) -> Path:
    """The fixture as an export made at the end of `day` would hold it: the rows dated by
    then (their later dates, a closure or a delivery, left as they are: the pack must judge
    them at the month's end itself)."""
    into.mkdir()
    for path in FIXTURE.glob("*.csv"):
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        kept = [r for r in rows
                if any(r[c] and date.fromisoformat(r[c]) <= day for c in ROW_DATES[path.stem])]
        with (into / path.name).open("w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(kept)
    return into


class Cells(HTMLParser):
    """Every table cell, list item, heading and paragraph of a page's text, in order; the
    header's facts (data as of, generated at) are left out: they tell when, not what."""

    TAGS = ("td", "th", "li", "h1", "h2", "h3", "p", "caption")

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[str] = []
        self.open: list[str] = []
        self.text: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "dl"):
            self.skip += 1
        if tag in self.TAGS:
            self.open.append(tag)
            self.text = []

    def handle_endtag(self, tag):
        if tag in ("script", "style", "dl"):
            self.skip -= 1
        if self.open and tag == self.open[-1]:
            self.open.pop()
            self.cells.append(f"{tag}: {' '.join(''.join(self.text).split())}")

    def handle_data(self, data):
        if not self.skip:
            self.text.append(data)


def cells(page: Path) -> list[str]:
    parser = Cells()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.cells


@pytest.fixture(scope="module")
def full(tmp_path_factory) -> Settings:
    return make_project(tmp_path_factory.mktemp("full"), FIXTURE)


def test_an_old_month_rerun_equals_the_warehouse_cut_at_its_end(full, tmp_path_factory):
    root = tmp_path_factory.mktemp("cut")
    export = cut_at(SEPTEMBER_END, root / "export")
    (root / "project").mkdir()
    cut = make_project(root / "project", export)
    for lang in ("zh", "en"):
        later = build_pack(full, date(2024, 9, 1), lang=lang, out=full.project_dir / lang)
        then = build_pack(cut, date(2024, 9, 1), lang=lang, out=cut.project_dir / lang)
        rerun, at_the_time = cells(later / "review.html"), cells(then / "review.html")
        assert len(rerun) > 200  # the whole review page, not an error page
        assert rerun == at_the_time
        assert cells(later / "index.html") == cells(then / "index.html")


def scorecard_of(settings: Settings, month: str) -> str:
    page = open_page(month, str(settings.warehouse), "en", str(settings.project_dir))
    try:
        return review.scorecard(page)
    finally:
        page.close()


def row_cells(html: str, kpi: str) -> list[str]:
    row = html.split(f'<tr class="kpi-{kpi}">')[1].split("</tr>")[0]
    parser = Cells()
    parser.feed(f"<table><tr>{row}</tr></table>")
    return [c.split(": ", 1)[1] for c in parser.cells if c.startswith("td")]


def test_september_is_judged_at_its_end(full):
    page = open_page("2024-09", str(full.warehouse), "en", str(full.project_dir))
    try:
        html = review.scorecard(page)
        open_ids = review.open_complaints(page)
    finally:
        page.close()
    assert row_cells(html, "response_on_time")[:5] == [
        "Complaint response on time", "2024-09", "66.7 %", "≥ 100.0 %", "missed"]
    assert row_cells(html, "ppm")[2] == "1,667 PPM"
    assert row_cells(html, "otd")[2] == "66.7 %"
    for complaint in ("C-0901", "C-0902", "C-0903"):
        assert complaint in open_ids
    assert "C-1001" not in open_ids and "C-1101" not in open_ids


def test_a_quarter_kpi_in_its_first_month_shows_last_quarter_and_quarter_to_date(full):
    html = scorecard_of(full, "2024-10")
    # kpi, period, value, target, status, previous, trend, to date, to-date status
    prop = row_cells(html, "property_intact")
    assert prop[1:5] == ["2024 Q3", "95.0 %", "≥ 100.0 %", "missed"]
    assert prop[7:9] == ["2024 Q4: 100.0 %", "met"]
    env = row_cells(html, "env_complaints")
    assert env[1:5] == ["2024 Q3", "1 complaint", "≤ 0 complaints", "missed"]
    assert env[7:9] == ["2024 Q4: 1 complaint", "missed"]
    sat = row_cells(html, "satisfaction")
    assert sat[1:5] == ["2024 H1", "90.0 %", "≥ 90.0 %", "met"]
    assert sat[7:9] == ["2024 H2: 90.0 %", "met"]
    # a monthly KPI has no period in progress
    assert row_cells(html, "ppm")[7:9] == ["", ""]


def test_a_period_ending_with_the_month_is_complete(full):
    html = scorecard_of(full, "2024-09")
    # Q3 ends on 2024-09-30: it is the last complete quarter, nothing is in progress
    prop = row_cells(html, "property_intact")
    assert prop[1:3] == ["2024 Q3", "95.0 %"]
    assert prop[7] == "period complete"


def test_the_findings_of_october(full):
    # As of 2024-10-31 (see the module's text): PPM October = C-1001's 5 defects over the
    # 2,000 parts shipped in October (D-0903 on 10-02, D-1001) = 2,500 PPM, its cause cracking;
    # property intact missed in 2024 Q3 (95.0 %) and met to date in Q4; environmental
    # complaints already 1 in Q4 to date (C-1001, cracking). 8D: A-1001 opened 10-09, its D4
    # due 10-19 (d4_days 10) and not done at 10-31: 12 days overdue; A-0901's D4 (due 10-01)
    # and D6 (due 10-21) were done on 10-10 and 10-20. No complaint of October is pending
    # analysis, and four months of data make no control-chart signal.
    from pipelines.report.pages.headlines import findings

    page = open_page("2024-10", str(full.warehouse), "en", str(full.project_dir))
    try:
        shown, total = findings(page)
    finally:
        page.close()
    assert [(f.kind, f.section) for f in shown] == [
        ("missed", "s_ppm"), ("missed", "s_property"), ("overdue", "s_loop"),
        ("missed", "s_property")]
    assert total == 4
    assert [f.text for f in shown] == [
        "Complaint PPM 2024-10 at 2,500 PPM missed its target ≤ 200 PPM; "
        "biggest contributor: Cracking (5)",
        "Customer property intact 2024 Q3 at 95.0 % missed its target ≥ 100.0 %",
        "8D steps overdue at the month's end: 1; the oldest is A-1001 (12 days overdue)",
        "Environmental complaints 2024 Q4 at 1 complaint missed its target ≤ 0 complaints; "
        "biggest contributor: Cracking (1)",
    ]


def test_a_kpi_without_a_target_says_so(full):
    # COPQ has no default target (pipelines/kpis.toml): its status is "no target", not "no data"
    html = scorecard_of(full, "2024-10")
    assert row_cells(html, "copq")[3:5] == ["", "no target"]
