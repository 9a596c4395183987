"""The demo data set's vocabulary (customers, parts, phrases, bad rows), read from TOML."""

from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np
import polars as pl

VOCABULARY_FILE = Path(__file__).with_name("vocabulary.toml")
BAD_ROWS_FILE = Path(__file__).with_name("bad_rows.toml")
# The closing-the-loop sources (8D, quality costs, risks, portal scorecards) have their own.
LOOP_VOCABULARY_FILE = Path(__file__).with_name("loop.toml")


def load_vocabulary(path: Path = VOCABULARY_FILE) -> dict:
    """The vocabulary as a plain dict; the generators pick the sections they need."""
    return tomllib.loads(path.read_text(encoding="utf-8"))


def load_loop_vocabulary() -> dict:
    """The vocabulary of the closing-the-loop sources (loop.toml)."""
    return load_vocabulary(LOOP_VOCABULARY_FILE)


def load_bad_rows(path: Path = BAD_ROWS_FILE) -> list[dict]:
    """The planned bad rows: which file, which row, what goes wrong, what the gate should do."""
    return tomllib.loads(path.read_text(encoding="utf-8"))["bad_rows"]


def customers_frame(vocabulary: dict) -> pl.DataFrame:
    """Customers with their region, share of the business and usual transit days."""
    return pl.DataFrame(vocabulary["customers"]).with_columns(
        (pl.col("weight") / pl.col("weight").sum()).alias("share")
    )


def parts_frame(vocabulary: dict) -> pl.DataFrame:
    """Part numbers with their product and share of the volume."""
    return pl.DataFrame(vocabulary["parts"]).with_columns(
        (pl.col("weight") / pl.col("weight").sum()).alias("share")
    )


def choose_parts(
    rng: np.random.Generator, customers: pl.DataFrame, parts: pl.DataFrame, customer: np.ndarray
) -> np.ndarray:
    """A part per row, drawn among the parts that the row's kind of customer buys."""
    customer_kind = customers["kind"].to_numpy()[customer]
    part_kind = parts["kind"].to_numpy()
    weight = parts["weight"].to_numpy().astype(float)
    chosen = np.empty(len(customer), dtype=np.int64)
    for kind in np.unique(part_kind):
        rows = np.flatnonzero(customer_kind == kind)
        candidates = np.flatnonzero(part_kind == kind)
        p = weight[candidates] / weight[candidates].sum()
        chosen[rows] = rng.choice(candidates, len(rows), p=p)
    return chosen
