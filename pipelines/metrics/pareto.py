"""Pareto tables as quality engineers know them from Minitab: sorted bars, an "Other" tail."""

from __future__ import annotations

import polars as pl


def pareto_table(
    frame: pl.DataFrame,
    label: str,
    weight: str,
    *,
    other_share: float = 0.95,
    other_label: str = "Other",
) -> pl.DataFrame:
    """Count / Percent / Cum % of `weight` per `label`, largest first, the tail folded.

    Rows with the same label are summed first. Bars are kept up to and including the first one
    whose cumulative share reaches `other_share`; everything after it folds into one
    `other_label` row, always last. No Other row when nothing folds. Percentages are 0-100.
    """
    totals = (
        frame.select(pl.col(label).cast(pl.String), pl.col(weight))
        .group_by(label)
        .agg(pl.col(weight).sum())
        .sort([weight, label], descending=[True, False], nulls_last=True)
    )
    grand_total = totals[weight].sum()
    if totals.is_empty() or not grand_total:
        return totals.with_columns(
            percent=pl.lit(None, pl.Float64), cum_percent=pl.lit(None, pl.Float64)
        )
    # a bar folds when the bars before it already reach the share
    share_before = (pl.col(weight).cum_sum() - pl.col(weight)) / grand_total
    totals = totals.with_columns(folds=share_before >= other_share)
    kept = totals.filter(~pl.col("folds")).drop("folds")
    tail = totals.filter(pl.col("folds"))
    if not tail.is_empty():
        other = pl.DataFrame(
            {label: [other_label], weight: [tail[weight].sum()]},
            schema=kept.schema,
        )
        kept = pl.concat([kept, other])
    return kept.with_columns(
        percent=pl.col(weight) / grand_total * 100,
        cum_percent=pl.col(weight).cum_sum() / grand_total * 100,
    )
