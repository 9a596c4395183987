"""The run manifest: what a pack was built from, so an auditor can rebuild it."""

from __future__ import annotations

import json
import platform
import subprocess
from importlib import metadata
from pathlib import Path

PACKAGES = (
    "aftersales", "polars", "duckdb", "pandas", "great-expectations", "papermill",
    "nbconvert", "nbformat", "ipykernel", "plotly",
)


def code_version(project_dir: Path) -> str:
    """The git commit of the project (with '-dirty' for local changes), else the package version."""
    try:
        commit = subprocess.run(
            ["git", "-C", str(project_dir), "rev-parse", "HEAD"],
            capture_output=True, text=True, timeout=5, check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(project_dir), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True, text=True, timeout=5, check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return f"aftersales {_version('aftersales')}"
    return commit + ("-dirty" if dirty else "")


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def build_manifest(parameters: dict[str, str], project_dir: Path) -> dict:
    return {
        "parameters": parameters,
        "code_version": code_version(project_dir),
        "python": platform.python_version(),
        "packages": {name: _version(name) for name in PACKAGES},
    }


def read_manifest(path: str, parameters: dict[str, str], project_dir: Path) -> dict:
    """The manifest written by the pack builder, or a fresh one when a notebook runs alone."""
    if path and Path(path).is_file():
        return json.loads(Path(path).read_text(encoding="utf-8"))
    return build_manifest(parameters, project_dir)
