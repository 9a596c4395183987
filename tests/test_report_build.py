"""Building a pack around the notebooks: the folder it may replace, the month it may speak
about, the warehouse held by an ingest, settings edited since the last ingest, and the page
sections that read the same rules as the KPIs.

Numbers come from tests/fixtures/report (worked out by hand in tests/report_support.py): the
data covers July 2024 (survey S-0701, 2024-07-20) to September 2024 (D-0904 shipped
2024-09-25); September PPM is 154 defects / 20,000 parts shipped = 7,700 PPM.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time
from datetime import date
from pathlib import Path

import pytest
from report_support import make_project

from pipelines.errors import PackTargetNotEmpty, ReportFailed, WarehouseBusy
from pipelines.ingest_pipeline import ingest_paths
from pipelines.months import parse_month
from pipelines.report.pack.build import build_pack
from pipelines.report.pages import queries, review
from pipelines.report.pages.page import open_page
from pipelines.report.render import markup
from pipelines.settings import Settings, load_settings
from pipelines.warehouse.reading import connect_for_reading
from pipelines.warehouse.refresh import refresh_views, refresh_views_if_stale

SEPTEMBER = date(2024, 9, 1)


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """A project the tests below only read."""
    return make_project(tmp_path_factory.mktemp("shared"))


@pytest.fixture
def own(tmp_path: Path) -> Settings:
    """A project a test may edit (settings, taxonomy, data)."""
    return make_project(tmp_path / "project")


def reload(settings: Settings) -> Settings:
    """The project's settings as the next command reads them from data/reference."""
    return load_settings(settings.project_dir, warehouse=settings.warehouse)


def edit_settings(settings: Settings, old: str, new: str) -> Settings:
    path = settings.project_dir / "data" / "reference" / "settings.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return reload(settings)


# --- the folder a pack may replace ------------------------------------------------------


def test_a_folder_of_the_users_is_refused_and_kept(shared: Settings, tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(PackTargetNotEmpty) as refused:
        build_pack(shared, SEPTEMBER, out=mine)
    assert str(mine) in str(refused.value) and "--out" in str(refused.value)
    assert (mine / "notes.txt").read_text(encoding="utf-8") == "keep me"
    assert sorted(p.name for p in mine.iterdir()) == ["notes.txt"]


def test_the_project_folder_itself_is_refused(shared: Settings) -> None:
    # `aftersales report --out .` run in the project folder
    with pytest.raises(PackTargetNotEmpty):
        build_pack(shared, SEPTEMBER, out=shared.project_dir)
    assert (shared.project_dir / "data" / "reference" / "settings.toml").is_file()
    assert shared.warehouse.is_file()


def test_a_folder_holding_other_packs_is_refused(shared: Settings, tmp_path: Path) -> None:
    # `--out reports`: the folder of every pack, not a pack itself
    reports = tmp_path / "reports"
    earlier = reports / "2024-08"
    earlier.mkdir(parents=True)
    (earlier / "index.html").write_text("august", encoding="utf-8")
    (earlier / "manifest.json").write_text(
        '{"parameters": {}, "code_version": "x", "packages": {}}', encoding="utf-8"
    )
    with pytest.raises(PackTargetNotEmpty):
        build_pack(shared, SEPTEMBER, out=reports)
    assert (earlier / "index.html").read_text(encoding="utf-8") == "august"


def test_a_manifest_that_is_not_ours_does_not_make_a_pack(
    shared: Settings, tmp_path: Path
) -> None:
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "index.html").write_text("my site", encoding="utf-8")
    (folder / "manifest.json").write_text('{"name": "my web app"}', encoding="utf-8")
    with pytest.raises(PackTargetNotEmpty):
        build_pack(shared, SEPTEMBER, out=folder)
    assert (folder / "index.html").read_text(encoding="utf-8") == "my site"


# --- the month ---------------------------------------------------------------------------


@pytest.mark.parametrize("month", ["2030-01", "2024-06"])
def test_a_month_outside_the_data_is_refused(
    shared: Settings, tmp_path: Path, month: str
) -> None:
    out = tmp_path / "pack"
    with pytest.raises(ReportFailed) as refused:
        build_pack(shared, parse_month(month), out=out)
    message = str(refused.value)
    assert "2024-07 to 2024-09" in message and month in message
    assert not out.exists()
    with pytest.raises(ReportFailed, match="2024-07 to 2024-09"):
        open_page(month, str(shared.warehouse), "en", str(shared.project_dir))


def test_default_month_follows_the_kpi_calendar(own: Settings, tmp_path: Path) -> None:
    # a line shipped 2024-09-30 but promised 2024-10-03: the calendar files a delivery under
    # its ship date, so October is no month of the data
    late = tmp_path / "late.csv"
    late.write_text(
        "delivery_id,customer,part_no,qty,ship_date,promised_date,delivered_date\n"
        "D-0905,淄博商贸,P-108,100,2024-09-30,2024-10-03,2024-10-03\n",
        encoding="utf-8",
    )
    ingest_paths(own, [late], source="deliveries")
    with connect_for_reading(own) as con:
        assert queries.calendar_bounds(con, date(2024, 11, 15)) == (
            date(2024, 7, 1), date(2024, 9, 1), date(2024, 9, 1)
        )
        # September ends 2024-09-30, before these days
        assert queries.default_month(con, today=date(2024, 11, 15)) == date(2024, 9, 1)
        assert queries.default_month(con, today=date(2024, 10, 1)) == date(2024, 9, 1)
        # on its last day September is not complete yet: August
        assert queries.default_month(con, today=date(2024, 9, 30)) == date(2024, 8, 1)
        # no month of the calendar has ended yet: its last month
        assert queries.default_month(con, today=date(2024, 7, 15)) == date(2024, 9, 1)


# --- the warehouse held by an ingest ----------------------------------------------------

HOLD_WRITER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from pipelines.settings import load_settings
    from pipelines.warehouse.writing import connect_for_writing

    settings = load_settings(Path(sys.argv[1]), warehouse=Path(sys.argv[2]))
    with connect_for_writing(settings):
        print("holding", flush=True)
        time.sleep(float(sys.argv[3]))
""")


def hold_writer(settings: Settings, seconds: float) -> subprocess.Popen:
    """Another process holding the warehouse as an ingest does, for `seconds`."""
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD_WRITER, str(settings.project_dir), str(settings.warehouse),
         str(seconds)],
        stdout=subprocess.PIPE, text=True,
    )
    assert process.stdout is not None and process.stdout.readline().strip() == "holding"
    return process


def test_a_page_waits_while_an_ingest_writes(own: Settings) -> None:
    writer = hold_writer(own, 1.5)
    try:
        started = time.monotonic()
        page = open_page("2024-09", str(own.warehouse), "en", str(own.project_dir))
        try:
            assert page.month == date(2024, 9, 1)
            # it opened once the writer let go, 1.5 s after it said "holding" (the writer's
            # process may still be exiting then, so its exit is not the test)
            assert time.monotonic() - started >= 1.0
        finally:
            page.close()
    finally:
        writer.wait(timeout=30)


def test_a_writer_that_stays_gives_one_sentence(own: Settings, tmp_path: Path) -> None:
    settings = edit_settings(own, "lock_timeout_seconds = 30", "lock_timeout_seconds = 1.0")
    writer = hold_writer(settings, 60)
    try:
        with pytest.raises(WarehouseBusy) as page_busy:
            open_page("2024-09", str(settings.warehouse), "en", str(settings.project_dir))
        with pytest.raises(WarehouseBusy):
            build_pack(settings, SEPTEMBER, out=tmp_path / "pack")
    finally:
        writer.kill()
        writer.wait(timeout=30)
    assert str(settings.warehouse) in str(page_busy.value)
    assert "run the command again" in str(page_busy.value)
    assert not (tmp_path / "pack").exists()


# --- sections that follow the KPIs' rules ------------------------------------------------


def test_top_parts_count_a_cause_missing_from_the_taxonomy(own: Settings) -> None:
    # rough_surface leaves the taxonomy after C-0902 (P-513, 150) was loaded; the PPM still
    # counts it (a cause missing from the taxonomy is not proven to be someone else's)
    causes = own.project_dir / "data" / "reference" / "causes.csv"
    lines = causes.read_text(encoding="utf-8").splitlines(keepends=True)
    causes.write_text("".join(x for x in lines if not x.startswith("rough_surface,")),
                      encoding="utf-8")
    settings = reload(own)
    refresh_views(settings)
    page = open_page("2024-09", str(settings.warehouse), "en", str(settings.project_dir))
    try:
        parts = queries.top_parts(page.con, page.month).rows()
        ppm_defects = page.con.execute(
            "SELECT sum(numerator) FROM kpi_by_customer_monthly "
            "WHERE kpi = 'ppm' AND month = DATE '2024-09-01'"
        ).fetchall()[0][0]
    finally:
        page.close()
    # P-513: C-0902 150 + C-0905 (pending) 1; P-721: C-0901 3; P-108 logistics and P-529
    # customer_caused are not the supplier's
    assert parts == [("P-513", 2, 151), ("P-721", 1, 3)]
    assert ppm_defects == 151 + 3


def test_cause_pareto_by_defect_quantity(shared: Settings) -> None:
    page = open_page("2024-09", str(shared.warehouse), "en", str(shared.project_dir))
    try:
        by_qty, qty_table = review.cause_pareto(page, "cause", 1, "defect_qty")
        by_count, _count_table = review.cause_pareto(page, "cause", 1)
    finally:
        page.close()
    # September, not rejected: C-0902 150, C-0901 3, C-0904 2, C-0903 1, C-0905 1 = 157.
    # The bars before Cracking reach 150 / 157 = 95.5 % >= 95 %: it and the rest fold into
    # Other = 3 + 2 + 1 + 1 = 7
    bars, cumulative, _reference = by_qty.data
    assert list(bars.x) == ["Rough or uneven surface", "Other"]
    assert list(bars.y) == [150, 7]
    assert list(cumulative.y) == pytest.approx([150 / 157 * 100, 100.0])
    assert by_qty.layout.title.text == "Complaint causes this month by defect quantity (Pareto)"
    assert by_qty.layout.yaxis.title.text == "Defect qty" and bars.name == "Defect qty"
    assert "<th>Defect qty</th>" in qty_table and "95.5 %" in qty_table
    # by count: five complaints of one each, 20 % apiece, nothing folds
    count_bars = by_count.data[0]
    assert list(count_bars.y) == [1, 1, 1, 1, 1] and "Other" not in count_bars.x
    assert by_count.layout.yaxis.title.text == "Count"


def test_the_language_note_names_a_folder_of_its_own() -> None:
    zh = markup.header("t", date(2024, 9, 1), None, "now", 0, 0, "zh")
    en = markup.header("t", date(2024, 9, 1), None, "now", 0, 0, "en")
    assert "aftersales report --month 2024-09 --lang en --out reports/2024-09-en" in zh
    assert "aftersales report --month 2024-09 --lang zh --out reports/2024-09" in en


# --- settings edited since the last ingest, an earlier pack replaced ----------------------


def test_a_settings_edit_reaches_the_next_pack_which_replaces_the_last(
    own: Settings, tmp_path: Path
) -> None:
    out = tmp_path / "pack"
    out.mkdir()  # an empty folder may take a pack
    build_pack(own, SEPTEMBER, lang="zh", out=out)
    first = (out / "index.html").read_text(encoding="utf-8")
    # shipped PPM target 200: 7,700 misses it
    assert "≤ 200 PPM" in first and '<span class="as-value missed">7,700 PPM</span>' in first
    review_page = (out / "review.html").read_text(encoding="utf-8")
    # both cause Paretos of the month, titles as plotly's JSON writes them
    for title in ("本月客诉原因柏拉图", "本月客诉原因柏拉图（按不良数量）"):
        assert f'"title":{{"text":{json.dumps(title)}' in review_page

    (out / "notes.html").write_text("the user's, beside the first pack", encoding="utf-8")
    settings = edit_settings(own, "target = 200", "target = 8000")
    refresh_views_if_stale(settings)  # as `aftersales report` does before it builds the pack
    build_pack(settings, SEPTEMBER, lang="zh", out=out)
    second = (out / "index.html").read_text(encoding="utf-8")
    # target 8,000: 7,700 <= 8,000 meets it
    assert "≤ 8,000 PPM" in second and "≤ 200 PPM" not in second
    assert '<span class="as-value met">7,700 PPM</span>' in second
    # the pack replaces only what it wrote (SPEC §12)
    assert (out / "notes.html").read_text(encoding="utf-8") == "the user's, beside the first pack"
