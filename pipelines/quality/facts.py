"""The facts of a finding: which column, which check (a stable code), which values.

The gate stores them beside its English sentence, so a reader in another language (the
review pack) can word the finding itself, and a query can select findings by code. The
facts of a row are the columns `column_name`, `code`, `value`, `other` and `other_column`;
a quarantined row keeps all of its findings' facts as one JSON list.
"""

from __future__ import annotations

import polars as pl

from pipelines.quality.suites import RANGE_CODE, Check

BETWEEN_TYPE = "expect_column_values_to_be_between"


def _number_text(bound: object) -> str:
    """A bound as the suite writes it: 0, not 0.0."""
    if isinstance(bound, float) and bound.is_integer():
        return str(int(bound))
    return str(bound)


def _range_facts(check: Check) -> tuple[pl.Expr, pl.Expr]:
    """Which bound a failing value broke, and that bound: the value below the minimum (or at
    it, when the minimum is exclusive) broke the minimum, any other the maximum."""
    low, high = check.kwargs.get("min_value"), check.kwargs.get("max_value")
    low_code = "out_of_range_min" + ("_exclusive" if check.kwargs.get("strict_min") else "")
    high_code = "out_of_range_max" + ("_exclusive" if check.kwargs.get("strict_max") else "")
    if low is None:
        return pl.lit(high_code), pl.lit(_number_text(high))
    if high is None:
        return pl.lit(low_code), pl.lit(_number_text(low))
    value = pl.col(check.value_column)
    below = value <= low if check.kwargs.get("strict_min") else value < low
    return (
        pl.when(below).then(pl.lit(low_code)).otherwise(pl.lit(high_code)),
        pl.when(below).then(pl.lit(_number_text(low))).otherwise(pl.lit(_number_text(high))),
    )


def fact_columns(check: Check) -> list[pl.Expr]:
    """`code`, `other` and `other_column` of one check's findings, read on the typed rows.

    `other` is the compared column's value for a column pair, the broken bound for a range.
    """
    if check.type == BETWEEN_TYPE and check.code == RANGE_CODE:
        code, other = _range_facts(check)
    else:
        code = pl.lit(check.code)
        other = pl.col(check.other_column) if check.other_column else pl.lit(None)
    return [
        code.cast(pl.Utf8).alias("code"),
        other.cast(pl.Utf8).alias("other"),
        pl.lit(check.other_column, dtype=pl.Utf8).alias("other_column"),
    ]


def findings_json() -> pl.Expr:
    """In an aggregation per row: the row's findings as a JSON list of
    {column, check, value, other, other_column}, in suite order."""
    finding = pl.struct(
        pl.col("column_name").alias("column"),
        pl.col("code").alias("check"),
        pl.col("value"),
        pl.col("other"),
        pl.col("other_column"),
    ).struct.json_encode()
    return pl.format("[{}]", finding.str.join(","))
