"""What one input file becomes on its way to the warehouse.

`ReadBatch` is produced by `pipelines.ingest` (read + normalise), `GatedBatch` by
`pipelines.quality` (the Great Expectations gate); `pipelines.warehouse` lands both.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import polars as pl

from pipelines.sources import Source

# Cells found wrong while reading (see pipelines.ingest.problems): one row per problem;
# `column` a source column, or null when the whole row is concerned.
PROBLEM_SCHEMA = {"source_row": pl.Int64, "column": pl.String, "code": pl.String,
                  "value": pl.String, "other": pl.String}


@dataclass
class ReadBatch:
    """One file read and normalised, before any quality check.

    `frame` holds one row per data row that was not skipped, with columns:
      - every column of `source` (typed: pl.Utf8, pl.Date, pl.Int64, pl.Decimal(18,2),
        pl.Boolean, enums as their code string, ratings as pl.Int8); null where the cell was
        empty *or* could not be parsed; optional columns absent from the file are all-null;
      - `<col>__invalid` (pl.Utf8) for every non-text column: the raw text where parsing
        failed (date, number, bool, enum or rating not understood), else null;
      - `cause_text` (complaints only): the cause as written; `cause` holds the mapped code
        (`pending` when empty, `unmapped` when not in the taxonomy);
      - `cause_codes` (risks only, pl.List(pl.Utf8)): the codes `causes` names, and
        `unmatched_causes`: its pieces not in the taxonomy, joined by " | " (for the gate);
      - `source_row` (pl.Int64): the row's number in the file as a spreadsheet shows it
        (header row + offset; CSV line number).
    `raw` holds the same rows as text (pl.Utf8, or pl.Categorical for a CSV's date and
    number columns read dictionary-coded: `ingest.coded`) under the file's own header
    names, plus `source_row`; the quality gate builds quarantine records from it.
    `problems` (PROBLEM_SCHEMA) holds the cells of kept rows found wrong while reading: a
    formula without a saved value, an Excel error value, an implausible date, a line in
    another encoding; the gate quarantines their rows.
    """

    path: Path
    source: Source
    sha256: str
    frame: pl.DataFrame
    raw: pl.DataFrame
    sheet: str | None = None
    encoding: str | None = None
    header_row: int = 1
    rows_read: int = 0  # data rows below the header, skipped ones included
    rows_skipped_empty: int = 0
    rows_skipped_total: int = 0
    rows_skipped_repeat: int = 0  # rows identical in every column to an earlier row
    unknown_columns: list[str] = field(default_factory=list)
    problems: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=PROBLEM_SCHEMA))

    @property
    def rows_skipped(self) -> int:
        return self.rows_skipped_empty + self.rows_skipped_total + self.rows_skipped_repeat


@dataclass
class GatedBatch:
    """The quality gate's verdict on a ReadBatch.

    `clean`: rows passing every error-level expectation, with the clean table's columns
    (see `pipelines.sources.clean_table_columns`, without `batch_id`).
    `quarantine`: columns row_number, natural_key, reasons, record (JSON text), findings
    (JSON list of {column, check, value, other, other_column}: the facts behind `reasons`, so
    the pack can say them in its own language).
    `warnings`: columns row_number, natural_key, column_name, check_name, message, value,
    code, other, other_column.
    `validation`: the Great Expectations validation result as a JSON-able dict.
    """

    read: ReadBatch
    clean: pl.DataFrame
    quarantine: pl.DataFrame
    warnings: pl.DataFrame
    validation: dict = field(default_factory=dict)

    @property
    def rows_warned(self) -> int:
        rows = self.warnings.filter(pl.col("row_number").is_not_null())["row_number"]
        return rows.n_unique()

    def without_read_frames(self) -> GatedBatch:
        """This verdict with the read frames freed: landing needs the clean rows and the
        read's counts. On a 10 M-row file the raw text copy alone is about a gigabyte."""
        read = self.read
        self.read = replace(read, frame=read.frame.clear(), raw=read.raw.clear())
        return self
