"""Query results as polars frames, the way every page and metric of the pack reads them."""

from __future__ import annotations

import duckdb
import polars as pl


def frame(relation: duckdb.DuckDBPyRelation) -> pl.DataFrame:
    """The rows of `relation` as a polars frame, read through the Arrow C stream interface.

    DuckDB's own `.pl()` converts through pyarrow, whose first use costs a process about
    85 ms: the pack's own process and each of its kernels read frames, the first on the way
    to the KPI snapshot the review waits for. The frames are the same, types included.
    """
    return pl.DataFrame(relation)
