"""Open every page of a built pack in Debian's chromium from disk, with the network cut off."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Page, sync_playwright
from report_support import REPO, make_project

from pipelines.report.pack.build import build_pack

SEPTEMBER = date(2024, 9, 1)

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    assert CHROMIUM.is_file(), "Debian chromium is missing: apt-get install chromium"
    settings = make_project(tmp_path_factory.mktemp("project"))
    return build_pack(settings, SEPTEMBER, lang="zh")


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


def open_offline(browser, path: Path) -> tuple[Page, list[str], list[str]]:
    """Open a page from disk; every non-file request is aborted and recorded."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    blocked: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))

    def route(r):
        if r.request.url.startswith("file://"):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.goto(path.as_uri(), wait_until="load")
    return page, errors, blocked


def assert_clean(page: Page, errors: list[str], blocked: list[str]) -> None:
    assert errors == []
    assert blocked == []
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator("img[src='x']").count() == 0


def test_index_links_every_page_and_shows_the_banner(browser, pack: Path) -> None:
    page, errors, blocked = open_offline(browser, pack / "index.html")
    hrefs = page.eval_on_selector_all("a", "els => els.map(e => e.getAttribute('href'))")
    for name in ("review.html", "review.ipynb", "data_quality.html", "data_quality.ipynb",
                 "manifest.json"):
        assert name in hrefs
        assert (pack / name).is_file()
    # one complaint row (C-0907, date 2024-13-45) of the September files is quarantined
    assert "有 1 行未通过数据质量检查" in page.locator(".as-banner").inner_text()
    assert "1 行数据被隔离" in page.locator(".as-facts").inner_text()
    assert_clean(page, errors, blocked)
    page.close()


def test_review_page_draws_every_chart_offline(browser, pack: Path) -> None:
    page, errors, blocked = open_offline(browser, pack / "review.html")
    page.wait_for_function(
        "[...document.querySelectorAll('.plotly-graph-div')]"
        ".every(d => d.querySelector('.main-svg'))", timeout=30_000,
    )
    charts = page.locator(".plotly-graph-div")
    # 4 KPI trends + freight by reason + 5 Paretos (the month's causes by count and by defect
    # quantity, 12 months' causes, both periods' categories) + satisfaction, scores,
    # dimensions + property and environmental quarters = 15 charts; closing the loop (SPEC §8):
    # containment and closure trends, the COPQ stack, the risk matrix = 4 more: 19
    assert charts.count() == 19
    for i in range(charts.count()):
        assert charts.nth(i).locator(".main-svg").count() > 0
    assert_clean(page, errors, blocked)
    html = (pack / "review.html").read_text(encoding="utf-8")
    # plotly.js embedded exactly once; the page alone stays small enough to mail
    assert len(re.findall(r"plotly\.js v\d", html)) == 1
    assert len(html.encode()) < 8_000_000
    # the hostile description is on the page as text, escaped
    assert "&lt;img src=x onerror=window.__pwned=1&gt;" in html
    # a freight reason written as a link in a styled span (F-0902) is a chart label as text:
    # no link and no styled text inside any chart, the tags shown as typed (SPEC §12)
    assert page.locator(".plotly-graph-div a").count() == 0
    assert page.locator(".plotly-graph-div [style*='120px']").count() == 0
    ticks = page.eval_on_selector_all(".plotly-graph-div .xtick text",
                                      "els => els.map(e => e.textContent)")
    assert any('<a href="https://evil.example/phish">' in tick for tick in ticks)
    # the summary table's total row: 5 complaints this month, 3 last month (see report_support)
    total = page.locator("table.as-summary tr.as-total td")
    assert total.nth(3).inner_text() == "5"
    assert total.nth(4).inner_text() == "3"
    assert "合计" in total.nth(2).inner_text()
    assert page.locator(".as-banner").count() == 1
    (REPO / "docs").mkdir(exist_ok=True)
    page.screenshot(path=str(REPO / "docs" / "pack.png"), full_page=False)
    page.close()


def test_data_quality_page_opens_offline(browser, pack: Path) -> None:
    page, errors, blocked = open_offline(browser, pack / "data_quality.html")
    text = page.locator("body").inner_text()
    assert "complaints.csv" in text
    assert "2024-13-45" in text
    assert_clean(page, errors, blocked)
    page.close()


def test_english_pack_draws_every_chart_offline(browser, tmp_path_factory) -> None:
    settings = make_project(tmp_path_factory.mktemp("english"))
    pack = build_pack(settings, SEPTEMBER, lang="en")
    page, errors, blocked = open_offline(browser, pack / "review.html")
    page.wait_for_function(
        "[...document.querySelectorAll('.plotly-graph-div')]"
        ".every(d => d.querySelector('.main-svg'))", timeout=30_000,
    )
    assert page.locator(".plotly-graph-div").count() == 19  # the same 19 charts as in zh
    assert "KPI scorecard" in page.locator("body").inner_text()
    assert "Total" in page.locator("table.as-summary tr.as-total td").nth(2).inner_text()
    assert_clean(page, errors, blocked)
    page.close()
