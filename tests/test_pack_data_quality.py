"""The per-file data-quality reports inside the month's folder (SPEC §10): named by the file
they describe, in the pack's language, every link of the pack relative and inside the folder.

The project's inbox holds report_support's fixture files, each as `<source>/2024-09.csv`
(five files of one name in five folders), plus two complaints files of awkward names:
`9月 客诉:补充?.csv` (one complaint C-0950, valid) and `broken.csv` (no `defect_qty`
column: rejected). complaints/2024-09.csv has 10 rows: 9 loaded, C-0907 (date 2024-13-45)
quarantined, C-0803 ("未知问题") loaded with a warning.
"""

from __future__ import annotations

import shutil
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from report_support import FIXTURES, REPO

from pipelines.ingest_pipeline import ingest_paths
from pipelines.report.pack.build import build_pack
from pipelines.report.pages.file_names import report_names, safe_name
from pipelines.settings import Settings, load_settings

SEPTEMBER = date(2024, 9, 1)
SOURCES = ("complaints", "deliveries", "freight", "property_checks", "surveys")
AWKWARD = "9月 客诉:补充?.csv"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    root = tmp_path_factory.mktemp("dq")
    shutil.copytree(REPO / "data" / "reference", root / "data" / "reference")
    shutil.copytree(REPO / "expectations", root / "expectations")
    inbox = root / "data" / "inbox"
    for source in SOURCES:
        (inbox / source).mkdir(parents=True)
        shutil.copy(FIXTURES / f"{source}.csv", inbox / source / "2024-09.csv")
    (inbox / "complaints" / AWKWARD).write_text(
        "complaint_id,received_date,customer,defect_qty\nC-0950,2024-09-20,上海百货,1\n",
        encoding="utf-8")
    (inbox / "complaints" / "broken.csv").write_text(
        "complaint_id,received_date,customer\nC-0951,2024-09-21,上海百货\n", encoding="utf-8")
    settings = load_settings(root, warehouse=root / "data" / "warehouse.duckdb")
    outcomes = ingest_paths(settings, [inbox])
    assert sorted(o.status for o in outcomes) == ["loaded"] * 6 + ["rejected"]
    return settings


@pytest.fixture(scope="module", params=["zh", "en"])
def pack(request: pytest.FixtureRequest, project: Settings, tmp_path_factory) -> tuple[str, Path]:
    out = tmp_path_factory.mktemp(f"out-{request.param}") / "2024-09"
    return request.param, build_pack(project, SEPTEMBER, lang=request.param, out=out)


class Links(HTMLParser):
    """Every href and src of a page's tags (script bodies are not tags: plotly's own strings
    are not links of the page)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found += [v for k, v in attrs if k in ("href", "src") and v]


def links_of(page: Path) -> list[str]:
    parser = Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.found


def test_one_report_per_file_named_by_the_file(pack) -> None:
    _, out = pack
    names = sorted(p.name for p in (out / "data-quality").iterdir())
    # the five 2024-09.csv take their folder's name; ':' and '?' are not portable
    assert names == sorted([
        *(f"{source}_2024-09.csv.html" for source in SOURCES),
        "9月 客诉_补充_.csv.html", "broken.csv.html",
    ])


def test_every_link_of_the_pack_is_relative_and_resolves_inside_the_folder(pack) -> None:
    _, out = pack
    pages = [out / "index.html", out / "review.html", out / "data_quality.html",
             *(out / "data-quality").glob("*.html")]
    checked = 0
    for page in pages:
        for link in links_of(page):
            parsed = urlparse(link)
            if not parsed.path and parsed.fragment:
                continue  # a link to a place on the same page
            assert parsed.scheme == "" and parsed.netloc == "", (page.name, link)
            assert not parsed.path.startswith("/"), (page.name, link)
            target = (page.parent / unquote(parsed.path)).resolve()
            assert target.is_relative_to(out.resolve()), (page.name, link)
            assert target.exists(), (page.name, link)
            checked += 1
    # the data-quality page links the 7 reports; each report links back to 2 pages
    quality = links_of(out / "data_quality.html")
    assert sum(link.startswith("data-quality/") for link in quality) == 7
    assert checked >= 7 + 7 * 2


def test_the_reports_speak_the_packs_language(pack) -> None:
    lang, out = pack
    report = (out / "data-quality" / "complaints_2024-09.csv.html").read_text(encoding="utf-8")
    rejected = (out / "data-quality" / "broken.csv.html").read_text(encoding="utf-8")
    if lang == "zh":
        assert "数据质量：2024-09.csv" in report
        assert "有 1 行被隔离，文件其余各行已载入。" in report
        assert "接收日期: 无法识别的日期 &quot;2024-13-45&quot;" in report
        assert "原因: &quot;未知问题&quot; 不在原因分类中" in report
        assert "整个文件被拒收，未载入任何数据" in rejected
    else:
        assert "Data quality: 2024-09.csv" in report
        assert "1 rows held back in quarantine; the rest of the file loaded." in report
        assert "received_date: unparseable date &quot;2024-13-45&quot;" in report
        assert "The whole file was rejected and nothing of it loaded" in rejected
    assert "defect_qty" in rejected  # the ingest's sentence names the missing column
    # the row counts: 10 read, 9 loaded, 1 quarantined, 0 skipped, 1 with a warning
    assert "<td>10</td><td>9</td><td>1</td><td>0</td><td>1</td>" in report
    # the gate's verdict per expectation, kept in the ledger at ingest
    assert "expect_column_values_to_be_unique" in report


def test_names_are_unique_without_regard_to_case_and_folders() -> None:
    files = [
        ("b1", "complaints.csv", "/in/plant-a/complaints.csv"),
        ("b2", "Complaints.CSV", "/in/plant-b/Complaints.CSV"),
        ("b3", "complaints.csv", "/in/plant-a/complaints.csv"),  # re-exported, loaded again
        ("b4", "2026-10.xlsx", "C:\\exports\\客诉\\2026-10.xlsx"),
        ("b5", "con.csv", "/in/con.csv"),
    ]
    assert report_names(files) == {
        "b1": "data-quality/plant-a_complaints.csv.html",
        "b2": "data-quality/plant-b_Complaints.CSV.html",
        "b3": "data-quality/plant-a_complaints.csv (2).html",
        "b4": "data-quality/2026-10.xlsx.html",
        "b5": "data-quality/_con.csv.html",
    }
    assert safe_name(' ..a<b>|c*"d\x01.csv. ') == "a_b_c_d_.csv"
    assert len(safe_name("长" * 300)) == 120
