"""Adding a KPI the way the README's "Adding a KPI" says: a registry entry, one SQL file with
its numerator and denominator, and its name in the two label files, in a copy of the project.

The copy's `pipelines` package is the one imported (PYTHONPATH), by the command and by the
notebooks' kernels, so the KPI reaches the warehouse, the pack in both languages and the
action list through those four files alone.

The KPI: complaints closed in the month they were received, of the counted complaints
received that month (a %, at least 80 %). tests/fixtures/report/complaints.csv:
- September 2024, counted (C-0906 is rejected, C-0907 quarantined): C-0901 closed 09-10 and
  C-0904 closed 09-20 are closed; C-0902, C-0903, C-0905 are not -> 2 / 5 = 40.0 %, missed.
- August 2024: C-0801 (08-10), C-0802 (08-20), C-0803 (08-28) all closed -> 3 / 3 = 100.0 %.
- July 2024, the first month with data (deliveries): no complaint -> 0 / 0, no value.
- Customers' shortfall in September (a "min" KPI: complaints not closed): 上海百货 C-0902 and
  C-0905 -> 2, 淄博商贸 C-0903 -> 1, 北京家居 and 天津家具 0.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures" / "report"

ENTRY = """
[closed_in_month]
period = "month"
direction = "min"
value = "ratio"
scale = 100
unit = "percent"
digits = 1
target = 80
owner = "after_sales"
"""

FORMULA = """-- Complaints closed in the month they were received, of the counted ones received.
-- Grain: one row per month and customer with counted complaints.
select
    received_month as month,
    customer,
    count(*) filter (where date_trunc('month', closed_date) = received_month) as numerator,
    count(*) as denominator
from stg_complaints
where counted
group by all
"""

NAMES = {"zh": "当月结案率", "en": "Closed in the month"}


def add_the_kpi(project: Path) -> None:
    """The four edits of the README's "Adding a KPI"."""
    package = project / "pipelines"
    with (package / "kpis.toml").open("a", encoding="utf-8") as registry:
        registry.write(ENTRY)
    (package / "sql" / "kpis" / "closed_in_month.sql").write_text(FORMULA, encoding="utf-8")
    for lang, name in NAMES.items():
        path = package / "labels" / f"{lang}.toml"
        text = path.read_text(encoding="utf-8")
        assert "\n[kpi]\n" in text
        path.write_text(text.replace("\n[kpi]\n", f'\n[kpi]\nclosed_in_month = "{name}"\n', 1),
                        encoding="utf-8")


def run(project: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "AFTERSALES_WAREHOUSE"}
    env["PYTHONPATH"] = str(project)  # the copy's pipelines, in this process and the kernels
    env["COLUMNS"] = "200"
    code = "import sys; from pipelines.cli import app; sys.argv[0] = 'aftersales'; app()"
    return subprocess.run([sys.executable, "-c", code, *args], cwd=project, env=env,
                          capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("added") / "project"
    for part in ("pipelines", "notebooks", "expectations", "data/reference"):
        shutil.copytree(REPO / part, folder / part,
                        ignore=shutil.ignore_patterns("__pycache__"))
    add_the_kpi(folder)
    ingested = run(folder, "ingest", *(str(p) for p in sorted(FIXTURES.glob("*.csv"))))
    assert "Traceback" not in ingested.stderr, ingested.stderr
    for lang in ("zh", "en"):
        built = run(folder, "report", "--month", "2024-09", "--lang", lang,
                    "--out", f"reports/2024-09-{lang}")
        assert built.returncode == 0, built.stdout + built.stderr
    return folder


def test_the_kpi_is_in_the_scorecard_view(project: Path) -> None:
    result = run(project, "sql", "select period_start::varchar as month, numerator, "
                 "denominator, value, target, met from kpi_scorecard "
                 "where kpi = 'closed_in_month' order by period_start", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [
        {"month": "2024-07-01", "numerator": 0.0, "denominator": 0.0, "value": None,
         "target": 80.0, "met": None},
        {"month": "2024-08-01", "numerator": 3.0, "denominator": 3.0, "value": 100.0,
         "target": 80.0, "met": True},
        {"month": "2024-09-01", "numerator": 2.0, "denominator": 5.0, "value": 40.0,
         "target": 80.0, "met": False},
    ]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_pack_scorecard_shows_it_in_both_languages(project: Path, lang: str) -> None:
    index = (project / "reports" / f"2024-09-{lang}" / "index.html").read_text(encoding="utf-8")
    row = index.split('<tr class="kpi-closed_in_month">', 1)[1].split("</tr>", 1)[0]
    assert NAMES[lang] in row
    assert '<span class="as-value missed">40.0 %</span>' in row
    assert "≥ 80.0 %" in row and "100.0 %" in row  # the target, and August as the previous


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_action_list_has_a_line_for_it(project: Path, lang: str) -> None:
    review = (project / "reports" / f"2024-09-{lang}" / "review.html").read_text(encoding="utf-8")
    owner = {"zh": "运营售后", "en": "After-sales operations"}[lang]  # the registry's owner
    lines = [row for row in review.split("<tr") if NAMES[lang] in row and "上海百货 (2)" in row]
    assert len(lines) == 1
    assert "40.0 %" in lines[0] and "≥ 80.0 %" in lines[0] and owner in lines[0]
    assert "上海百货 (2), 淄博商贸 (1)" in lines[0]
