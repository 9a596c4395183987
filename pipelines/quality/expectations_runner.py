"""Run one expectation suite on one frame with Great Expectations (pandas, in memory).

The suite is validated group by group (see `pipelines.quality.groups`), each group on a
small pandas frame of its own columns, and the results are put back in suite order: the
outcome is the suite's validation result as one run on the whole file would give it.

Great Expectations is imported on first use only (its import costs seconds;
`gx_import.preload` starts it early in a background thread), and one ephemeral context serves
every file of an ingest.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import polars as pl

from pipelines.errors import SettingsError
from pipelines.quality.groups import (
    ROW_ID,
    Group,
    GroupFrame,
    decoded_pair_value,
    group_columns,
    group_frame,
    plan_groups,
)
from pipelines.quality.gx_import import prepare_import
from pipelines.quality.suites import Check, Suite
from pipelines.quality.uniqueness import exact_result, repeated_key_rows

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


@dataclass
class _Verdict:
    """One check's result, as it goes into the outcome."""

    rows: list[int]
    success: bool
    result: dict[str, Any]


@contextmanager
def _without_batch_fingerprint() -> Iterator[None]:
    """Skip the MD5 fingerprint GX takes of every in-memory frame under 1 GB.

    The fingerprint only labels the batch (an ephemeral context never reads it back), yet
    hashing millions of values costs more than the checks themselves.
    """
    from great_expectations.execution_engine import pandas_execution_engine as engine

    saved = engine.HASH_THRESHOLD
    engine.HASH_THRESHOLD = 0
    try:
        yield
    finally:
        engine.HASH_THRESHOLD = saved


def _run_definition(definition: Any, data: Any) -> Any:
    """Validate `data` with GX's own validator of the definition's batch and suite.

    `ValidationDefinition.run` would also check the definition is saved and store every
    result in the context's store: per run that costs more than the checks of a small file
    (0.1 s each, 4 runs per file), and the results would pile up over an ingest of many
    files. The validation itself is the same call `run` makes.
    """
    from great_expectations.validator.v1_validator import Validator

    validator = Validator(
        batch_definition=definition.batch_definition,
        batch_parameters={"dataframe": data},
        result_format=RESULT_FORMAT,
    )
    return validator.validate_expectation_suite(definition.suite)


class ExpectationsRunner:
    """One Great Expectations context; one dataframe asset and sub-suite per check group."""

    def __init__(self) -> None:
        self._context: Any = None
        self._datasource: Any = None
        self._definitions: dict[str, Any] = {}

    def _definition(self, suite: Suite, group: Group) -> Any:
        name = f"{suite.name}.{group.name}"
        if name in self._definitions:
            return self._definitions[name]
        prepare_import()
        import great_expectations as gx
        from great_expectations.data_context.types.base import ProgressBarsConfig

        if self._context is None:
            self._context = gx.get_context(mode="ephemeral")
            self._context.variables.progress_bars = ProgressBarsConfig(globally=False)
            self._datasource = self._context.data_sources.add_pandas("incoming")
        asset = self._datasource.add_dataframe_asset(name)
        batch = asset.add_batch_definition_whole_dataframe(f"{name}_frame")
        entries = suite.raw.get("expectations", [])
        gx_suite = self._context.suites.add(
            gx.ExpectationSuite(name=name, expectations=[entries[i] for i in group.positions])
        )
        definition = gx.ValidationDefinition(name=name, data=batch, suite=gx_suite)
        self._definitions[name] = definition
        return definition

    def _forget_batches(self) -> None:
        """Drop the batches GX caches after a run: each holds its whole pandas frame."""
        manager = self._datasource.get_execution_engine().batch_manager
        manager.reset_batch_cache()
        manager.batch_data_cache.clear()

    def _validate(self, suite: Suite, group: Group, frame: pl.DataFrame) -> tuple[list, int]:
        """GX results of one group in the group's order, and the rows left out as missing."""
        prepared = group_frame(frame, suite, group)
        items = self.validate_prepared(suite, group, prepared)
        return items, prepared.left_out

    def validate_prepared(self, suite: Suite, group: Group, prepared: GroupFrame) -> list:
        """GX results of one group on its prepared frame, in the group's order."""
        definition = self._definition(suite, group)
        with _without_batch_fingerprint():
            result = _run_definition(definition, prepared.data)
        self._forget_batches()
        by_id = {r.expectation_config.id: r for r in result.results}
        items = [by_id[e.id] for e in definition.suite.expectations]
        for position, item in zip(group.positions, items, strict=True):
            _raise_if_failed_to_run(suite, suite.checks[position], item)
        return items

    def run(self, suite: Suite, frame: pl.DataFrame) -> SuiteOutcome:
        """Validate `frame` (which must hold `source_row` and the suite's columns)."""
        verdicts: list[_Verdict | None] = [None] * len(suite.checks)
        for group in plan_groups(suite):
            items, left_out = self._validate(suite, group, frame)
            for position, item in zip(group.positions, items, strict=True):
                verdicts[position] = _verdict(suite, group, frame, item, left_out)
        return outcome_of(suite, verdicts)


def outcome_of(suite: Suite, verdicts: list[_Verdict | None]) -> SuiteOutcome:
    """The suite's outcome from the verdicts of its checks, in suite order."""
    done = [v for v in verdicts if v is not None]
    return SuiteOutcome(failing_rows=[v.rows for v in done], summary=_summary(suite, done))


def _raise_if_failed_to_run(suite: Suite, check: Check, item: Any) -> None:
    if item.exception_info and item.exception_info.get("raised_exception"):
        message = item.exception_info.get("exception_message", "")
        raise SettingsError(
            f"The expectation {check.type} on {check.column} in {suite.path} "
            f"could not run ({message}); fix the suite."
        )


def _verdict(suite: Suite, group: Group, frame: pl.DataFrame, item: Any, left_out: int) -> _Verdict:
    """The check's failing rows and result, restated on the whole file's real values."""
    rows = [int(r[ROW_ID]) for r in item.result.get("unexpected_index_list") or []]
    result = {k: item.result[k] for k in SUMMARY_KEYS if k in item.result}
    if left_out:  # rows with missing values GX did not see: missing, as it would count them
        result["element_count"] = result.get("element_count", 0) + left_out
        result["missing_count"] = result.get("missing_count", 0) + left_out
    if group.kind == "unique":
        (position,) = group.positions
        columns = group_columns(suite, group)
        key = columns[0] if len(columns) == 1 else columns
        rows = repeated_key_rows(frame, key, rows)
        success, result = exact_result(frame, key, rows, suite.checks[position].kwargs)
        return _Verdict(rows=rows, success=success, result=result)
    if group.kind == "pair" and "partial_unexpected_list" in result:
        column_a, column_b = group_columns(suite, group)
        result["partial_unexpected_list"] = [
            (decoded_pair_value(frame, column_a, a), decoded_pair_value(frame, column_b, b))
            for a, b in result["partial_unexpected_list"]
        ]
    return _Verdict(rows=rows, success=bool(item.success), result=result)


def _summary(suite: Suite, verdicts: list[_Verdict]) -> dict[str, Any]:
    """The suite's validation result: per check in suite order, and its statistics."""
    evaluated = len(verdicts)
    successful = sum(v.success for v in verdicts)
    results = [
        {
            "type": check.type,
            "kwargs": check.kwargs,
            "severity": check.severity,
            "reason": check.reason,
            "success": verdict.success,
            "result": verdict.result,
        }
        for check, verdict in zip(suite.checks, verdicts, strict=True)
    ]
    summary = {
        "suite": suite.name,
        "success": successful == evaluated,
        "statistics": {
            "evaluated_expectations": evaluated,
            "successful_expectations": successful,
            "unsuccessful_expectations": evaluated - successful,
            "success_percent": successful / evaluated * 100 if evaluated else None,
        },
        "results": results,
    }
    return _json_safe(summary)


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
