"""The warehouse opens in DuckDB clients of the long-term-support release, not only in the
DuckDB the product runs on (SPEC §11).

The product runs DuckDB 2.x, whose own storage format older clients cannot read; a new
warehouse is written in the format of `[settings] storage_version` (default v1.4.0, the LTS),
and its views avoid syntax an older client cannot bind. `make` installs the LTS command-line
client (`duckdb-cli`, pinned in the dev extra) at .venv/bin/duckdb; these tests run it.
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from pipelines.cli import app
from pipelines.errors import SettingsError
from pipelines.settings import Settings, load_settings
from pipelines.warehouse.adhoc import run_query
from pipelines.warehouse.reading import connect_sandboxed
from pipelines.warehouse.views import VIEW_ORDER
from tests.demo_support import make_demo_warehouse

DUCKDB_CLI = Path(sys.executable).parent / "duckdb"
REPO = Path(__file__).resolve().parent.parent
PUBLIC = (*VIEW_ORDER, "kpi_definitions", "kpi_targets", "kpi_settings", "quarantine")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return make_demo_warehouse(tmp_path_factory.mktemp("clients") / "project")


def cli(warehouse: Path, query: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(DUCKDB_CLI), "-readonly", str(warehouse), "-csv", "-noheader", "-c", query],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_command_line_client_is_an_older_release() -> None:
    version = subprocess.run(
        [str(DUCKDB_CLI), "--version"], capture_output=True, text=True, check=True
    ).stdout
    # the dev extra pins the LTS client (v1.4.x); the product itself runs DuckDB 2.x
    assert version.startswith("v1.4."), version
    assert duckdb.__version__.startswith("2.")


def test_the_warehouse_is_written_in_the_lts_format(demo: Settings) -> None:
    with duckdb.connect(str(demo.warehouse), read_only=True) as con:
        tag = con.execute(
            "select tags['storage_version'] from duckdb_databases() "
            "where database_name = current_database()"
        ).fetchone()[0]
    assert tag == "v1.4.0+"


def test_the_lts_client_counts_the_scorecard(demo: Settings) -> None:
    result = cli(demo.warehouse, "select count(*) from kpi_scorecard")
    assert result.returncode == 0, result.stderr
    with duckdb.connect(str(demo.warehouse), read_only=True) as con:
        ours = con.execute("select count(*) from kpi_scorecard").fetchone()[0]
    assert int(result.stdout) == ours > 0


@pytest.mark.parametrize("relation", PUBLIC)
def test_every_public_relation_binds_in_the_lts_client(demo: Settings, relation: str) -> None:
    """Each view is stored as SQL text that the older client parses and binds again: a 2.x-only
    function or spelling (DuckDB 2 stores `if(...)` as `"if"(...)`, which 1.x cannot bind)
    fails here."""
    query = f"select count(*) from {relation}"
    result = cli(demo.warehouse, query)
    assert result.returncode == 0, result.stderr
    with duckdb.connect(str(demo.warehouse), read_only=True) as con:
        assert int(result.stdout) == con.execute(query).fetchone()[0]


@pytest.mark.parametrize(
    "call",
    [
        "step_on_time('d3')",
        "open_complaints_as_of(date '2026-10-31')",
        "overdue_actions_as_of(date '2026-10-31')",
    ],
)
def test_the_table_macros_answer_in_the_lts_client(demo: Settings, call: str) -> None:
    query = f"select count(*) from {call}"
    result = cli(demo.warehouse, query)
    assert result.returncode == 0, result.stderr
    with duckdb.connect(str(demo.warehouse), read_only=True) as con:
        assert int(result.stdout) == con.execute(query).fetchone()[0]


def test_status_names_the_format_and_the_clients(demo: Settings, monkeypatch) -> None:
    monkeypatch.chdir(demo.project_dir)
    monkeypatch.delenv("AFTERSALES_WAREHOUSE", raising=False)
    result = CliRunner().invoke(app, ["status"])
    assert result.exit_code == 0, result.output
    assert "Storage format v1.4.0+: opens in DuckDB 1.4.0 and later" in result.output


def _project_with_storage(folder: Path, version: str) -> Settings:
    if not (folder / "data" / "reference").is_dir():
        shutil.copytree(REPO / "data" / "reference", folder / "data" / "reference")
        shutil.copytree(REPO / "expectations", folder / "expectations")
    settings_file = folder / "data" / "reference" / "settings.toml"
    shipped = (REPO / "data" / "reference" / "settings.toml").read_text(encoding="utf-8")
    settings_file.write_text(
        shipped.replace('storage_version = "v1.4.0"', f'storage_version = "{version}"'),
        encoding="utf-8",
    )
    return load_settings(folder)


def _ingest_one(settings: Settings, folder: Path, complaint: str) -> None:
    from pipelines.ingest_pipeline import ingest_paths

    path = folder / f"{complaint}.csv"
    path.write_text(
        f"complaint_id,received_date,customer,defect_qty\n{complaint},2024-09-03,A,1\n",
        encoding="utf-8",
    )
    (outcome,) = ingest_paths(settings, [path])
    assert outcome.status == "loaded", outcome.message


def test_storage_version_latest_is_what_the_old_client_cannot_open(tmp_path: Path) -> None:
    """The setting is the one the file is created with: `latest` makes a 2.x-only file."""
    settings = _project_with_storage(tmp_path, "latest")
    assert settings.storage_version == "latest"
    _ingest_one(settings, tmp_path, "C-1")
    refused = cli(settings.warehouse, "select count(*) from complaints")
    assert refused.returncode != 0


def test_a_file_of_an_earlier_release_is_rewritten_at_the_next_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # an earlier release wrote DuckDB 2's own format (what `latest` writes): C-1, one batch
    _ingest_one(_project_with_storage(tmp_path, "latest"), tmp_path, "C-1")
    settings = _project_with_storage(tmp_path, "v1.4.0")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("AFTERSALES_WAREHOUSE", raising=False)
    result = CliRunner().invoke(app, ["status"])
    assert "Storage format v2.0.0+: opens in DuckDB 2.0.0 and later" in result.output
    assert "The next ingest rewrites it in the format of storage_version v1.4.0." in result.output
    _ingest_one(settings, tmp_path, "C-2")  # the next write rewrites the file, then lands
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        tag = con.execute(
            "select tags['storage_version'] from duckdb_databases() "
            "where database_name = current_database()"
        ).fetchone()[0]
    assert tag == "v1.4.0+"
    counted = cli(
        settings.warehouse,
        "select (select count(*) from complaints), (select count(*) from ingest_batches), "
        "(select count(*) from kpi_scorecard where kpi = 'ppm')",
    )
    assert counted.returncode == 0, counted.stderr
    # C-1 and C-2, two batches, and the views came along (PPM for the one month, 2024-09)
    assert counted.stdout.strip() == "2,2,1"
    assert sorted(p.name for p in settings.warehouse.parent.iterdir()) == [
        "reference", "warehouse.duckdb", "warehouse.duckdb.lock"
    ]


def test_a_storage_version_that_is_no_release_is_one_sentence(tmp_path: Path) -> None:
    shutil.copytree(REPO / "data" / "reference", tmp_path / "data" / "reference")
    settings_file = tmp_path / "data" / "reference" / "settings.toml"
    text = settings_file.read_text(encoding="utf-8")
    settings_file.write_text(
        text.replace('storage_version = "v1.4.0"', 'storage_version = "1.4"'), encoding="utf-8"
    )
    with pytest.raises(SettingsError, match=r'storage_version in .* must be a DuckDB release'):
        load_settings(tmp_path)


# --- the README's SQL, as written there ---------------------------------------------------

README = (REPO / "README.md").read_text(encoding="utf-8")
# the everyday commands and the SQL section (other sections may show other engines' SQL)
WAREHOUSE_SECTIONS = "\n".join(
    part for part in README.split("\n## ") if part.startswith(("Everyday use", "SQL interface"))
)


def _fenced(language: str) -> list[str]:
    blocks, inside, lines = [], False, []
    for line in WAREHOUSE_SECTIONS.splitlines():
        if line.startswith("```"):
            if inside:
                blocks.append("\n".join(lines))
            inside, lines = (not inside and line == f"```{language}"), []
            continue
        if inside:
            lines.append(line)
    return blocks


README_QUERIES = [
    statement.strip()
    for block in _fenced("sql")
    for statement in block.split(";")
    if statement.strip()
]
README_COMMANDS = [
    shlex.split(line, comments=True)[1:]
    for block in _fenced("bash")
    for line in block.splitlines()
    if line.startswith(".venv/bin/aftersales sql ")
]


def test_the_readme_has_sql_to_run() -> None:
    assert len(README_QUERIES) >= 5 and len(README_COMMANDS) >= 4


@pytest.mark.parametrize("query", README_QUERIES, ids=lambda q: q.splitlines()[0][:60])
def test_a_readme_query_answers_in_both_clients(demo: Settings, query: str) -> None:
    with connect_sandboxed(demo) as con:
        ours = run_query(con, query)
    assert ours.height > 0
    result = cli(demo.warehouse, f"select count(*) from ({query})")
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) == ours.height


@pytest.mark.parametrize("args", README_COMMANDS, ids=lambda a: a[1][:60])
def test_a_readme_command_runs(demo: Settings, args: list[str], monkeypatch) -> None:
    """As the README says: from the project folder, the default warehouse."""
    monkeypatch.chdir(demo.project_dir)
    monkeypatch.delenv("AFTERSALES_WAREHOUSE", raising=False)
    monkeypatch.setenv("COLUMNS", "250")
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "Error" not in result.output
    if "--output" in args:
        written = demo.project_dir / args[args.index("--output") + 1]
        assert written.stat().st_size > 0
        written.unlink()
    else:
        assert len(result.output.splitlines()) > 2  # a header and rows
