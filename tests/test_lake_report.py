"""The group pack (SPEC §13): group scorecard, plants side by side with best and worst by the
KPI's direction, the group Pareto and each plant's top causes, in both languages, opened in
Debian's chromium with the network cut off. Numbers: tests/lake_support.py."""

from __future__ import annotations

import re
from datetime import date
from html import unescape
from pathlib import Path

import pytest
from lake_support import cli, group_project, make_plant
from playwright.sync_api import sync_playwright
from test_pack_browser import ARGS, CHROMIUM, assert_clean, open_offline

from pipelines.errors import PackTargetNotEmpty
from pipelines.group.pack import build_group_pack
from pipelines.lake.catalog import locate
from pipelines.lake.group import build_group
from pipelines.lake.publish import publish

SEPTEMBER = date(2024, 9, 1)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("group-pack")
    for code in ("SH01", "BJ02"):
        publish(make_plant(root, code), locate(str(root / "lake")), code)
    settings = group_project(root)
    warehouse = build_group(settings, locate(str(root / "lake")), root / "g.duckdb").warehouse
    return root, settings, warehouse


def cells(page: str, table_class: str, kpi: str) -> list[str]:
    """The text of each cell of the KPI's row in the table of that class."""
    body = re.search(rf'<table class="as-table {table_class}">(.*?)</table>', page, re.S)
    assert body, table_class
    row = re.search(rf'<tr class="kpi-{kpi}">(.*?)</tr>', body.group(1), re.S)
    assert row, kpi
    texts = re.findall(r"<td>(.*?)</td>", row.group(1), re.S)
    return [" ".join(unescape(re.sub(r"<[^>]+>", " ", t)).split()) for t in texts]


def test_plants_side_by_side_with_best_and_worst(built, tmp_path):
    root, settings, warehouse = built
    pack = build_group_pack(warehouse, SEPTEMBER, "en", tmp_path / "en", settings.project_dir)
    text = (pack / "group_review.html").read_text(encoding="utf-8")
    # columns: KPI, period, BJ02, SH01, group target, best, worst
    assert cells(text, "as-plants", "ppm") == [
        "Complaint PPM", "2024-09",
        "1,250 PPM ≤ 1,500 PPM met",  # BJ02 against its own target
        "3,000 PPM ≤ 200 PPM missed",
        "≤ 200 PPM",
        "BJ02", "SH01",  # at most its target: the lowest PPM is the best
    ]
    # OTD 100 % in both plants: the first code is the best, none is the worst
    assert cells(text, "as-plants", "otd")[2:] == [
        "100.0 % ≥ 98.0 % met", "100.0 % ≥ 98.0 % met", "≥ 98.0 %", "BJ02", "–"]
    # the group scorecard: all plants as one company, (30 + 50) / 50,000 × 1e6
    assert cells(text, "as-scorecard", "ppm")[:4] == [
        "Complaint PPM", "2024-09", "1,600 PPM", "≤ 200 PPM"]


def test_causes_of_the_group_and_of_each_plant(built, tmp_path):
    root, settings, warehouse = built
    pack = build_group_pack(warehouse, SEPTEMBER, "en", tmp_path / "en", settings.project_dir)
    text = (pack / "group_review.html").read_text(encoding="utf-8")
    assert "Complaint causes of all plants this month (Pareto)" in text
    # Pareto table of September: cracking, 2 complaints, 100 %
    assert re.search(r"<td>Cracking</td><td>2</td><td>100.0</td><td>100.0</td>", text)
    # each plant's top cause: one cracking complaint each
    plant_causes = re.findall(r"<td[^>]*>(BJ02|SH01)</td><td>Cracking</td><td>1</td>"
                              r"<td>(\d+)</td>", text)
    assert plant_causes == [("BJ02", "50"), ("SH01", "30")]


def test_the_chinese_pack_from_the_command_line_opens_offline(built, tmp_path):
    root, settings, _ = built
    out = tmp_path / "zh"
    done = cli(settings.project_dir, "group", "report", "--lake", str(root / "lake"),
               "--month", "2024-09", "--out", str(out), "--warehouse", str(tmp_path / "g.duckdb"))
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "group_review.html", "group_review.ipynb", "index.html", "manifest.json"]
    text = (out / "group_review.html").read_text(encoding="utf-8")
    assert "集团质量评审 2024-09" in text and "各工厂对比" in text
    assert cells(text, "as-plants", "ppm")[-2:] == ["BJ02", "SH01"]
    assert "open_facts(" not in text  # code hidden
    assert CHROMIUM.is_file(), "Debian chromium is missing: apt-get install chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            view, errors, blocked = open_offline(browser, out / "group_review.html")
            assert view.locator(".js-plotly-plot").count() == 2  # both Paretos drew, offline
            assert_clean(view, errors, blocked)
            index, errors, blocked = open_offline(browser, out / "index.html")
            hrefs = index.eval_on_selector_all("a", "els => els.map(e => e.getAttribute('href'))")
            assert hrefs == ["group_review.html", "group_review.ipynb", "manifest.json"]
            assert_clean(index, errors, blocked)
        finally:
            browser.close()


def test_a_folder_of_the_users_is_never_replaced(built, tmp_path):
    root, settings, warehouse = built
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(PackTargetNotEmpty):
        build_group_pack(warehouse, SEPTEMBER, "en", out, settings.project_dir)
    assert [p.name for p in out.iterdir()] == ["notes.txt"]


def test_a_month_outside_the_data_is_one_sentence(built, tmp_path):
    root, settings, _ = built
    done = cli(settings.project_dir, "group", "report", "--lake", str(root / "lake"),
               "--month", "2025-03", "--out", str(tmp_path / "x"),
               "--warehouse", str(tmp_path / "g.duckdb"))
    assert done.returncode == 1
    assert done.stderr.strip() == (
        "Error: The data in the warehouse covers 2024-09 to 2024-10, not 2025-03; give --month "
        "within that range, or ingest that month's files first.")
    assert not (tmp_path / "x").exists()


def test_the_pack_goes_to_reports_group_of_the_last_complete_month(built):
    _, settings, warehouse = built
    pack = build_group_pack(warehouse, None, "zh", None, settings.project_dir)
    # the last complete month with data: October 2024
    assert pack == Path(settings.project_dir).resolve() / "reports" / "group" / "2024-10"
    assert (pack / "index.html").is_file()


def test_the_group_pack_prints_to_pdf(built, tmp_path):
    # the group review printed like the plant pack's review.pdf (SPEC §10, §13): A4 landscape,
    # both plants and the group's PPM, (30 + 50) / 50,000 x 1e6 = 1,600, in the text layer,
    # the month in every page's footer
    from test_pack_pdf import A4_LANDSCAPE, flat, page_count, page_texts, poppler

    root, settings, warehouse = built
    pack = build_group_pack(warehouse, SEPTEMBER, "en", tmp_path / "pdf", settings.project_dir,
                            pdf=True)
    pdf = pack / "review.pdf"
    pages = page_count(pdf)
    info = poppler("pdfinfo", "-f", "1", "-l", str(pages), str(pdf))
    sizes = re.findall(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info, re.M)
    assert {(round(float(w)), round(float(h))) for w, h in sizes} == {A4_LANDSCAPE}
    texts = page_texts(pdf)
    whole = flat(" ".join(texts))
    for text in ("BJ02", "SH01", "1,600 PPM"):
        assert text in whole, text
    assert all("2024-09" in page for page in texts)
