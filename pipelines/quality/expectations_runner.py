"""Run one expectation suite on one frame with Great Expectations (pandas, in memory).

Great Expectations is imported on first use only (its import costs seconds), and one
ephemeral context serves every file of an ingest.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pandas as pd

from pipelines.errors import SettingsError
from pipelines.quality.suites import Suite

ROW_ID = "source_row"
RESULT_FORMAT = {"result_format": "COMPLETE", "unexpected_index_column_names": [ROW_ID]}
# Kept per expectation in the validation summary; the full lists can hold millions of rows.
SUMMARY_KEYS = (
    "element_count",
    "unexpected_count",
    "unexpected_percent",
    "missing_count",
    "partial_unexpected_list",
)


@dataclass
class SuiteOutcome:
    """Per check (suite order): the failing rows' numbers; plus a JSON-able summary."""

    failing_rows: list[list[int]]
    summary: dict[str, Any]


@contextmanager
def _without_batch_fingerprint() -> Iterator[None]:
    """Skip the MD5 fingerprint GX takes of every in-memory frame under 1 GB.

    The fingerprint only labels the batch (an ephemeral context never reads it back), yet
    hashing 10 M string keys costs ~5 s, more than all the checks together (~2 s).
    """
    from great_expectations.execution_engine import pandas_execution_engine as engine

    saved = engine.HASH_THRESHOLD
    engine.HASH_THRESHOLD = 0
    try:
        yield
    finally:
        engine.HASH_THRESHOLD = saved


class ExpectationsRunner:
    """One Great Expectations context, one dataframe asset and suite per source."""

    def __init__(self) -> None:
        self._context: Any = None
        self._definitions: dict[str, Any] = {}

    def _definition(self, suite: Suite) -> Any:
        if suite.name in self._definitions:
            return self._definitions[suite.name]
        import great_expectations as gx
        from great_expectations.data_context.types.base import ProgressBarsConfig

        if self._context is None:
            self._context = gx.get_context(mode="ephemeral")
            self._context.variables.progress_bars = ProgressBarsConfig(globally=False)
            self._datasource = self._context.data_sources.add_pandas("incoming")
        asset = self._datasource.add_dataframe_asset(suite.name)
        batch = asset.add_batch_definition_whole_dataframe(f"{suite.name}_file")
        gx_suite = self._context.suites.add(
            gx.ExpectationSuite(name=suite.name, expectations=suite.raw.get("expectations", []))
        )
        definition = gx.ValidationDefinition(name=suite.name, data=batch, suite=gx_suite)
        self._definitions[suite.name] = definition
        return definition

    def run(self, suite: Suite, frame: pd.DataFrame) -> SuiteOutcome:
        """Validate `frame` (which must hold `source_row` and the suite's columns)."""
        definition = self._definition(suite)
        with _without_batch_fingerprint():
            result = definition.run(
                batch_parameters={"dataframe": frame}, result_format=RESULT_FORMAT
            )
        by_position = _results_in_suite_order(definition.suite, result.results)
        failing: list[list[int]] = []
        summaries = []
        for check, item in zip(suite.checks, by_position, strict=True):
            if item.exception_info and item.exception_info.get("raised_exception"):
                message = item.exception_info.get("exception_message", "")
                raise SettingsError(
                    f"The expectation {check.type} on {check.column} in {suite.path} "
                    f"could not run ({message}); fix the suite."
                )
            rows = item.result.get("unexpected_index_list") or []
            failing.append([int(r[ROW_ID]) for r in rows])
            summaries.append(
                {
                    "type": check.type,
                    "kwargs": check.kwargs,
                    "severity": check.severity,
                    "reason": check.reason,
                    "success": bool(item.success),
                    "result": {k: item.result[k] for k in SUMMARY_KEYS if k in item.result},
                }
            )
        summary = {
            "suite": suite.name,
            "success": bool(result.success),
            "statistics": dict(result.statistics),
            "results": summaries,
        }
        return SuiteOutcome(failing_rows=failing, summary=_json_safe(summary))


def _results_in_suite_order(gx_suite: Any, results: list) -> list:
    """GX results matched back to the suite's expectations by their ids."""
    by_id = {r.expectation_config.id: r for r in results}
    return [by_id[e.id] for e in gx_suite.expectations]


def _json_safe(value: Any) -> Any:
    """numpy scalars and timestamps in GX results become plain JSON values."""
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if hasattr(value, "item"):
        try:
            return _json_safe(value.item())
        except (ValueError, TypeError):
            pass
    return str(value)
