"""The quality gate: run a source's suite on a read batch and split it three ways.

clean (loads), quarantine (rows failing an error-level check, with every reason, its facts
and the raw record) and warnings (findings on rows that load, plus file-level findings). The
gate never fixes a value: it only decides where each row goes and says why, once as an
English sentence and once as facts (`pipelines.quality.facts`) any language can be worded from.
The reader's problems (a formula without a saved value, an Excel error value, an implausible
date, a line in another encoding: `pipelines.ingest.problems`) are error findings too.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import polars as pl

from pipelines.batch import GatedBatch, ReadBatch
from pipelines.ingest.coded import decoded
from pipelines.ingest.problems import REASONS as READ_REASONS
from pipelines.quality.batched import run_many
from pipelines.quality.expectations_runner import ROW_ID, ExpectationsRunner, SuiteOutcome
from pipelines.quality.facts import fact_columns, findings_json
from pipelines.quality.gx_import import preload
from pipelines.quality.suites import Check, Suite, load_suite
from pipelines.sources import KEY_SEPARATOR, clean_table_columns

WARNING_COLUMNS = (
    "row_number", "natural_key", "column_name", "check_name", "message", "value", "code",
    "other", "other_column",
)
UNKNOWN_COLUMN_CODE = "unknown_column"
# What `_findings` gives, row id first: a file with no failing row gets this empty frame
# without a dozen frame operations per check (most checks of most small files find nothing).
FINDINGS_SCHEMA = pl.Schema(
    {ROW_ID: pl.Int64, "natural_key": pl.Utf8, "severity": pl.Utf8, "column_name": pl.Utf8,
     "check_name": pl.Utf8, "message": pl.Utf8, "value": pl.Utf8, "code": pl.Utf8,
     "other": pl.Utf8, "other_column": pl.Utf8}
)
WARNINGS_SCHEMA = pl.Schema(
    {name: pl.Int64 if name == "row_number" else pl.Utf8 for name in WARNING_COLUMNS}
)
QUARANTINE_SCHEMA = pl.Schema(
    {"row_number": pl.Int64, "natural_key": pl.Utf8, "reasons": pl.Utf8, "findings": pl.Utf8,
     "record": pl.Utf8, "row_date": pl.Date}
)
_PLACEHOLDER = re.compile(r"(\{value\}|\{other\})")


class QualityGate:
    """Checks every file of one ingest with one Great Expectations context."""

    def __init__(self, expectations_dir: Path) -> None:
        self.expectations_dir = expectations_dir
        self._suites: dict[str, Suite] = {}
        self._runner = ExpectationsRunner()

    def preload(self) -> None:
        """Start importing Great Expectations now, so the first check does not wait for it."""
        preload()

    def suite(self, source: str) -> Suite:
        if source not in self._suites:
            self._suites[source] = load_suite(self.expectations_dir, source)
        return self._suites[source]

    def check(self, batch: ReadBatch) -> GatedBatch:
        """Validate `batch` against `expectations/<source>.json` and split its rows."""
        suite = self.suite(batch.source.name)
        return _gated(batch, suite, self._runner.run(suite, batch.frame))

    def check_many(self, batches: Sequence[ReadBatch]) -> list[GatedBatch]:
        """`check` of each batch (all of one source), with each check group validated once
        for all of them (`pipelines.quality.batched`): for many small files."""
        if not batches:
            return []
        suite = self.suite(batches[0].source.name)
        outcomes = run_many(self._runner, suite, [b.frame for b in batches])
        return [_gated(b, suite, o) for b, o in zip(batches, outcomes, strict=True)]


def _gated(batch: ReadBatch, suite: Suite, outcome: SuiteOutcome) -> GatedBatch:
    """Split `batch`'s rows by the outcome of its suite: clean, quarantine, warnings."""
    clean_columns = [n for n, _ in clean_table_columns(batch.source) if n != "batch_id"]
    if not any(outcome.failing_rows) and not batch.problems.height and not batch.unknown_columns:
        # nothing found: every row is clean (most small files; no frame work per check)
        return GatedBatch(
            read=batch,
            clean=batch.frame.select(clean_columns),
            quarantine=pl.DataFrame(schema=QUARANTINE_SCHEMA),
            warnings=pl.DataFrame(schema=WARNINGS_SCHEMA),
            validation=outcome.summary,
        )
    findings = pl.concat(
        [
            _findings(batch, check, rows)
            for check, rows in zip(suite.checks, outcome.failing_rows, strict=True)
        ],
        how="vertical",
    )
    findings = _with_read_problems(batch, findings)
    errors = findings.filter(pl.col("severity") == "error")
    bad_rows = errors.select(ROW_ID).unique()
    kept = batch.frame.join(bad_rows, on=ROW_ID, how="anti") if bad_rows.height else batch.frame
    clean = kept.select(clean_columns)
    row_warnings = findings.filter(pl.col("severity") == "warning").join(
        bad_rows, on=ROW_ID, how="anti"
    )
    warnings = pl.concat(
        [_as_warning_rows(row_warnings), _unknown_column_warnings(batch)], how="vertical"
    )
    return GatedBatch(
        read=batch,
        clean=clean,
        quarantine=_quarantine(batch, errors),
        warnings=warnings,
        validation=outcome.summary,
    )


def key_text(columns: Sequence[str]) -> pl.Expr:
    """A row's natural key as text, its columns joined by KEY_SEPARATOR (null when a part is
    missing), the same text as `Source.natural_key_sql` gives in the warehouse."""
    return pl.concat_str([pl.col(c).cast(pl.Utf8) for c in columns], separator=KEY_SEPARATOR)


def _quoted(expr: pl.Expr) -> pl.Expr:
    return pl.lit('"') + expr.cast(pl.Utf8).fill_null("") + pl.lit('"')


def _message(check: Check) -> pl.Expr:
    """`column: reason` with {value}/{other} replaced by the quoted cell values."""
    parts: list[pl.Expr] = [pl.lit(f"{check.column}: ")]
    for piece in _PLACEHOLDER.split(check.reason):
        if piece == "{value}":
            parts.append(_quoted(pl.col("value")))
        elif piece == "{other}":
            parts.append(_quoted(pl.col("other")))
        elif piece:
            parts.append(pl.lit(piece))
    return pl.concat_str(parts)


def _findings(batch: ReadBatch, check: Check, rows: list[int]) -> pl.DataFrame:
    """One row per failing row of one check: row, key, severity, column, message and facts."""
    if not rows:
        return pl.DataFrame(schema=FINDINGS_SCHEMA)
    frame = batch.frame
    failing = pl.DataFrame({ROW_ID: rows}, schema={ROW_ID: pl.Int64})
    masked_by = check.masked_by_invalid
    value = key_text(check.compound) if check.compound else pl.col(check.value_column)
    picked = [
        pl.col(ROW_ID),
        key_text(batch.source.key_columns).alias("natural_key"),
        value.cast(pl.Utf8).alias("value"),
        *fact_columns(check),
    ]
    if masked_by and masked_by in frame.columns:
        picked.append(pl.col(masked_by).is_not_null().alias("masked"))
    else:
        picked.append(pl.lit(False).alias("masked"))
    # Only failing rows are looked up: a clean 10 M-row file costs nothing here.
    suspects = frame.join(failing, on=ROW_ID, how="semi")
    found = failing.join(suspects.select(picked), on=ROW_ID, how="left")
    # A required cell that could not be parsed is reported once, as unparseable.
    found = found.filter(~pl.col("masked"))
    return found.select(
        ROW_ID,
        "natural_key",
        pl.lit(check.severity).alias("severity"),
        pl.lit(check.column).alias("column_name"),
        pl.lit(check.type).alias("check_name"),
        _message(check).alias("message"),
        "value",
        "code",
        "other",
        "other_column",
    )


def _with_read_problems(batch: ReadBatch, findings: pl.DataFrame) -> pl.DataFrame:
    """The checks' findings plus the reader's problems (pipelines.ingest.problems), errors all.

    A problem explains its cell: the checks' findings on that cell (a formula's empty cell
    "missing", an error value "unparseable") are left out, and all of a row's when the
    problem is the whole row's (a line in another encoding: none of its text is trusted).
    """
    problems = batch.problems
    if problems.height == 0:
        return findings
    keys = batch.frame.select(ROW_ID, key_text(batch.source.key_columns).alias("natural_key"))
    reason = pl.col("code").replace_strict(READ_REASONS, return_dtype=pl.Utf8)
    prefix = pl.when(pl.col("column").is_null()).then(pl.lit("")).otherwise(pl.col("column") + ": ")
    quoted = {"{value}": _quoted(pl.col("value")), "{other}": pl.col("other").fill_null("")}
    message = prefix + reason
    for placeholder, text in quoted.items():
        message = message.str.replace(placeholder, text, literal=True)
    found = problems.join(keys, on=ROW_ID, how="left").select(
        ROW_ID,
        "natural_key",
        pl.lit("error").alias("severity"),
        pl.col("column").alias("column_name"),
        pl.lit("read").alias("check_name"),
        message.alias("message"),
        "value",
        "code",
        "other",
        pl.lit(None, dtype=pl.Utf8).alias("other_column"),
    )
    whole_rows = problems.filter(pl.col("column").is_null()).select(ROW_ID).unique()
    kept = findings.join(
        problems.select(ROW_ID, pl.col("column").alias("column_name")).drop_nulls(),
        on=[ROW_ID, "column_name"],
        how="anti",
    ).join(whole_rows, on=ROW_ID, how="anti")
    return pl.concat([kept, found.cast(kept.schema)], how="vertical")


def _quarantine(batch: ReadBatch, errors: pl.DataFrame) -> pl.DataFrame:
    """One row per failing row, all its reasons and their facts, and the raw record under the
    file's headers."""
    if errors.height == 0:
        return pl.DataFrame(schema=QUARANTINE_SCHEMA)
    reasons = errors.group_by(ROW_ID, maintain_order=True).agg(
        pl.col("natural_key").first(),
        pl.col("message").str.join("; ").alias("reasons"),
        findings_json().alias("findings"),
    )
    raw_columns = [c for c in batch.raw.columns if c != ROW_ID]
    held = decoded(
        batch.raw.with_columns(pl.col(ROW_ID).cast(pl.Int64)).join(
            reasons.select(ROW_ID), on=ROW_ID, how="semi"
        )
    )
    records = held.select(
        ROW_ID,
        pl.struct(raw_columns).struct.json_encode().alias("record"),
    )
    # the row's own date where it parsed, so the pack can tell which month a held row belongs to
    date_column = batch.source.date_column
    row_date = pl.col(date_column) if date_column else pl.lit(None, dtype=pl.Date)
    dates = batch.frame.select(pl.col(ROW_ID).cast(pl.Int64), row_date.alias("row_date"))
    return (
        reasons.join(records, on=ROW_ID, how="left")
        .join(dates, on=ROW_ID, how="left")
        .sort(ROW_ID)
        .select(
            pl.col(ROW_ID).alias("row_number"),
            "natural_key",
            "reasons",
            "findings",
            "record",
            "row_date",
        )
    )


def _as_warning_rows(found: pl.DataFrame) -> pl.DataFrame:
    return found.sort(ROW_ID, maintain_order=True).select(
        pl.col(ROW_ID).alias("row_number"), *WARNING_COLUMNS[1:]
    )


def _unknown_column_warnings(batch: ReadBatch) -> pl.DataFrame:
    """File-level finding: one row per extra column, kept out of the clean table."""
    names = list(batch.unknown_columns)
    return pl.DataFrame(
        {
            "row_number": [None] * len(names),
            "natural_key": [None] * len(names),
            "column_name": names,
            "check_name": ["unknown_columns"] * len(names),
            "message": [
                f'column "{n}" is not a {batch.source.name} column: ignored' for n in names
            ],
            "value": [None] * len(names),
            "code": [UNKNOWN_COLUMN_CODE] * len(names),
            "other": [None] * len(names),
            "other_column": [None] * len(names),
        },
        schema=WARNINGS_SCHEMA,
    )
