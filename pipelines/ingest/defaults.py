"""Values a source fills in when a cell is empty (SPEC §2): never when it held bad text.

An unparseable cell stays null with its text in `<col>__invalid`, so the quality gate can
quarantine the row instead of loading a guessed value.

Nothing here reads a setting: a default that follows a setting (a complaint's response due
date, received_date + `sla_days`) is left NULL and decided by the staging views, so changing
the setting changes rows already loaded (SPEC §12).
"""

from __future__ import annotations

import polars as pl

from pipelines.sources import Kind, Source


def empty(name: str) -> pl.Expr:
    """The cell was empty: no value and no unparseable text."""
    return pl.col(name).is_null() & pl.col(f"{name}__invalid").is_null()


def apply_defaults(frame: pl.DataFrame, source: Source) -> pl.DataFrame:
    """ENUM defaults from `sources`, plus the complaint rules for its flag and status."""
    fills = [
        pl.when(empty(c.name)).then(pl.lit(c.default)).otherwise(pl.col(c.name)).alias(c.name)
        for c in source.columns
        if c.kind is Kind.ENUM and c.default is not None
    ]
    if fills:
        frame = frame.with_columns(fills)
    if source.name != "complaints":
        return frame
    closed = pl.col("closed_date").is_not_null() | pl.col("closed_date__invalid").is_not_null()
    return frame.with_columns(
        pl.when(empty("environmental"))
        .then(pl.lit(False))
        .otherwise(pl.col("environmental"))
        .alias("environmental"),
        pl.when(empty("status"))
        .then(pl.when(closed).then(pl.lit("closed")).otherwise(pl.lit("open")))
        .otherwise(pl.col("status"))
        .alias("status"),
    )
