"""`aftersales sql` reads the warehouse and nothing else (SPEC §12).

The connection is opened with DuckDB's own fences (no external access, no extension
autoinstall or autoload, configuration locked), so a query that names a file, a URL or an
extension is refused in one sentence, while every public view and macro still answers.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from pipelines.cli import app
from pipelines.settings import Settings
from pipelines.warehouse.adhoc import run_query
from pipelines.warehouse.reading import connect_sandboxed
from pipelines.warehouse.views import TABLE_MACROS_AFTER, VIEW_ORDER
from tests.report_support import make_project


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return make_project(tmp_path_factory.mktemp("sandbox") / "project")


@pytest.fixture
def cli(project: Settings, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(project.project_dir)
    monkeypatch.delenv("AFTERSALES_WAREHOUSE", raising=False)
    monkeypatch.setenv("COLUMNS", "200")

    def run(*args: str):
        return CliRunner().invoke(app, list(args))

    return run


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("select * from read_csv('/etc/passwd')", '"/etc/passwd"'),
        ("select * from read_text('/etc/hostname')", '"/etc/hostname"'),
        ("select * from read_blob('/etc/hostname')", '"/etc/hostname"'),
        ("select * from 'https://example.com/data.parquet'", "example.com"),
        ("select * from read_parquet('s3://bucket/x.parquet')", "s3://bucket"),
        ("select * from glob('/etc/*')", '"/etc/*"'),
        ("install httpfs", "LOAD statement"),
        ("load httpfs", "LOAD statement"),
        ("attach '/tmp/other.duckdb' as other", "ATTACH statement"),
        ("copy complaints to '/tmp/out.csv'", "COPY statement"),
        ("export database '/tmp/dump'", "EXPORT statement"),
        ("set enable_external_access = true", "SET statement"),
    ],
)
def test_reaching_outside_the_warehouse_is_one_sentence(cli, query: str, named: str) -> None:
    result = cli("sql", query)
    assert result.exit_code == 1
    assert result.output.count("\n") == 1, result.output
    assert "only reads the warehouse's own tables and views" in result.output
    assert named in result.output
    assert "Traceback" not in result.output and "Permission Error" not in result.output


def test_the_engine_refuses_a_file_even_inside_a_select(project: Settings) -> None:
    """The second fence alone: a SELECT passes the statement check, DuckDB refuses the file."""
    with connect_sandboxed(project) as con:
        with pytest.raises(Exception, match="/etc/passwd"):
            con.sql("select * from read_csv('/etc/passwd')").fetchall()
        settings = dict(
            con.sql(
                "select name, value from duckdb_settings() where name in ("
                "'enable_external_access', 'autoinstall_known_extensions', "
                "'autoload_known_extensions', 'lock_configuration')"
            ).fetchall()
        )
    assert settings == {
        "enable_external_access": "false",
        "autoinstall_known_extensions": "false",
        "autoload_known_extensions": "false",
        "lock_configuration": "true",
    }


@pytest.mark.parametrize("view", VIEW_ORDER)
def test_every_view_answers_in_the_sandbox(project: Settings, view: str) -> None:
    with connect_sandboxed(project) as con:
        frame = run_query(con, f"select * from {view}")
    assert frame.width > 0


def test_table_macros_answer_in_the_sandbox(project: Settings) -> None:
    macros = [m for names in TABLE_MACROS_AFTER.values() for m in names]
    with connect_sandboxed(project) as con:
        kinds = dict(
            con.sql(
                "select function_name, function_type from duckdb_functions() "
                "where function_name in $names",
                params={"names": macros},
            ).fetchall()
        )
    assert kinds == dict.fromkeys(macros, "table_macro")


def test_the_scorecard_answers_through_the_command(cli) -> None:
    # tests/report_support.py: PPM September 2024 = 154 / 20000 parts x 1e6 = 7700
    result = cli(
        "sql",
        "select value from kpi_scorecard where kpi = 'ppm' and period_kind = 'month' "
        "and period_start = date '2024-09-01'",
        "--format",
        "csv",
    )
    assert result.exit_code == 0, result.output
    assert result.output == "value\n7700.0\n"
