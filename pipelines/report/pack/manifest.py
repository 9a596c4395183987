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


# The code that builds the pack: the repository holding this package (an editable install).
CODE_DIR = Path(__file__).resolve().parents[3]
CODE_PATHS = ("pipelines", "notebooks", "expectations", "pyproject.toml")


def code_version() -> str:
    """The git commit of the code (with '-dirty' for local changes to it), else the package
    version: an installed package records its version, a checkout its commit."""
    git = ["git", "-C", str(CODE_DIR)]
    try:
        commit = subprocess.run(
            [*git, "rev-parse", "HEAD"], capture_output=True, text=True, timeout=5, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            [*git, "status", "--porcelain", "--untracked-files=no", "--", *CODE_PATHS],
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


def build_manifest(parameters: dict[str, str]) -> dict:
    return {
        "parameters": parameters,
        "code_version": code_version(),
        "python": platform.python_version(),
        "packages": {name: _version(name) for name in PACKAGES},
    }


def read_manifest(path: str, parameters: dict[str, str]) -> dict:
    """The manifest written by the pack builder, or a fresh one when a notebook runs alone."""
    if path and Path(path).is_file():
        return json.loads(Path(path).read_text(encoding="utf-8"))
    return build_manifest(parameters)
