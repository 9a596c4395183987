"""The exact second look behind a uniqueness check run on hash codes.

Great Expectations flags every row whose key's hash code repeats. Equal keys always share
a code, so every truly repeated key is among the flagged rows; two different keys sharing
a code (a collision) would be flagged too. Looking only at the flagged rows' real keys
keeps exactly the rows whose key repeats in the file. A key may be several columns (a
composite key): a row missing any part of it has no key.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import polars as pl

from pipelines.quality.groups import ROW_ID

PARTIAL_LIST_SIZE = 20  # what GX keeps in partial_unexpected_list


def _columns(key: str | Sequence[str]) -> list[str]:
    return [key] if isinstance(key, str) else list(key)


def _keyed(columns: list[str]) -> pl.Expr:
    return pl.all_horizontal(pl.col(c).is_not_null() for c in columns)


def repeated_key_rows(
    frame: pl.DataFrame, key: str | Sequence[str], flagged: list[int]
) -> list[int]:
    """Of the `flagged` rows, those whose `key` value occurs twice or more, in the frame's
    order (GX may have seen the rows in another: `pipelines.quality.groups._dense_codes`)."""
    if not flagged:
        return []
    columns = _columns(key)
    flagged_rows = pl.DataFrame({ROW_ID: flagged}, schema={ROW_ID: pl.Int64}).lazy()
    suspects = (
        frame.lazy()
        .select(ROW_ID, *columns)
        .with_row_index("order")
        .join(flagged_rows, on=ROW_ID, how="semi")
    )
    repeated = suspects.filter(_keyed(columns) & pl.struct(columns).is_duplicated())
    return repeated.sort("order").collect()[ROW_ID].to_list()


def _examples(frame: pl.DataFrame, key: str | Sequence[str], rows: list[int]) -> list[Any]:
    """The real key values of `rows`, in their order: values, or {column: value} per row."""
    examples = frame.lazy().join(
        pl.DataFrame({ROW_ID: rows}, schema={ROW_ID: pl.Int64}).with_row_index("order").lazy(),
        on=ROW_ID,
        how="inner",
    )
    found = examples.sort("order").select(_columns(key)).collect().to_pandas()
    return found[key].tolist() if isinstance(key, str) else found.to_dict("records")


def exact_result(
    frame: pl.DataFrame, key: str | Sequence[str], rows: list[int], kwargs: dict
) -> tuple[bool, dict[str, Any]]:
    """(success, result summary) of the check as GX reports it when run on the real keys.

    The hash frame held only the non-null keys: counts are restated over the whole file,
    and the examples are the real key values, not their codes (for a composite key, one
    {column: value} per row, as GX lists them).
    """
    columns = _columns(key)
    missing = frame.height - frame.select(_keyed(columns).sum()).item()
    element_count = frame.height
    nonmissing = element_count - missing
    partial = _examples(frame, key, rows[:PARTIAL_LIST_SIZE]) if rows else []
    percent = len(rows) / nonmissing * 100 if nonmissing else None
    summary = {
        "element_count": element_count,
        "missing_count": missing,
        "unexpected_count": len(rows),
        "unexpected_percent": percent,
        "partial_unexpected_list": partial,
    }
    # As GX decides: vacuously true without keys, else the share of good keys >= mostly.
    mostly = float(kwargs.get("mostly", 1.0))
    success = not nonmissing or (nonmissing - len(rows)) / nonmissing >= mostly
    return success, summary
