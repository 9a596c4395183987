"""The pack's notebooks under papermill, their parameters, and the failure path."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import duckdb
import nbformat
import papermill
import pytest
from report_support import make_project

from pipelines.errors import ReportFailed
from pipelines.report.pack.build import (
    SHIPPED_NOTEBOOKS,
    build_pack,
    notebook_parameters,
    pages,
)
from pipelines.report.pages import data_quality, queries
from pipelines.report.pages.page import open_page
from pipelines.settings import Settings

SEPTEMBER = date(2024, 9, 1)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return make_project(tmp_path_factory.mktemp("project"))


def outputs_text(path: Path) -> str:
    nb = nbformat.read(path, as_version=4)
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            parts.append(str(data.get("text/html", "")) + str(data.get("text/plain", "")))
            parts.append(str(out.get("text", "")))
    return "\n".join(parts)


@pytest.mark.parametrize("name", ["review", "data_quality"])
def test_parameters_cell_matches_what_build_pack_passes(name: str, tmp_path: Path) -> None:
    settings_like = Settings(project_dir=tmp_path, warehouse=tmp_path / "w.duckdb")
    passed = notebook_parameters(settings_like, "2024-09", "zh", tmp_path, "now")
    passed |= {spec.notebook: spec.parameters for spec in pages("zh", tmp_path / "s")}[name]
    declared = papermill.inspect_notebook(str(SHIPPED_NOTEBOOKS / f"{name}.ipynb"))
    assert set(declared) == set(passed)


def test_notebooks_are_committed_without_outputs() -> None:
    for path in SHIPPED_NOTEBOOKS.glob("*.ipynb"):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            assert cell.get("outputs", []) == []
            assert cell.get("execution_count") is None


def run(project: Settings, name: str, tmp_path: Path, lang: str) -> str:
    target = tmp_path / f"{name}.ipynb"
    params = notebook_parameters(project, "2024-09", lang, tmp_path, "2024-10-01 08:00")
    papermill.execute_notebook(
        str(SHIPPED_NOTEBOOKS / f"{name}.ipynb"), str(target), parameters=params,
        cwd=str(tmp_path), progress_bar=False, kernel_name="python3",
    )
    return outputs_text(target)


def test_review_notebook_in_chinese(project: Settings, tmp_path: Path) -> None:
    text = run(project, "review", tmp_path, "zh")
    # PPM: 154 defects / 20000 shipped = 7700; OTD 2 of 4 lines = 50 % (report_support)
    assert "7,700 PPM" in text
    assert "50.0 %" in text
    assert "客诉PPM" in text and "准时交付率" in text and "环境投诉" in text
    assert "<img src=x" not in text
    assert "&lt;img src=x onerror=window.__pwned=1&gt;" in text


def test_review_notebook_in_english(project: Settings, tmp_path: Path) -> None:
    text = run(project, "review", tmp_path, "en")
    assert "Complaint PPM" in text and "On-time delivery (OTD)" in text
    assert "missed" in text
    assert "1 rows held back" in text


def test_data_quality_notebook(project: Settings, tmp_path: Path) -> None:
    text = run(project, "data_quality", tmp_path, "zh")
    assert "complaints.csv" in text
    # C-0907's reason and C-0803's warning, worded in Chinese from the gate's facts, with
    # the columns' Chinese names (接收日期, 原因: their first aliases)
    assert "接收日期: 无法识别的日期 &quot;2024-13-45&quot;" in text
    assert "原因: &quot;未知问题&quot; 不在原因分类中（按“未归类”保留）" in text
    assert "unparseable date" not in text
    assert "is not in the cause taxonomy" not in text


def test_data_quality_notebook_in_english(project: Settings, tmp_path: Path) -> None:
    text = run(project, "data_quality", tmp_path, "en")
    assert "received_date: unparseable date &quot;2024-13-45&quot;" in text
    assert (
        "cause: &quot;未知问题&quot; is not in the cause taxonomy (kept as unmapped)" in text
    )
    assert "无法识别" not in text and "不在原因分类中" not in text


def test_a_warehouse_without_the_facts_shows_the_stored_english(
    project: Settings, tmp_path: Path
) -> None:
    # a warehouse last written before the facts columns existed: the page still renders,
    # with the English reasons and messages the gate stored
    old = tmp_path / "old.duckdb"
    shutil.copy(project.warehouse, old)
    with duckdb.connect(str(old)) as con:
        con.execute("ALTER TABLE quarantine DROP COLUMN findings")
        for column in ("code", "other", "other_column"):
            con.execute(f"ALTER TABLE ingest_warnings DROP COLUMN {column}")
    page = open_page("2024-09", str(old), "zh", str(project.project_dir))
    try:
        held, warned = data_quality.quarantine(page), data_quality.warnings(page)
    finally:
        page.con.close()
    assert "received_date: unparseable date &quot;2024-13-45&quot;" in held
    assert "cause: &quot;未知问题&quot; is not in the cause taxonomy (kept as unmapped)" in warned


def test_a_failing_cell_names_notebook_and_cell_and_leaves_no_pack(
    project: Settings, tmp_path: Path
) -> None:
    notebooks = project.project_dir / "notebooks"
    shutil.copytree(SHIPPED_NOTEBOOKS, notebooks)
    try:
        nb = nbformat.read(notebooks / "review.ipynb", as_version=4)
        nb.cells.insert(3, nbformat.v4.new_code_cell('raise RuntimeError("forced failure")'))
        nbformat.write(nb, notebooks / "review.ipynb")
        out = tmp_path / "reports" / "2024-09"
        with pytest.raises(ReportFailed) as failure:
            build_pack(project, SEPTEMBER, out=out)
    finally:
        shutil.rmtree(notebooks)
    message = str(failure.value)
    # code cells of the shipped notebook: parameters 1, setup 2, the inserted cell 3
    assert "review.ipynb" in message and "cell 3" in message and "forced failure" in message
    assert not (out / "index.html").exists()
    kept = tmp_path / "reports" / "2024-09.failed" / "review.ipynb"
    assert str(kept) in message
    failed = nbformat.read(kept, as_version=4)
    errors = [o for c in failed.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert errors and errors[0].evalue == "forced failure"
    assert not list((tmp_path / "reports").glob(".2024-09.building-*"))


def test_a_rebuilt_pack_replaces_the_old_one(
    project: Settings, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "pack"
    out.mkdir()  # an earlier pack: index.html beside a manifest.json listing what it wrote
    (out / "index.html").write_text("old", encoding="utf-8")
    (out / "manifest.json").write_text(
        '{"parameters": {}, "code_version": "old", "packages": {}, '
        '"files": ["index.html", "manifest.json", "stale.html"]}', encoding="utf-8"
    )
    (out / "stale.html").write_text("old", encoding="utf-8")
    (out / "mine.txt").write_text("the user's", encoding="utf-8")
    before = Path.cwd()
    assert build_pack(project, SEPTEMBER, lang="en", out=out) == out.resolve()
    # the notebooks run side by side: neither may move the process's working folder
    assert Path.cwd() == before
    # the kernels share this terminal: no TCP notice, no interrupt at shutdown
    terminal = capfd.readouterr()
    assert "IPKernelApp" not in terminal.err + terminal.out
    assert "KeyboardInterrupt" not in terminal.err + terminal.out
    assert not (out / "stale.html").exists()  # the earlier pack's, not written again
    assert (out / "mine.txt").read_text(encoding="utf-8") == "the user's"  # never listed
    assert {"index.html", "review.html", "data_quality.html", "manifest.json"} <= {
        p.name for p in out.iterdir()
    }
    # the index carries the month's scorecard: September PPM 154 / 20,000 x 1e6 = 7,700
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "KPI scorecard of the month" in index and "7,700 PPM" in index
    # the exported data-quality page words C-0907's reason in the pack's language
    quality = (out / "data_quality.html").read_text(encoding="utf-8")
    assert "received_date: unparseable date &quot;2024-13-45&quot;" in quality


def test_cause_pareto_of_twelve_months(project: Settings) -> None:
    from pipelines.report.pages import review
    from pipelines.report.pages.page import open_page

    page = open_page("2024-09", str(project.warehouse), "en", str(project.project_dir))
    try:
        figure, table = review.cause_pareto(page, "cause", 12)
    finally:
        page.con.close()
    bars, cumulative, reference = figure.data
    # 8 complaints in Aug-Sep (3 + 5, report_support): Cracking 2 first = 25 %; the bars
    # before each bar reach 95 % only after the last one, so nothing folds into Other
    assert bars.x[0] == "Cracking" and list(bars.y)[0] == 2 and sum(bars.y) == 8
    assert "Other" not in bars.x
    assert cumulative.y[0] == pytest.approx(25.0) and cumulative.y[-1] == pytest.approx(100.0)
    assert list(reference.y) == [80, 80]
    assert figure.layout.yaxis2.range == (0, 100)
    assert "25.0 %" in table


def test_a_page_computes_the_kpi_views_once(project: Settings) -> None:
    from pipelines.report.pages import review
    from pipelines.report.pages.page import open_page

    page = open_page("2024-09", str(project.warehouse), "en", str(project.project_dir))
    try:
        review.scorecard(page)
        queries.freeze_kpi_views(page.con)  # a second call keeps the first snapshot
        frozen = page.con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE temporary ORDER BY 1"
        ).fetchall()
        as_of = page.con.execute(
            "SELECT view_name FROM duckdb_views() WHERE temporary AND NOT internal ORDER BY 1"
        ).fetchall()
        catalog = page.con.execute("SELECT current_database()").fetchall()[0][0]
        september_ppm = (
            "SELECT value FROM {} WHERE kpi = 'ppm' AND period_kind = 'month' "
            "AND period_start = DATE '2024-09-01'"
        )
        snapshot = page.con.execute(september_ppm.format("kpi_scorecard")).fetchall()
        view = page.con.execute(
            september_ppm.format(f'"{catalog}".main.kpi_scorecard')
        ).fetchall()
    finally:
        page.con.close()
    # the KPI views computed once, over the clean tables as of September's end (SPEC §9):
    # temporary views of the sources' names, not copies
    from pipelines.sources import SOURCES

    assert frozen == [(name,) for name in sorted(queries.KPI_VIEWS)]
    assert as_of == [(name,) for name in sorted(SOURCES)]
    # the snapshot and the warehouse's view agree: 154 defects / 20000 shipped = 7700 PPM
    assert snapshot == view == [(7700.0,)]
