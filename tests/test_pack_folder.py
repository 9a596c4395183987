"""The pack's folder (SPEC §12): `report` replaces what it wrote and nothing else, refuses
before touching a file of the user's, and leaves nothing of a run killed midway."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from datetime import date
from pathlib import Path

import pytest
from report_support import REPO, make_project
from typer.testing import CliRunner

from pipelines.cli import app
from pipelines.errors import PackTargetNotEmpty
from pipelines.report.pack.build import build_pack
from pipelines.settings import Settings

SEPTEMBER = date(2024, 9, 1)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return make_project(tmp_path_factory.mktemp("folder"))


def listed(pack: Path) -> list[str]:
    return json.loads((pack / "manifest.json").read_text(encoding="utf-8"))["files"]


def dead_pid() -> int:
    """The id of a process that has ended (and been reaped)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_the_users_files_survive_a_rerun(project: Settings, tmp_path: Path) -> None:
    out = tmp_path / "2024-09"
    build_pack(project, SEPTEMBER, lang="zh", out=out)
    assert "index.html" in listed(out) and "manifest.json" in listed(out)
    (out / "会议纪要.docx").write_bytes(b"PK minutes of the review")
    (out / "attachments").mkdir()
    (out / "attachments" / "photo.jpg").write_bytes(b"\xff\xd8 a photo")
    # a file an earlier pack wrote and this one does not: replaced by nothing
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    manifest["files"].append("old-page.html")
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    (out / "old-page.html").write_text("from an earlier pack", encoding="utf-8")

    build_pack(project, SEPTEMBER, lang="en", out=out)

    assert (out / "会议纪要.docx").read_bytes() == b"PK minutes of the review"
    assert (out / "attachments" / "photo.jpg").read_bytes() == b"\xff\xd8 a photo"
    assert not (out / "old-page.html").exists()
    assert "KPI scorecard of the month" in (out / "index.html").read_text(encoding="utf-8")
    files = listed(out)
    assert "会议纪要.docx" not in files and "attachments/photo.jpg" not in files
    assert {"index.html", "review.html", "data_quality.html", "manifest.json"} <= set(files)
    # nothing of the build is left beside the pack
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2024-09"]


def test_a_file_of_the_users_under_a_name_the_pack_writes_stops_the_move(
    project: Settings, tmp_path: Path
) -> None:
    out = tmp_path / "2024-09"
    build_pack(project, SEPTEMBER, lang="zh", out=out)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    (out / "review.pdf").write_bytes(b"%PDF- the user's own")  # no earlier pack wrote it
    with pytest.raises(PackTargetNotEmpty) as refused:
        build_pack(project, SEPTEMBER, lang="zh", out=out, pdf=True)
    assert "review.pdf" in str(refused.value) and str(out) in str(refused.value)
    assert (out / "review.pdf").read_bytes() == b"%PDF- the user's own"
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == {
        **before, "review.pdf": b"%PDF- the user's own"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2024-09"]


def test_stale_staging_of_a_dead_run_is_removed_and_a_live_ones_kept(
    project: Settings, tmp_path: Path
) -> None:
    out = tmp_path / "2024-09"
    stale = tmp_path / f".2024-09.building-{dead_pid()}"
    (stale / "sub").mkdir(parents=True)
    (stale / "review.ipynb").write_text("{}", encoding="utf-8")
    (stale / "sub" / "x.html").write_text("x", encoding="utf-8")
    alive = tmp_path / f".2024-09.building-{os.getppid()}"  # a process that is running
    alive.mkdir()
    build_pack(project, SEPTEMBER, lang="zh", out=out)
    assert not stale.exists()
    assert alive.is_dir()
    assert sorted(p.name for p in tmp_path.iterdir()) == [alive.name, "2024-09"]


def test_a_report_killed_midway_leaves_nothing_on_the_next_run(
    project: Settings, tmp_path: Path
) -> None:
    out = tmp_path / "2024-09"
    script = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(REPO)!r})
        from datetime import date
        from pathlib import Path
        from pipelines.report.pack.build import build_pack
        from pipelines.settings import load_settings
        settings = load_settings(Path({str(project.project_dir)!r}),
                                 warehouse=Path({str(project.warehouse)!r}))
        build_pack(settings, date(2024, 9, 1), out=Path({str(out)!r}))
    """)
    child = subprocess.Popen([sys.executable, "-c", script], start_new_session=True)
    staging = tmp_path / f".2024-09.building-{child.pid}"
    deadline = time.monotonic() + 120
    while not (staging / "manifest.json").is_file():
        assert child.poll() is None and time.monotonic() < deadline
        time.sleep(0.05)
    os.killpg(child.pid, signal.SIGKILL)  # the run and its notebook kernels
    child.wait()
    assert staging.is_dir() and not out.exists()
    # the working files beside it (the KPI snapshot), not in the system's temporary folder
    assert (tmp_path / f".2024-09.scratch-{child.pid}").is_dir()

    build_pack(project, SEPTEMBER, lang="zh", out=out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2024-09"]
    assert (out / "index.html").is_file()


def test_out_under_a_regular_file_is_one_sentence(
    project: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    afile = tmp_path / "afile"
    afile.write_text("not a folder", encoding="utf-8")
    monkeypatch.chdir(project.project_dir)
    monkeypatch.delenv("AFTERSALES_WAREHOUSE", raising=False)
    monkeypatch.setenv("COLUMNS", "400")
    result = CliRunner().invoke(
        app, ["report", "--month", "2024-09", "--out", str(afile / "sub")])
    assert result.exit_code == 1
    assert "Traceback" not in result.output and "FileExistsError" not in result.output
    assert f"because {afile} is a file" in " ".join(result.output.split())
    assert afile.read_text(encoding="utf-8") == "not a folder"
