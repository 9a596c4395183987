"""Build the review pack: run the notebooks with papermill, export them with nbconvert, write
index.html and manifest.json, then move the finished folder into place.

The pack is built in a hidden sibling folder and renamed at the end, so a failed run never
leaves a folder that looks complete; the failed executed notebook is kept for diagnosis.
"""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import nbformat
import papermill

from pipelines.errors import PdfNotWritten, ReportFailed
from pipelines.report import PageSpec
from pipelines.report.pack import engine, kernel, place


def run_notebook(
    source: Path, target: Path, parameters: dict, cwd: Path, kept_at: Path | None = None
) -> nbformat.NotebookNode:
    """Execute one notebook with papermill into `target` and return it; a failure names the
    notebook and cell.

    `kept_at` is where the failed notebook will be kept, for the message (default `target`).
    """
    try:
        # The kernel starts in `cwd` through nbclient's resources, not papermill's `cwd=`:
        # that one changes the working folder of the whole process, which the notebooks
        # running side by side in threads would then race on.
        return papermill.execute_notebook(
            str(source), str(target), parameters=parameters,
            resources={"metadata": {"path": str(cwd)}},
            progress_bar=False, log_output=False, kernel_name="python3",
            engine_name=engine.engine_name(), **kernel.engine_options(),
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


class PageExport:
    """One HTML exporter for every page of a pack; each page is exported as soon as its
    notebook has run, while the others may still be running (an exporter is not safe to share
    between threads, hence the lock).

    nbconvert is imported on the first export, so the import overlaps the kernels' start.
    """

    def __init__(self, page_css: dict[str, str] | None = None) -> None:
        self.html_exporter = None
        self.lock = threading.Lock()
        self.page_css = page_css or {}

    def __call__(self, nb: nbformat.NotebookNode, target: Path, title: str) -> None:
        from pipelines.report.pack import export

        with self.lock:
            if self.html_exporter is None:
                self.html_exporter = export.exporter()
            export.export_page(nb, target, title, self.html_exporter,
                               self.page_css.get(target.stem, ""))


def _run_and_export(
    page: PageSpec, notebooks_dir: Path, building: Path, parameters: dict, failed: Path,
    export: PageExport,
) -> nbformat.NotebookNode:
    executed = run_notebook(notebooks_dir / f"{page.notebook}.ipynb",
                            building / f"{page.notebook}.ipynb",
                            {**parameters, **page.parameters}, building,
                            failed / f"{page.notebook}.ipynb")
    export(executed, building / f"{page.notebook}.html", page.title)
    return executed


def build(
    pages: list[PageSpec],
    notebooks_dir: Path,
    out: Path,
    parameters: dict,
    manifest: dict,
    index_html: Callable[[Mapping[str, nbformat.NotebookNode]], str],
    progress: Callable[[str], None] | None = None,
    page_css: dict[str, str] | None = None,
    pdf: bool = False,
    own_files: Callable[[Path], None] | None = None,
) -> Path:
    """Run and export every page into a hidden folder beside `out`, then move it into place.

    The notebooks run side by side, each in its own kernel, and each page is exported as soon
    as its notebook is done; the first page's kernel starts first (see below).

    `own_files(building)` writes the pack's own files beside the pages (the per-file
    data-quality reports) while the kernels work. `index_html(executed)` returns index.html
    from the executed notebooks by page name, once they have all run: the landing page
    repeats what the pages computed rather than computing it again beside them.

    manifest.json is written before the notebooks run (the data-quality page shows it), and
    again with the list of the pack's files last; `place` moves the pack into `out`. On failure
    the half-built folder is renamed `<out>.failed` (without an index.html) and ReportFailed
    is raised.

    `page_css` holds each page's @page rule by notebook name; with `pdf` the review page is
    printed to review.pdf. A PDF that cannot be printed leaves the HTML pack in place and
    raises PdfNotWritten once it is.
    """
    say = progress or (lambda _message: None)
    place.check_target(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    place.remove_stale_staging(out)  # of runs killed midway
    building = place.staging_dir(out)
    shutil.rmtree(building, ignore_errors=True)
    building.mkdir()
    try:
        write_json(building / "manifest.json", manifest)
        say("running and exporting notebooks: " + ", ".join(p.notebook for p in pages))
        export = PageExport(page_css)
        with ThreadPoolExecutor(max_workers=len(pages)) as pool:

            def start(page: PageSpec) -> Future[nbformat.NotebookNode]:
                return pool.submit(_run_and_export, page, notebooks_dir, building, parameters,
                                   failed_dir(out), export)

            # the first page's kernel starts at once and the pack's own files are written
            # while it starts; the other pages start after them, when the first page is
            # drawing its charts and a core is free
            runs = [start(pages[0])]
            if own_files is not None:
                own_files(building)
            runs += [start(page) for page in pages[1:]]
            executed = {page.notebook: run.result()
                        for page, run in zip(pages, runs, strict=True)}
        (building / "index.html").write_text(index_html(executed), encoding="utf-8")
        unprinted = _print_review(building, out, say, pages[0].notebook) if pdf else None
        # what this pack wrote: a re-run replaces these files and keeps any other
        write_json(building / place.MANIFEST,
                   {**manifest, "files": sorted({*place.files_of(building), place.MANIFEST})})
    except BaseException:
        kernel.wait_for_exits()
        _keep_failed(building, out)
        raise
    kernel.wait_for_exits()  # the kernels stopped while the pages were exported
    place.move_into_place(building, out)
    _remove_if_ours(failed_dir(out))
    say(f"pack written to {out}")
    if unprinted:
        raise unprinted
    return out


def _print_review(
    building: Path, out: Path, say: Callable[[str], None], page: str
) -> PdfNotWritten | None:
    """Print the pack's first page (review.html; the group's group_review.html) to
    review.pdf; the error when it cannot be, for after the pack is in place."""
    from pipelines.report.pack import pdf

    say("printing review.pdf with chromium")
    try:
        pdf.print_pdf(building / f"{page}.html", building / "review.pdf", out)
    except PdfNotWritten as error:
        return error
    return None


def failed_dir(out: Path) -> Path:
    return out.parent / f"{out.name}.failed"


def _remove_if_ours(folder: Path) -> None:
    """Delete an earlier failed build (manifest of ours, or empty); leave anything else."""
    if folder.is_dir() and not folder.is_symlink() and (
        place.has_our_manifest(folder) or not any(folder.iterdir())
    ):
        shutil.rmtree(folder)


def _keep_failed(building: Path, out: Path) -> None:
    failed = failed_dir(out)
    _remove_if_ours(failed)
    (building / "index.html").unlink(missing_ok=True)
    if not failed.exists():  # else a folder of the user's has the name: keep `building`
        building.rename(failed)


def write_json(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
