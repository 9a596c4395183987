"""The shape of the code: data flows one way, the report only reads, modules stay small.

The import graph is read from the source (every `import`, also inside functions), so a lazy
import counts like any other.
"""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "pipelines"

# What the report package must never reach, directly or through other modules: the readers,
# the quality gate, and every module that opens the warehouse for writing.
WRITERS = (
    "pipelines.ingest",
    "pipelines.quality",
    "pipelines.ingest_pipeline",
    "pipelines.land_files",
    "pipelines.read_ahead",
    "pipelines.warehouse.writing",
    "pipelines.warehouse.refresh",
    "pipelines.warehouse.load",
    "pipelines.warehouse.load_many",
    "pipelines.warehouse.schema",
    "pipelines.warehouse.remap",
)


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in PACKAGE.rglob("*.py")}


def imports_of(path: Path, known: set[str]) -> set[str]:
    """The pipelines modules `path` imports: `from pkg import mod` is an edge to the module
    `pkg.mod`, `from pkg import name` to the package `pkg` (its __init__)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names} & known
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                child = f"{node.module}.{alias.name}"
                found |= {child if child in known else node.module} & known
    return found


def graph() -> dict[str, set[str]]:
    mods = modules()
    known = set(mods)
    return {name: imports_of(path, known) - {name} for name, path in mods.items()}


def reachable(start: str, edges: dict[str, set[str]]) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        for nxt in edges.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def test_no_import_circle_in_pipelines():
    edges = graph()
    assert sorted(name for name in edges if name in reachable(name, edges)) == []


def test_the_report_never_reaches_a_writer():
    edges = graph()
    for name in edges:
        if name.startswith("pipelines.report"):
            bad = {m for m in reachable(name, edges) if m.startswith(WRITERS)}
            assert not bad, (name, sorted(bad))


def test_every_module_is_under_400_lines():
    long = {
        str(path.relative_to(REPO)): n
        for path in [*PACKAGE.rglob("*.py"), *REPO.glob("bench/*.py")]
        if (n := len(path.read_text(encoding="utf-8").splitlines())) >= 400
    }
    assert long == {}


def test_the_ppm_scale_is_written_once():
    # the registry holds it; no SQL file and no Python module of the product repeats it
    # (the demo's generator draws its own numbers)
    scale = ("1000000", "1_000_000", "1e6", "1e+06")
    hits = [
        str(path.relative_to(REPO))
        for path in PACKAGE.rglob("*")
        if path.suffix in (".py", ".sql", ".toml") and "demo" not in path.parts
        and any(text in path.read_text(encoding="utf-8") for text in scale)
    ]
    assert hits == ["pipelines/kpis.toml"]


def test_the_rejected_rule_is_decided_once():
    hits = [
        str(path.relative_to(REPO))
        for path in PACKAGE.rglob("*.sql")
        if "'rejected'" in path.read_text(encoding="utf-8")
        and "status_batches" not in path.name  # a ledger status, not a complaint's
    ]
    assert hits == ["pipelines/sql/staging/stg_complaints.sql"]


def test_every_source_has_its_as_of_file():
    # SPEC §9: the pack reads each clean table as it stood at the month's end; a source
    # without pipelines/sql/as_of/<source>.sql would show rows from later months
    from pipelines.sources import SOURCES
    from pipelines.sql import names

    assert names("as_of") == sorted(SOURCES)
