"""How a suite is executed: its checks in groups, each validated on a small pandas frame.

Converting a whole 10 M-row file to pandas once, and letting Great Expectations copy it for
every check, costs more than the checks themselves. So each group gets a frame holding only
`source_row` and the columns its checks read, in the cheapest form that gives the checks the
same verdicts:

- presence: every null/not-null check of the suite; a column that must be filled is seen as
  its null mask (a one-byte categorical, 1 or missing: what the check reads, without millions
  of strings or timestamps in pandas), a column that must be empty as its values (text as a
  categorical: its few values are reported), or as its mask when it holds no value at all
  (the usual case);
- unique: one uniqueness check on the non-null keys as integer codes: a one-column key's
  64-bit hash codes sorted and numbered densely (`_dense_codes`), a composite key's hash codes
  one per column (pandas finds repeats of integers several times faster than of strings); the
  rows flagged are checked again exactly on the real keys (`pipelines.quality.uniqueness`), so a
  hash collision can never hold a row back;
- pair: one column-pair check, dates as day numbers (plain integer comparisons), without the
  rows its `ignore_row_if` ignores (GX would copy the frame to drop them);
- single: any other check, on its own columns converted as pandas converts them; so is a
  check with a `row_condition` (its condition reads the real values of its columns).

The suite stays the one definition of the checks: a group only says which frame they see.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl

from pipelines.quality.suites import Check, Suite

ROW_ID = "source_row"
PRESENCE_TYPES = ("expect_column_values_to_not_be_null", "expect_column_values_to_be_null")
UNIQUE_TYPES = ("expect_column_values_to_be_unique", "expect_compound_columns_to_be_unique")
PAIR_PREFIX = "expect_column_pair_values_"


@dataclass(frozen=True)
class Group:
    """Checks of one suite validated together, by their positions in the suite."""

    name: str
    kind: str  # presence | unique | pair | single
    positions: tuple[int, ...]


def _kind(check: Check) -> str:
    if "row_condition" in check.kwargs:
        return "single"
    if check.type in PRESENCE_TYPES:
        return "presence"
    if check.type in UNIQUE_TYPES:
        return "unique"
    if check.type.startswith(PAIR_PREFIX):
        return "pair"
    return "single"


def plan_groups(suite: Suite) -> list[Group]:
    """The presence checks as one group, every other check as a group of its own."""
    presence = tuple(i for i, c in enumerate(suite.checks) if _kind(c) == "presence")
    groups = [Group("presence", "presence", presence)] if presence else []
    for i, check in enumerate(suite.checks):
        kind = _kind(check)
        if kind != "presence":
            groups.append(Group(f"{kind}-{i}", kind, (i,)))
    return groups


def group_columns(suite: Suite, group: Group) -> list[str]:
    """The columns the group's checks read, first use first."""
    seen: dict[str, None] = {}
    for i in group.positions:
        seen.update(dict.fromkeys(suite.checks[i].gx_columns))
    return [c for c in seen if c != ROW_ID]


def _as_pandas_reads(frame: pl.DataFrame, column: str) -> pl.Expr:
    """Decimals as floats: pandas compares those natively (object decimals it cannot)."""
    if isinstance(frame.schema[column], pl.Decimal):
        return pl.col(column).cast(pl.Float64)
    return pl.col(column)


def _day_numbers(frame: pl.DataFrame, column: str) -> pl.Expr:
    """Dates as days since 1970: the same order, compared as integers."""
    if frame.schema[column] == pl.Date:
        return pl.col(column).cast(pl.Int32)
    return _as_pandas_reads(frame, column)


def _seen_as_mask(frame: pl.DataFrame, suite: Suite, group: Group, column: str) -> bool:
    """Whether the group's checks read only where `column`'s nulls are.

    A not-null check reads only that; a be-null check reports the values it finds, so it
    sees the real ones, except in a column with no value at all: then the mask is the same
    column.
    """
    reported = any(
        suite.checks[i].type == "expect_column_values_to_be_null"
        and column in suite.checks[i].gx_columns
        for i in group.positions
    )
    return not reported or frame[column].null_count() == frame.height


def _reported_values(frame: pl.DataFrame, column: str) -> pl.Expr:
    """A be-null check's column as GX reports its values: text as a categorical."""
    if frame.schema[column] == pl.Utf8:
        return pl.col(column).cast(pl.Categorical)
    return pl.col(column)


def _null_codes(column: str) -> pl.Expr:
    """A column's null mask as categorical codes: 0 where it holds a value, -1 where not."""
    return (-pl.col(column).is_null().cast(pl.Int8)).alias(column)


_PRESENT = [1]  # the one category of a null mask


def _presence_frame(frame: pl.DataFrame, suite: Suite, group: Group) -> GroupFrame:
    """The presence checks' frame: each masked column a one-byte categorical (1 or missing).

    Built from its codes rather than converted: pandas turns a masked integer column with a
    null into 8-byte floats, and an ingest's fresh memory is what costs (a 10 M-line file's
    nine masks were 0.7 GB of floats; as codes they are 90 MB, written once).
    """
    import pandas as pd

    columns = group_columns(suite, group)
    masked = [c for c in columns if _seen_as_mask(frame, suite, group, c)]
    values = [c for c in columns if c not in masked]
    codes = frame.select(_null_codes(c) for c in masked)
    data = frame.select(pl.col(ROW_ID), *[_reported_values(frame, c) for c in values]).to_pandas()
    for column in masked:
        data[column] = pd.Categorical.from_codes(
            codes[column].to_numpy(), categories=_PRESENT, validate=False
        )
    return GroupFrame(data, 0)


def hash_codes(column: str) -> pl.Expr:
    """A key as a signed 64-bit hash code: equal keys, equal codes (the converse is checked)."""
    return pl.col(column).hash().reinterpret(signed=True).alias(column)


@dataclass
class GroupFrame:
    """What GX validates for a group, and how many rows were left out as missing values.

    Left-out rows are those the group's check ignores anyway (null keys, pairs with missing
    values); GX counts them as missing, so they are added back to its counts.
    """

    data: Any  # pandas.DataFrame
    left_out: int


def _ignored_pairs(check: Check) -> pl.Expr | None:
    """Rows a pair check ignores, by its `ignore_row_if`."""
    a, b = pl.col(check.kwargs["column_A"]), pl.col(check.kwargs["column_B"])
    mode = check.kwargs.get("ignore_row_if", "both_values_are_missing")
    if mode == "either_value_is_missing":
        return a.is_null() | b.is_null()
    if mode == "both_values_are_missing":
        return a.is_null() & b.is_null()
    return None


def _without(frame: pl.DataFrame, ignored: pl.Expr | None, picked: list[pl.Expr]) -> GroupFrame:
    if ignored is None:
        return GroupFrame(frame.select(picked).to_pandas(), 0)
    kept = frame.lazy().filter(~ignored).select(picked).collect()
    return GroupFrame(kept.to_pandas(), frame.height - kept.height)


def _dense_codes(frame: pl.DataFrame, missing: pl.Expr, column: str) -> GroupFrame:
    """A one-column key as small dense codes, rows in code order: the same repeats as its
    hash codes (equal codes exactly where the hash codes are equal).

    pandas finds repeats of 32-bit codes that rise along the rows about three times faster
    than of random 64-bit hash codes (its hash table is then read in order); sorting them
    costs less than that saves. GX reports failing rows by `source_row`, whatever the order.
    """
    code = pl.col(column)
    new_code = (code != code.shift()).fill_null(True)
    kept = (
        frame.lazy()
        .filter(~missing)
        .select(pl.col(ROW_ID), hash_codes(column))
        .sort(column)
        .with_columns((new_code.cum_sum() - 1).cast(_code_type(frame.height)).alias(column))
        .collect()
    )
    return GroupFrame(kept.to_pandas(), frame.height - kept.height)


def _code_type(rows: int) -> type[pl.DataType]:
    return pl.UInt32 if rows < 1 << 32 else pl.Int64


def group_frame(frame: pl.DataFrame, suite: Suite, group: Group) -> GroupFrame:
    """The small frame `group`'s checks are validated on."""
    columns = group_columns(suite, group)
    if group.kind == "unique":  # a composite key's check ignores rows missing any part
        missing = pl.any_horizontal(pl.col(c).is_null() for c in columns)
        if len(columns) == 1:
            return _dense_codes(frame, missing, columns[0])
        return _without(frame, missing, [pl.col(ROW_ID), *[hash_codes(c) for c in columns]])
    if group.kind == "pair":
        (position,) = group.positions
        picked = [pl.col(ROW_ID), *[_day_numbers(frame, c) for c in columns]]
        return _without(frame, _ignored_pairs(suite.checks[position]), picked)
    if group.kind == "presence":
        return _presence_frame(frame, suite, group)
    return _without(frame, None, [pl.col(ROW_ID), *[_as_pandas_reads(frame, c) for c in columns]])


def decoded_pair_value(frame: pl.DataFrame, column: str, value: object) -> object:
    """A value GX reports from a pair frame, as pandas shows it for the whole column.

    Dates come back from day numbers; integers of a column with nulls are floats in pandas
    (the pair frame, without those rows, held them as integers).
    """
    dtype = frame.schema[column]
    if value is None:
        return value
    if dtype == pl.Date:
        import pandas as pd

        return pd.NaT if value != value else pd.Timestamp(int(value), unit="D")
    if dtype.is_integer() and frame[column].null_count():
        return float(value)  # type: ignore[arg-type]
    return value
