"""The review's KPI views and action list, computed once by the pack and loaded by the review
notebook's page (`pipelines.report.pages.snapshot`), and index.html taken from the review's
own outputs (`pipelines.report.pages.index`).

On tests/fixtures/report/signal (worked out in tests/test_report_signals.py): August 2024
misses the PPM target, 150 defects over 10,000 parts = 15,000 PPM; the action list has three
lines, the company's, then 乙公司 (100 / 4,000 = 25,000 PPM) and 甲公司 (50 / 6,000 =
8,333 PPM).
"""

from __future__ import annotations

import time
from pathlib import Path

import nbformat
import polars as pl
import pytest
from polars.testing import assert_frame_equal
from report_support import SIGNAL_FIXTURES, make_project

from pipelines.ingest_pipeline import ingest_paths
from pipelines.report.pack.build import pages
from pipelines.report.pages import index, queries, review
from pipelines.report.pages.page import Page, open_page
from pipelines.report.pages.snapshot import (
    failed_marker,
    load_snapshot,
    mark_failed,
    write_snapshot,
)
from pipelines.settings import Settings


@pytest.fixture
def project(tmp_path: Path) -> Settings:
    return make_project(tmp_path / "signal", SIGNAL_FIXTURES)


def page(project: Settings, month: str = "2024-08", snapshot: Path | None = None) -> Page:
    return open_page(month, str(project.warehouse), "en", str(project.project_dir),
                     kpi_snapshot=str(snapshot or ""))


def write(p: Page, path: Path) -> None:
    write_snapshot(p.con, p.month, p.action_list(), path)


def kpi_tables(p: Page) -> dict[str, pl.DataFrame]:
    return {view: p.con.sql(f"SELECT * FROM {view} ORDER BY ALL").pl()
            for view in queries.KPI_VIEWS}


def temporary_tables(p: Page) -> list[str]:
    return [row[0] for row in p.con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE temporary ORDER BY 1").fetchall()]


def test_a_loaded_snapshot_is_what_the_page_computes(project: Settings, tmp_path: Path) -> None:
    path = tmp_path / "kpi-snapshot.duckdb"
    writer, computed = page(project), page(project)
    loaded = None
    try:
        write(writer, path)
        assert not failed_marker(path).exists()
        assert not path.with_name(path.name + ".writing").exists()
        loaded = page(project, snapshot=path)
        # loaded, not computed: the temporary tables are there before anything is read
        assert temporary_tables(loaded) == sorted(queries.KPI_VIEWS)
        assert_frame_equal(loaded.action_list(), computed.action_list())
        for view, frame in kpi_tables(computed).items():
            assert_frame_equal(kpi_tables(loaded)[view], frame, check_dtypes=True)
        # the three lines of tests/test_report_signals.py, in their order
        actions = loaded.action_list()
        assert actions["scope"].to_list() == ["all", "乙公司", "甲公司"]
        assert actions["value"].to_list() == pytest.approx([15_000.0, 25_000.0, 50 / 6_000 * 1e6])
        html = review.actions(loaded)
        assert "Company" in html and "Packaging error (100), Cracking (50)" in html
    finally:
        for p in (writer, computed, loaded):
            if p is not None:
                p.close()


def test_a_snapshot_of_another_month_is_not_used(project: Settings, tmp_path: Path) -> None:
    path = tmp_path / "kpi-snapshot.duckdb"
    july = page(project, "2024-07")
    try:
        write(july, path)
    finally:
        july.close()
    august = page(project, snapshot=path)
    try:
        assert temporary_tables(august) == []  # nothing loaded: the page computes its own
        # August computed on its own page: the 15,000 PPM of its company line
        assert august.action_list()["value"][0] == pytest.approx(15_000.0)
    finally:
        august.close()


def test_a_snapshot_of_an_earlier_warehouse_is_not_used(
    project: Settings, tmp_path: Path
) -> None:
    path = tmp_path / "kpi-snapshot.duckdb"
    before = page(project)
    try:
        write(before, path)
    finally:
        before.close()
    # one more delivery file lands after the snapshot: a new batch in the ledger
    extra = tmp_path / "deliveries_extra.csv"
    extra.write_text(
        "delivery_id,customer,part_no,qty,ship_date,promised_date,delivered_date\n"
        "D-EXTRA,甲公司,P-1,1000,2024-08-20,2024-08-22,2024-08-22\n", encoding="utf-8")
    ingest_paths(project, [extra])
    after = page(project, snapshot=path)
    try:
        assert temporary_tables(after) == []  # not loaded
        # computed on the page: 150 defects over 10,000 + 1,000 parts = 13,636.4 PPM
        assert after.action_list()["value"][0] == pytest.approx(150 / 11_000 * 1e6)
    finally:
        after.close()


def test_a_failed_or_missing_snapshot_leaves_the_page_to_compute(
    project: Settings, tmp_path: Path
) -> None:
    failed = tmp_path / "failed.duckdb"
    mark_failed(failed, RuntimeError("the warehouse went away"))
    assert "RuntimeError: the warehouse went away" in failed_marker(failed).read_text()
    started = time.monotonic()
    p = page(project, snapshot=failed)  # the marker ends the wait at once
    try:
        assert time.monotonic() - started < 30
        assert temporary_tables(p) == []
        assert load_snapshot(p.con, p.month, tmp_path / "never.duckdb", wait_seconds=0.1) is None
        assert temporary_tables(p) == []
        # computed on the page: the company line's 15,000 PPM
        assert p.action_list()["value"][0] == pytest.approx(15_000.0)
    finally:
        p.close()


def review_like(scorecard: str | None, findings: str | None) -> nbformat.NotebookNode:
    """An executed notebook with the review's two tagged cells (None: the cell is untagged)."""
    def cell(tag: str | None, html: str) -> nbformat.NotebookNode:
        node = nbformat.v4.new_code_cell("x")
        node.metadata["tags"] = [tag] if tag else []
        node.outputs = [
            nbformat.v4.new_output("display_data", {"text/html": "<h2>section</h2>"}),
            nbformat.v4.new_output("execute_result", {"text/html": html}, execution_count=1),
        ]
        return node

    return nbformat.v4.new_notebook(cells=[
        cell(index.SCORECARD_TAG if scorecard else None, scorecard or "<table>ours</table>"),
        cell(index.FINDINGS_TAG if findings else None, findings or "<ol>ours</ol>"),
    ])


def test_the_index_shows_the_review_notebooks_own_outputs(project: Settings) -> None:
    p = page(project)
    try:
        nb = review_like('<table class="from-review">scorecard</table>',
                         '<ol><li><a href="#s_ppm">PPM missed</a></li></ol>')
        html = index.index_html(p, pages("en"), nb)
    finally:
        p.close()
    assert '<table class="from-review">scorecard</table>' in html
    # the review page's links to its own sections lead to that page from the index
    assert '<a href="review.html#s_ppm">PPM missed</a>' in html
    assert 'href="#s_ppm"' not in html
    assert "<h2>section</h2>" not in html  # only the cells' results


def test_an_untagged_review_has_the_index_computed(project: Settings) -> None:
    p = page(project)
    try:
        html = index.index_html(p, pages("en"), review_like(None, None))
        computed = index.index_html(p, pages("en"), None)
    finally:
        p.close()
    assert html == computed
    assert "<table>ours</table>" not in html
    # the computed findings: August's PPM missed, linked to the review's PPM section
    assert 'href="review.html#s_ppm"' in html


def test_cell_html_joins_lines_and_skips_cells_without_a_result() -> None:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x")])
    nb.cells[0].metadata["tags"] = [index.FINDINGS_TAG]
    assert index.cell_html(nb, index.FINDINGS_TAG) is None
    nb.cells[0].outputs = [nbformat.v4.new_output(
        "execute_result", {"text/html": ["<ol>\n", "</ol>"]}, execution_count=1)]
    assert index.cell_html(nb, index.FINDINGS_TAG) == "<ol>\n</ol>"
    assert index.cell_html(None, index.FINDINGS_TAG) is None


def test_the_pack_hands_the_review_its_snapshot_and_the_index_its_outputs(
    project: Settings, tmp_path: Path
) -> None:
    from datetime import date

    from pipelines.report.pack.build import build_pack

    out = build_pack(project, date(2024, 8, 1), "en", out=tmp_path / "pack")
    review_nb = nbformat.read(out / "review.ipynb", as_version=4)
    injected = next(c for c in review_nb.cells
                    if "injected-parameters" in c.metadata.get("tags", []))
    assert "kpi_snapshot = " in injected.source and 'kpi_snapshot = ""' not in injected.source
    # the temporary snapshot is gone with the build, and is not part of the pack
    snapshot_line = next(line for line in injected.source.splitlines()
                         if line.startswith("kpi_snapshot"))
    assert not Path(snapshot_line.split("=", 1)[1].strip().strip('"')).exists()
    assert not list(out.rglob("*.duckdb"))
    index_html = (out / "index.html").read_text(encoding="utf-8")
    scorecard = index.cell_html(review_nb, index.SCORECARD_TAG)
    assert scorecard and scorecard in index_html
    # August's missed PPM (15,000 PPM against 200) links to the review's PPM section
    assert 'href="review.html#s_ppm"' in index_html and "15,000" in index_html


def test_a_landing_page_that_cannot_open_marks_the_snapshot_failed(
    project: Settings, tmp_path: Path
) -> None:
    from datetime import date

    from pipelines.errors import ReportFailed
    from pipelines.report.pack.landing import Landing

    path = tmp_path / "kpi-snapshot.duckdb"
    # 2030-01 is outside the data (January to August 2024): the page refuses it
    landing = Landing(project, date(2030, 1, 1), "en", "now", pages("en", path), path)
    landing.start()
    try:
        with pytest.raises(ReportFailed, match="2024-01 to 2024-08"):
            landing.write_files(tmp_path)
    finally:
        landing.close()
    assert failed_marker(path).is_file() and not path.exists()
