"""`aftersales publish` and `aftersales group ...`: a plant's tables to the shared lake, and
the group's warehouse and review pack from it (SPEC §13). Registered on the main command by
`pipelines.cli`."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

group_app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    help="The group's warehouse and review pack, from the plants' publishes in the lake.",
)

DEFAULT_GROUP_WAREHOUSE = Path("data") / "group.duckdb"

LakeOption = Annotated[
    str,
    typer.Option(
        "--lake",
        envvar="AFTERSALES_LAKE",
        help="The lake: a folder (its catalog is LAKE/catalog.db) or a catalog URI such as "
        "postgresql+psycopg2://user:password@host/lake.",
    ),
]
LakeWarehouseOption = Annotated[
    str | None,
    typer.Option(
        "--lake-warehouse",
        envvar="AFTERSALES_LAKE_WAREHOUSE",
        help="Where the lake's data files go (a folder or an object store URI); needed with a "
        "catalog URI [default for a folder: the folder itself].",
    ),
]
GroupWarehouseOption = Annotated[
    Path,
    typer.Option("--warehouse", help="The group warehouse, a DuckDB file."),
]


def _stderr() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


# The main command's error handling (`pipelines.cli._handled`: domain errors one red line,
# exit 1), handed over by `register` so this module needs no import of the main command.
_HANDLER: list[Callable[[typer.Context], AbstractContextManager[None]]] = []


def _handled(ctx: typer.Context) -> AbstractContextManager[None]:
    return _HANDLER[0](ctx)


def register(
    app: typer.Typer, handled: Callable[[typer.Context], AbstractContextManager[None]]
) -> None:
    """Add `publish` and the `group` sub-commands to the main command."""
    _HANDLER[:] = [handled]
    app.command()(publish)
    app.add_typer(group_app, name="group")


def publish(
    ctx: typer.Context,
    lake: LakeOption,
    plant: Annotated[str, typer.Option("--plant", help="The plant's code, e.g. SH01.")],
    lake_warehouse: LakeWarehouseOption = None,
) -> None:
    """Publish this plant's tables, reference tables and ledger to the group's lake.

    Example: aftersales publish --lake /mnt/group/lake --plant SH01
    """
    from pipelines.lake.catalog import locate
    from pipelines.lake.publish import publish as publish_plant
    from pipelines.lake.tables import PUBLISHED_TABLES

    with _handled(ctx):
        settings = ctx.obj.settings()
        location = locate(lake, lake_warehouse)
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TextColumn("{task.fields[rows]} rows"))
        with Progress(*columns, console=_stderr(), transient=True) as bar:
            task = bar.add_task("publishing", total=len(PUBLISHED_TABLES), rows=0)

            def progress(table: str, rows: int, committed: bool) -> None:
                bar.update(task, description=table, rows=rows, advance=1 if committed else 0)

            done = publish_plant(settings, location, plant, progress=progress)
        total = sum(t.rows for t in done.tables)
        Console(highlight=False, soft_wrap=True).print(
            f"Published plant {done.plant} to {location.shown}: {len(done.tables)} tables, "
            f"{total} rows (publish {done.publish_id})."
        )


@group_app.command()
def build(
    ctx: typer.Context,
    lake: LakeOption,
    warehouse: GroupWarehouseOption = DEFAULT_GROUP_WAREHOUSE,
    lake_warehouse: LakeWarehouseOption = None,
) -> None:
    """Write the group warehouse from every plant's latest complete publish.

    Example: aftersales group build --lake /mnt/group/lake --warehouse data/group.duckdb
    """
    from pipelines.lake.catalog import locate
    from pipelines.lake.group import build_group

    with _handled(ctx):
        settings = ctx.obj.settings()
        with _stderr().status("building the group warehouse") as spinner:
            built = build_group(settings, locate(lake, lake_warehouse), warehouse,
                                progress=spinner.update)
        Console(highlight=False, soft_wrap=True).print(
            f"Group warehouse: {built.warehouse} ({len(built.publishes)} plants: "
            f"{', '.join(built.publishes)})."
        )


@group_app.command()
def report(
    ctx: typer.Context,
    lake: LakeOption,
    month: Annotated[
        str | None,
        typer.Option("--month", help="Month to review, YYYY-MM [default: the last complete "
                     "month with data]."),
    ] = None,
    lang: Annotated[
        str, typer.Option("--lang", help="Language of the pack: zh (default) or en.")
    ] = "zh",
    out: Annotated[
        Path | None, typer.Option("--out", help="Pack folder [default: reports/group/YYYY-MM].")
    ] = None,
    warehouse: GroupWarehouseOption = DEFAULT_GROUP_WAREHOUSE,
    lake_warehouse: LakeWarehouseOption = None,
    pdf: Annotated[
        bool, typer.Option("--pdf", help="Also write review.pdf (A4 landscape, needs chromium).")
    ] = False,
) -> None:
    """Build the group warehouse from the lake, then the group's review pack.

    Example: aftersales group report --lake /mnt/group/lake --month 2026-10 --lang en
    """
    from pipelines.group.pack import build_group_pack
    from pipelines.lake.catalog import locate
    from pipelines.lake.group import build_group
    from pipelines.months import parse_month

    if lang not in ("zh", "en"):
        raise typer.BadParameter("use zh or en", param_hint="--lang")
    with _handled(ctx):
        settings = ctx.obj.settings()
        first_day = parse_month(month) if month else None
        with _stderr().status("building the group warehouse") as spinner:
            built = build_group(settings, locate(lake, lake_warehouse), warehouse,
                                progress=spinner.update)
            spinner.update("running the group review notebook")
            pack = build_group_pack(built.warehouse, first_day, lang, out, settings.project_dir,
                                    progress=spinner.update, pdf=pdf)
        Console(highlight=False, soft_wrap=True).print(f"Group pack: {pack / 'index.html'}")
        if pdf:
            Console(highlight=False, soft_wrap=True).print(f"Group PDF: {pack / 'review.pdf'}")
