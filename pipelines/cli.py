"""The `aftersales` command: thin verbs over the library, every domain error one red line."""

from __future__ import annotations

import gc
import shlex
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import polars as pl
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.text import Text

from pipelines.errors import AftersalesError
from pipelines.settings import Settings, load_settings
from pipelines.sources import SOURCES
from pipelines.terminal import command_name, runnable, stderr_console, stdout_console

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


class Language(StrEnum):
    zh = "zh"
    en = "en"


class OutputFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    xlsx = "xlsx"


@dataclass
class CliState:
    warehouse: Path | None
    debug: bool

    def settings(self) -> Settings:
        return load_settings(warehouse=self.warehouse)


def _stdout() -> Console:
    return stdout_console()


def _stderr() -> Console:
    return stderr_console()


@contextmanager
def _handled(ctx: typer.Context) -> Iterator[None]:
    """Domain errors: one red line, exit 1. Anything else: one line and the --debug hint."""
    try:
        yield
    except AftersalesError as error:
        _stderr().print(Text(f"Error: {runnable(str(error))}", style="red"))
        raise typer.Exit(1) from None
    except (typer.Exit, typer.Abort, KeyboardInterrupt):
        raise
    except Exception as error:
        if ctx.obj.debug:
            raise
        from pipelines.disk import disk_sentence

        if said := disk_sentence(error):  # disk full, read-only folder
            _stderr().print(Text(f"Error: {said}", style="red"))
            raise typer.Exit(1) from None
        _stderr().print(
            Text(
                f"Unexpected error: {type(error).__name__}: {error}. "
                f"Rerun with `{command_name()} --debug ...` to see the traceback.",
                style="red",
            )
        )
        raise typer.Exit(1) from None


@app.callback()
def main(
    ctx: typer.Context,
    warehouse: Annotated[
        Path | None,
        typer.Option(
            "--warehouse",
            envvar="AFTERSALES_WAREHOUSE",
            help="DuckDB warehouse file [default: data/warehouse.duckdb in the project folder].",
        ),
    ] = None,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show the traceback of unexpected errors.")
    ] = False,
) -> None:
    """After-sales quality analytics (IATF 16949): exports -> quality gate -> DuckDB -> KPIs.

    Example: aftersales ingest data/inbox && aftersales status
    """
    ctx.obj = CliState(warehouse=warehouse, debug=debug)
    ctx.call_on_close(_without_final_collection)


def _without_final_collection() -> None:
    """Spare the interpreter's last garbage collections when a command is done.

    Every object alive now lives until the process ends anyway; traversing the module graph
    of Great Expectations (pandas, scipy, sqlalchemy...) at exit cost 0.6 s of an ingest.
    Frozen objects are still freed by reference count at shutdown; only cycles among them are
    left to the end of the process instead of being collected.
    """
    gc.freeze()


def _check_source(value: str | None) -> str | None:
    if value is not None and value not in SOURCES:
        raise typer.BadParameter(f"use one of: {', '.join(SOURCES)}")
    return value


def _print_outcomes(outcomes: list) -> None:
    from pipelines.export.table import outcome_table

    out = _stdout()
    out.print(outcome_table(outcomes))
    for o in outcomes:
        if o.status == "duplicate":
            out.print(Text(f"{o.path.name}: {o.message}", style="cyan"))
        elif o.status == "rejected":
            _stderr().print(Text(f"Rejected: {o.message}", style="red"))
        elif o.rows_quarantined:
            out.print(
                Text(
                    f"{o.path.name}: {o.rows_quarantined} row(s) held in quarantine, "
                    f"see {o.report_path}",
                    style="yellow",
                )
            )
    reports = [o.report_path for o in outcomes if o.report_path]
    if reports:
        out.print(f"Data-quality reports: {reports[0].parent}")


def _ingest_with_progress(
    settings: Settings, paths: list[Path], source: str | None, sheet: str | None
) -> list:
    from pipelines.ingest_pipeline import expand_paths, ingest_paths

    files = expand_paths(paths)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=_stderr(), transient=True) as bar:
        task = bar.add_task("ingesting", total=len(files))
        seen: list[str] = []

        def advance(name: str) -> None:
            if seen:
                bar.advance(task)
            seen.append(name)
            bar.update(task, description=Path(name).name)

        outcomes = ingest_paths(settings, files, source=source, sheet=sheet, progress=advance)
        bar.advance(task)
    return outcomes


@app.command()
def ingest(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (csv, xlsx, parquet).")],
    source: Annotated[
        str | None,
        typer.Option("--source", callback=_check_source, help=f"One of: {', '.join(SOURCES)}."),
    ] = None,
    sheet: Annotated[str | None, typer.Option("--sheet", help="XLSX sheet to read.")] = None,
) -> None:
    """Check export files with the quality gate and load them into the warehouse.

    Example: aftersales ingest data/inbox/complaints/2024-09.xlsx --source complaints
    """
    with _handled(ctx):
        settings = ctx.obj.settings()
        outcomes = _ingest_with_progress(settings, paths, source, sheet)
        _print_outcomes(outcomes)
        name = command_name()
        _stdout().print(f"Next: {name} status, or {name} report")
    if any(o.status == "rejected" for o in outcomes):
        raise typer.Exit(1)


def _print_frame(frame: pl.DataFrame, title: str | None = None) -> None:
    from pipelines.export.table import frame_table

    _stdout().print(frame_table(frame, title))


@app.command()
def sql(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help="One read-only SQL query.")],
    output_format: Annotated[
        OutputFormat | None,
        typer.Option(
            "--format",
            help="table (floats rounded), csv (text that looks like a formula gets a "
            "leading '), json, or xlsx (typed cells; needs --output) [default: table, or "
            "the --output file's kind].",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", help="Write the result to this file (csv, json or xlsx)."),
    ] = None,
) -> None:
    """Run a read-only SQL query on the warehouse: its tables and views, nothing else.

    Files, URLs, extensions and writes are refused. The warehouse file is written in the
    storage format of DuckDB 1.4, the long-term-support release ([settings]
    storage_version), so the DuckDB CLI and clients 1.4.0 and later open it as well,
    e.g. duckdb -readonly data/warehouse.duckdb (`aftersales status` names the format).

    Example: aftersales sql "select * from kpi_scorecard where kpi = 'ppm'" --format csv
    """
    from pipelines.export.result import choose_format, result_text, write_result
    from pipelines.warehouse.adhoc import run_query
    from pipelines.warehouse.reading import connect_sandboxed

    with _handled(ctx):
        fmt = choose_format(output_format and output_format.value, output)
        with connect_sandboxed(ctx.obj.settings()) as con:
            frame = run_query(con, query)
        if output is not None:
            write_result(frame, fmt, output)
            _stderr().print(f"Wrote {frame.height} row(s) to {output}")
        elif fmt == "table":
            _print_frame(frame)
        else:
            sys.stdout.write(result_text(frame, fmt))


@app.command()
def status(ctx: typer.Context) -> None:
    """Show batches loaded, months covered per source and open quarantine.

    Example: aftersales status
    """
    from pipelines.warehouse.reading import connect_for_reading
    from pipelines.warehouse.status import warehouse_status

    with _handled(ctx):
        settings = ctx.obj.settings()
        with connect_for_reading(settings) as con:
            state = warehouse_status(con)
        out = _stdout()
        out.print(f"Warehouse: {settings.warehouse}")
        out.print(
            f"Storage format {state.storage_version}: opens in {state.clients}, e.g. "
            f"duckdb -readonly {shlex.quote(str(settings.warehouse))}"
        )
        wanted = settings.storage_version
        if wanted != "latest" and state.storage_version != f"{wanted}+":
            out.print(f"The next ingest rewrites it in the format of storage_version {wanted}.")
        _print_frame(state.batches, "Batches per source")
        _print_frame(state.months, "Months covered")
        held = state.open_quarantine
        if held.is_empty():
            out.print(Text("Open quarantine: none", style="green"))
        else:
            per_source = held.group_by("source", maintain_order=True).len("open_rows")
            _print_frame(per_source, f"Open quarantine: {held.height} row(s)")
            out.print(f'List them: {command_name()} sql "select * from quarantine"')


MonthOption = Annotated[
    str | None,
    typer.Option(
        "--month", help="Month to review, YYYY-MM [default: the last complete month with data]."
    ),
]
LangOption = Annotated[
    Language, typer.Option("--lang", help="Language of the pack: zh (default) or en.")
]
OutOption = Annotated[
    Path | None, typer.Option("--out", help="Pack folder [default: reports/YYYY-MM].")
]
PdfOption = Annotated[
    bool, typer.Option("--pdf", help="Also write review.pdf (A4 landscape, needs chromium).")
]


def _build_pack(
    settings: Settings, month: str | None, lang: Language, out: Path | None, pdf: bool = False
) -> Path:
    """Refresh the warehouse's reference tables and views when stale, then build the pack."""
    from pipelines.months import parse_month
    from pipelines.report.pack.build import build_pack
    from pipelines.warehouse.refresh import refresh_views_if_stale

    first_day = parse_month(month) if month else None
    with _stderr().status("building the review pack") as spinner:

        def progress(message: str) -> None:
            spinner.update(message)

        if settings.warehouse.is_file():  # else the pack says what to do
            refresh_views_if_stale(settings)
        # without a PDF, PdfNotWritten says where the HTML pack is (exit 1)
        folder = build_pack(settings, first_day, lang.value, out, progress=progress, pdf=pdf)
    _stdout().print(f"Review pack: {folder / 'index.html'}")
    if pdf:
        _stdout().print(f"Review PDF: {folder / 'review.pdf'}")
    return folder


@app.command()
def report(
    ctx: typer.Context,
    month: MonthOption = None,
    lang: LangOption = Language.zh,
    out: OutOption = None,
    pdf: PdfOption = False,
) -> None:
    """Run the review notebooks for a month and write the offline HTML pack.

    Example: aftersales report --month 2026-10 --lang en --pdf
    """
    with _handled(ctx):
        _build_pack(ctx.obj.settings(), month, lang, out, pdf)


@app.command()
def run(
    ctx: typer.Context,
    month: MonthOption = None,
    lang: LangOption = Language.zh,
    out: OutOption = None,
    pdf: PdfOption = False,
) -> None:
    """Ingest everything new in data/inbox/, then build the review pack.

    Example: aftersales run --lang en --pdf
    """
    from pipelines.ingest_pipeline import pending_inbox_files

    with _handled(ctx):
        settings = ctx.obj.settings()
        files = pending_inbox_files(settings)
        outcomes = []
        if files:
            outcomes = _ingest_with_progress(settings, files, None, None)
            _print_outcomes(outcomes)
        else:
            _stdout().print(f"Nothing new in {settings.inbox_dir}.")
        _build_pack(settings, month, lang, out, pdf)
    if any(o.status == "rejected" for o in outcomes):
        raise typer.Exit(1)


@app.command()
def demo(ctx: typer.Context, lang: LangOption = Language.zh) -> None:
    """Write a synthetic two-year data set to the inbox, ingest it and build the pack.

    Example: aftersales demo --lang en
    """
    from pipelines.demo import demo_calendar, write_demo_inbox

    with _handled(ctx):
        settings = ctx.obj.settings()
        written = write_demo_inbox(settings.inbox_dir, causes_file=settings.causes_file)
        _stdout().print(f"Demo files written to {settings.inbox_dir} ({len(written)} files).")
        # only the demo's own files: anything else in the inbox waits for `aftersales run`
        outcomes = _ingest_with_progress(settings, written, None, None)
        _print_outcomes(outcomes)
        _stdout().print(f"Warehouse: {settings.warehouse}")
        # the demo's own last month, so the pack is the same whatever day it is run
        _build_pack(settings, demo_calendar().labels()[-1], lang, None)
        name = command_name()
        _stdout().print(f'Next: {name} status, or {name} sql "select * from kpi_scorecard"')


from pipelines.cli_group import register  # noqa: E402  (publish and group, SPEC §13)

register(app, _handled)
