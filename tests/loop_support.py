"""Hand-made files of the SPEC §8 sources, ingested through the real pipeline into a fresh
project (shipped taxonomy, settings and suites; its own warehouse file)."""

from __future__ import annotations

from pathlib import Path

from kpi_support import make_project, read_only

from pipelines.ingest_pipeline import FileOutcome, ingest_paths
from pipelines.settings import Settings


def project(folder: Path) -> Settings:
    return make_project(folder / "project")


def write_lines(path: Path, lines: list[str], encoding: str = "utf-8") -> Path:
    """The lines as a text file (LF line ends) in `encoding`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def ingest_one(settings: Settings, path: Path) -> FileOutcome:
    """Ingest one file, which must load (rows may be quarantined)."""
    (outcome,) = ingest_paths(settings, [path])
    assert outcome.status == "loaded", outcome.message
    return outcome


def counts(outcome: FileOutcome) -> tuple[int, int, int, int, int]:
    """(read, loaded, quarantined, skipped, warned) of one file; read always adds up."""
    read, loaded = outcome.rows_read, outcome.rows_loaded
    quarantined, skipped = outcome.rows_quarantined, outcome.rows_skipped
    assert read == loaded + quarantined + skipped
    return read, loaded, quarantined, skipped, outcome.rows_warned


def query(settings: Settings, sql: str) -> list[tuple]:
    with read_only(settings) as con:
        return con.execute(sql).fetchall()


def warnings(settings: Settings, source: str) -> list[tuple]:
    """(row_number, natural_key, column_name, code, value) of a source's warnings, by row
    (file-level findings last) and column."""
    return query(
        settings,
        "select row_number, natural_key, column_name, code, value from ingest_warnings "
        f"where source = '{source}' order by row_number nulls last, column_name",
    )
