"""How Great Expectations is imported: early, in the background, and without the parts of
its import no gate check uses.

GX imports every expectation class it ships when it is imported, and with them libraries
for checks our suites do not run. Its import is a fixed cost of every ingest, paid while
the first file is read on the same two cores, so what it loads for nothing slows the read.
"""

from __future__ import annotations

import importlib.util
import sys
import threading


def _without_iri_grammar() -> None:
    """Import Great Expectations without the IRI grammar jsonschema builds on import.

    GX imports altair, altair jsonschema, and jsonschema optionally imports `rfc3987_syntax`
    for its "iri" format check, whose grammar takes 1.6 s of GX's 5 s import here: a fixed
    cost of every ingest. No schema checked in an ingest uses that format; marking the module
    absent makes jsonschema skip that one check (its import is in `suppress(ImportError)`).
    """
    if "rfc3987_syntax" not in sys.modules:
        sys.modules["rfc3987_syntax"] = None  # type: ignore[assignment]


def _scipy_stats_on_first_use() -> None:
    """Let `scipy.stats` load when a check first uses it, not when GX is imported.

    One expectation module (the KL divergence) binds `from scipy import stats` on import;
    scipy.stats with its distributions took 1.0 s of GX's 2.8 s import here, and no check of
    our suites calls it. importlib's LazyLoader makes a module that loads on its first
    attribute read, so a check that does use it still gets all of scipy.stats. The module
    is set as scipy's attribute too: `from scipy import stats` then finds it there, whereas
    the import system, asked for `scipy.stats`, would read its `__spec__` and so load it.
    """
    if "scipy.stats" in sys.modules:
        return
    try:
        spec = importlib.util.find_spec("scipy.stats")
    except ImportError:
        return
    if spec is None or spec.loader is None:
        return
    spec.loader = importlib.util.LazyLoader(spec.loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules["scipy.stats"] = module
    spec.loader.exec_module(module)
    sys.modules["scipy"].stats = module  # type: ignore[attr-defined]


def prepare_import() -> None:
    """What must be in place before GX is first imported (each step is idempotent)."""
    _without_iri_grammar()
    _scipy_stats_on_first_use()


def _import_great_expectations() -> None:
    prepare_import()
    try:
        import great_expectations  # noqa: F401
    except Exception:  # noqa: BLE001 - the import on first use reports it
        return


def preload() -> threading.Thread:
    """Import Great Expectations in the background, while the first file is being read."""
    thread = threading.Thread(target=_import_great_expectations, name="gx-import", daemon=True)
    thread.start()
    return thread
