"""One suite over many small files of one source: each check group validated once for all.

A Great Expectations run has a fixed cost (its metric graph, about 0.05 s) whatever the rows,
and a suite is four runs: on 500 one-row files that fixed cost was most of an ingest. So the
files' frames are stacked, each row's `source_row` made unique across files (the file's
position times FILE_STRIDE, plus its row number), and every group is validated once.

Every suite check reads one row at a time, except uniqueness, which must only compare rows of
the same file: its key columns are prefixed with the file's position before they are hashed,
and the flagged rows are checked again exactly per file, as for one file.

GX's failing rows, with the values it reports, are then split back by file, and each file's
counts are restated from its own rows. Before they are used, the same arithmetic is applied to
the stacked totals and must give GX's own element, missing and unexpected counts, percent and
verdict; a group for which it does not is validated file by file instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

from pipelines.quality.expectations_runner import (
    ExpectationsRunner,
    SuiteOutcome,
    _Verdict,
    _verdict,
    outcome_of,
)
from pipelines.quality.groups import ROW_ID, Group, group_columns, group_frame, plan_groups
from pipelines.quality.suites import Check, Suite
from pipelines.quality.uniqueness import PARTIAL_LIST_SIZE

FILE_STRIDE = 1 << 32  # a file's rows are numbered below 2**32 (a sheet holds ~1 M rows)


@dataclass
class _FileItem:
    """One file's share of a GX result, shaped as `_verdict` reads a GX result."""

    result: dict[str, Any]
    success: bool


def _stacked(frames: list[pl.DataFrame]) -> pl.DataFrame:
    return pl.concat(
        [
            f.with_columns((pl.lit(i, pl.Int64) * FILE_STRIDE + pl.col(ROW_ID)).alias(ROW_ID))
            for i, f in enumerate(frames)
        ],
        how="vertical_relaxed",
    )


def _file_keyed(frames: list[pl.DataFrame], columns: list[str]) -> pl.DataFrame:
    """The key columns as text prefixed by the file's position: equal only within a file
    (a missing part stays missing)."""
    return pl.concat(
        [
            f.select(
                (pl.lit(i, pl.Int64) * FILE_STRIDE + pl.col(ROW_ID)).alias(ROW_ID),
                *[pl.concat_str([pl.lit(f"{i}\x1f"), pl.col(c).cast(pl.Utf8)]).alias(c)
                  for c in columns],
            )
            for i, f in enumerate(frames)
        ],
        how="vertical",
    )


def _missing_mask(data: Any, check: Check, result: dict) -> np.ndarray:
    """The rows GX counted as missing for `check` (none when it reports no missing count)."""
    if "missing_count" not in result:
        return np.zeros(len(data), dtype=bool)
    columns = [c for c in check.gx_columns if c != ROW_ID]
    nulls = [data[c].isna().to_numpy() for c in columns]
    if len(nulls) == 1:
        return nulls[0]
    if check.kwargs.get("ignore_row_if", "both_values_are_missing") == "either_value_is_missing":
        return np.logical_or.reduce(nulls)
    return np.logical_and.reduce(nulls)


def _restated(check: Check, element: int, missing: int, unexpected: int, has_missing: bool
              ) -> tuple[dict[str, Any], bool]:
    """Counts, percent and verdict as GX states them from these numbers."""
    nonmissing = element - missing if has_missing else element
    result: dict[str, Any] = {"element_count": element, "unexpected_count": unexpected}
    if has_missing:
        result["missing_count"] = missing
    result["unexpected_percent"] = unexpected / nonmissing * 100 if nonmissing else None
    mostly = float(check.kwargs.get("mostly", 1.0))
    success = not nonmissing or (nonmissing - unexpected) / nonmissing >= mostly
    return result, success


def _agrees(stated: dict, success: bool, item: Any) -> bool:
    """Whether the restated totals are GX's own."""
    gx = item.result
    for key in ("element_count", "missing_count", "unexpected_count"):
        if key in gx and gx[key] != stated.get(key):
            return False
    percent, own = gx.get("unexpected_percent"), stated.get("unexpected_percent")
    if (percent is None) != (own is None) or (own is not None and abs(percent - own) > 1e-9):
        return False
    return success == bool(item.success)


def _split(runner: ExpectationsRunner, suite: Suite, group: Group,
           frames: list[pl.DataFrame], stacked: pl.DataFrame) -> list[list[_Verdict]] | None:
    """Per file, the verdicts of the group's checks from one GX run; None if a total
    restated from the split is not GX's own."""
    columns = group_columns(suite, group)
    source = _file_keyed(frames, columns) if group.kind == "unique" else stacked
    prepared = group_frame(source, suite, group)
    items = runner.validate_prepared(suite, group, prepared)
    data = prepared.data
    file_of = data[ROW_ID].to_numpy() // FILE_STRIDE
    seen = np.bincount(file_of, minlength=len(frames))
    per_file: list[list[_Verdict]] = [[] for _ in frames]
    for position, item in zip(group.positions, items, strict=True):
        check, result = suite.checks[position], item.result
        index = [int(r[ROW_ID]) for r in result.get("unexpected_index_list") or []]
        values = result.get("unexpected_list") or []
        if len(values) != len(index):
            return None
        missing = np.bincount(file_of[_missing_mask(data, check, result)],
                              minlength=len(frames))
        has_missing = "missing_count" in result
        total, success = _restated(check, len(data), int(missing.sum()), len(index), has_missing)
        if not _agrees(total, success, item):
            return None
        by_file: list[list[tuple[int, Any]]] = [[] for _ in frames]
        for row_id, value in zip(index, values, strict=True):
            by_file[row_id // FILE_STRIDE].append((row_id % FILE_STRIDE, value))
        for i, found in enumerate(by_file):
            stated, ok = _restated(check, int(seen[i]), int(missing[i]), len(found), has_missing)
            stated["partial_unexpected_list"] = [v for _, v in found[:PARTIAL_LIST_SIZE]]
            stated["unexpected_index_list"] = [{ROW_ID: row} for row, _ in found]
            left_out = frames[i].height - int(seen[i])
            per_file[i].append(_verdict(suite, group, frames[i], _FileItem(stated, ok), left_out))
    return per_file


def run_many(runner: ExpectationsRunner, suite: Suite, frames: list[pl.DataFrame]
             ) -> list[SuiteOutcome]:
    """The suite's outcome for each frame, as `runner.run` gives it for each one alone."""
    if len(frames) < 2:
        return [runner.run(suite, f) for f in frames]
    try:
        stacked = _stacked(frames)
    except pl.exceptions.PolarsError:  # frames whose columns cannot be stacked: one by one
        return [runner.run(suite, f) for f in frames]
    verdicts: list[list[_Verdict | None]] = [[None] * len(suite.checks) for _ in frames]
    for group in plan_groups(suite):
        split = _split(runner, suite, group, frames, stacked)
        for i, frame in enumerate(frames):
            if split is None:
                items, left_out = runner._validate(suite, group, frame)
                found = [_verdict(suite, group, frame, item, left_out) for item in items]
            else:
                found = split[i]
            for position, verdict in zip(group.positions, found, strict=True):
                verdicts[i][position] = verdict
    return [outcome_of(suite, v) for v in verdicts]
