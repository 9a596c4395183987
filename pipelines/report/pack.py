"""Build the review pack: run the notebooks with papermill, export them with nbconvert, write
index.html and manifest.json, then move the finished folder into place.

The pack is built in a hidden sibling folder and renamed at the end, so a failed run never
leaves a folder that looks complete; the failed executed notebook is kept for diagnosis.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import nbformat
import papermill
from nbconvert.exporters import HTMLExporter
from traitlets.config import Config

from pipelines.errors import ReportFailed
from pipelines.report import kernel

TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class PageSpec:
    """One page of the pack: the notebook it comes from and its title."""

    notebook: str  # file name stem under notebooks/
    title: str


def run_notebook(
    source: Path, target: Path, parameters: dict, cwd: Path, kept_at: Path | None = None
) -> None:
    """Execute one notebook with papermill into `target`; a failure names the notebook and cell.

    `kept_at` is where the failed notebook will be kept, for the message (default `target`).
    """
    try:
        papermill.execute_notebook(
            str(source), str(target), parameters=parameters, cwd=str(cwd),
            progress_bar=False, log_output=False, kernel_name="python3",
            **kernel.engine_options(),
        )
    except Exception as exc:  # noqa: BLE001 - any failure (cell error, dead kernel) is reported
        raise ReportFailed(_failure_sentence(source, target, kept_at or target, exc)) from exc


def _failure_sentence(source: Path, target: Path, kept_at: Path, exc: Exception) -> str:
    cell = _failed_cell(target)
    where = "before any cell ran" if cell is None else f"in cell {cell[0]} ({cell[1]!r})"
    error = getattr(exc, "ename", type(exc).__name__)
    detail = str(getattr(exc, "evalue", exc)).strip().splitlines()
    detail_text = detail[0] if detail else ""
    return (
        f"The notebook {source.name} failed {where} with {error}: {detail_text.rstrip('.')}; "
        f"the executed notebook with the traceback is kept at {kept_at}."
    )


def _failed_cell(target: Path) -> tuple[int, str] | None:
    """(1-based code cell number in the source notebook, first code line) of the failed cell."""
    if not target.is_file():
        return None
    nb = nbformat.read(target, as_version=4)
    number = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        tags = cell.metadata.get("tags", [])
        if "injected-parameters" not in tags:
            number += 1
        status = cell.metadata.get("papermill", {}).get("status")
        has_error = any(o.get("output_type") == "error" for o in cell.get("outputs", []))
        if status in ("failed", "running") or has_error:
            first = next((line for line in cell.source.splitlines() if line.strip()), "")
            return number, first.strip()
    return None


def exporter() -> HTMLExporter:
    """An HTML exporter with code, prompts, stderr and notebook-only cells hidden."""
    config = Config()
    config.HTMLExporter.template_name = "pack"
    config.HTMLExporter.extra_template_basedirs = [str(TEMPLATES)]
    config.HTMLExporter.exclude_input = True
    config.HTMLExporter.exclude_input_prompt = True
    config.HTMLExporter.exclude_output_prompt = True
    config.TagRemovePreprocessor.enabled = True
    config.TagRemovePreprocessor.remove_cell_tags = ("notebook-only", "parameters")
    return HTMLExporter(config=config)


def export_page(executed: Path, target: Path, title: str, html_exporter: HTMLExporter) -> None:
    nb = nbformat.read(executed, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [
                o for o in cell.outputs
                if not (o.get("output_type") == "stream" and o.get("name") == "stderr")
            ]
    nb.metadata["title"] = title
    body, _ = html_exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    target.write_text(body, encoding="utf-8")


def build(
    pages: list[PageSpec],
    notebooks_dir: Path,
    out: Path,
    parameters: dict,
    manifest: dict,
    index_html: Callable[[], str],
    progress: Callable[[str], None] | None = None,
) -> Path:
    """Run and export every page into a hidden folder beside `out`, then move it into place.

    manifest.json is written before the notebooks run (the data-quality page shows it),
    index.html last. On failure the half-built folder is renamed `<out>.failed` (without an
    index.html) and ReportFailed is raised.
    """
    say = progress or (lambda _message: None)
    out.parent.mkdir(parents=True, exist_ok=True)
    building = out.parent / f".{out.name}.building-{os.getpid()}"
    shutil.rmtree(building, ignore_errors=True)
    building.mkdir()
    try:
        write_json(building / "manifest.json", manifest)
        say("running notebooks: " + ", ".join(p.notebook for p in pages))
        with ThreadPoolExecutor(max_workers=len(pages)) as pool:
            runs = [
                pool.submit(run_notebook, notebooks_dir / f"{p.notebook}.ipynb",
                            building / f"{p.notebook}.ipynb", parameters, building,
                            failed_dir(out) / f"{p.notebook}.ipynb")
                for p in pages
            ]
            for run in runs:
                run.result()
        say("exporting HTML")
        html_exporter = exporter()
        for page in pages:
            export_page(building / f"{page.notebook}.ipynb",
                        building / f"{page.notebook}.html", page.title, html_exporter)
        (building / "index.html").write_text(index_html(), encoding="utf-8")
    except BaseException:
        _keep_failed(building, out)
        raise
    _move_into_place(building, out)
    say(f"pack written to {out}")
    return out


def failed_dir(out: Path) -> Path:
    return out.parent / f"{out.name}.failed"


def _keep_failed(building: Path, out: Path) -> None:
    failed = failed_dir(out)
    shutil.rmtree(failed, ignore_errors=True)
    (building / "index.html").unlink(missing_ok=True)
    building.rename(failed)


def _move_into_place(building: Path, out: Path) -> None:
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    if out.exists():
        out.rename(old)
    building.rename(out)
    shutil.rmtree(old, ignore_errors=True)
    shutil.rmtree(failed_dir(out), ignore_errors=True)


def write_json(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
