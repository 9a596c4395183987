"""Run the real reader and the real GX suites of the project on a small hand-made file."""

from __future__ import annotations

from pathlib import Path

from pipelines.batch import GatedBatch
from pipelines.ingest import read_file
from pipelines.quality import QualityGate
from pipelines.settings import load_settings

PROJECT = Path(__file__).resolve().parent.parent


def project_gate() -> QualityGate:
    return QualityGate(PROJECT / "expectations")


def check_text(gate: QualityGate, tmp_path: Path, name: str, text: str) -> GatedBatch:
    """Write `text` as tmp_path/name, read it and check it with the project's suites."""
    settings = load_settings(PROJECT)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return gate.check(read_file(path, causes=settings.causes()))
