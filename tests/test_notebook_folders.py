"""The pack's notebooks as analysts run them: papermill's defaults, from the project folder or
from notebooks/, no parameter given; the project folder is found by walking up from the
working folder. A mistake is said in the notebook's own terms (`month = "..."`).

Data: tests/fixtures/report (August and September 2024, see tests/report_support.py), so the
last complete month with data, the notebooks' default, is September 2024.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from tests.report_support import REPO, make_project

PAPERMILL = Path(sys.executable).parent / "papermill"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("notebooks") / "project"
    make_project(folder)
    shutil.copytree(REPO / "notebooks", folder / "notebooks")
    return folder


def papermill(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "AFTERSALES_WAREHOUSE"}
    return subprocess.run(
        [str(PAPERMILL), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )


def test_review_runs_from_the_project_folder(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "review.ipynb"
    result = papermill(project, "notebooks/review.ipynb", str(out))
    assert result.returncode == 0, result.stderr[-2000:]
    text = out.read_text(encoding="utf-8")
    assert '"output_type": "error"' not in text
    assert "2024-09" in text


def test_data_quality_runs_from_the_notebooks_folder(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "dq.ipynb"
    result = papermill(project / "notebooks", "data_quality.ipynb", str(out))
    assert result.returncode == 0, result.stderr[-2000:]
    assert '"output_type": "error"' not in out.read_text(encoding="utf-8")


def test_a_month_outside_the_data_speaks_of_the_parameter(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "dq.ipynb"
    notebook = "notebooks/data_quality.ipynb"
    result = papermill(project, notebook, str(out), "-p", "month", "2030-01")
    assert result.returncode != 0
    (error,) = [
        output
        for cell in nbformat.read(out, as_version=4).cells
        for output in cell.get("outputs", [])
        if output.output_type == "error"
    ]
    assert "to 2024-09, not 2030-01" in error.evalue  # the data ends in September 2024
    assert "set the notebook's parameter month = \"2024-09\"" in error.evalue
    assert "--month" not in error.evalue
