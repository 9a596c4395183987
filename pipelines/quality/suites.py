"""The expectation suites of `expectations/<source>.json`, read into checks the gate can explain.

The JSON files are Great Expectations suites. Each expectation's `meta` carries its
`severity` ("error": the row is quarantined; "warning": the row loads, the finding is kept)
its `code`, the short stable name of what a finding says (stored with each finding, so the
pack can word it in its own language), and its `reason`, the English text stored beside the
facts, where `{value}` stands for the offending value and `{other}` for the other column of a
column-pair check.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from pipelines.errors import SettingsError
from pipelines.sources import KEY_SEPARATOR

INVALID_SUFFIX = "__invalid"
SEVERITIES = ("error", "warning")
# Codes of expectations whose meta names none.
DEFAULT_CODES = {
    "expect_column_values_to_not_be_null": "missing",
    "expect_column_values_to_be_unique": "duplicate_key",
    "expect_compound_columns_to_be_unique": "duplicate_key",
    "expect_column_values_to_be_between": "out_of_range",
}
RANGE_CODE = "out_of_range"  # a finding says which bound: out_of_range_min, _max (+ _exclusive)


@dataclass(frozen=True)
class Check:
    """One expectation and how to word its findings."""

    type: str
    kwargs: dict
    severity: str
    code: str
    reason: str
    column: str  # the column a finding names
    value_column: str  # where the offending value is read
    other_column: str | None  # column pairs: the column compared against

    @property
    def compound(self) -> tuple[str, ...]:
        """The columns of a check on several columns at once (a composite key), else ()."""
        return tuple(self.kwargs.get("column_list") or ())

    @property
    def gx_columns(self) -> list[str]:
        """Columns Great Expectations needs to evaluate this check, its row condition's too."""
        names = [self.kwargs.get(k) for k in ("column", "column_A", "column_B")]
        names += [*self.compound, *condition_columns(self.kwargs.get("row_condition"))]
        return list(dict.fromkeys(n for n in names if n))

    @property
    def masked_by_invalid(self) -> str | None:
        """For a missing-value check: the `__invalid` column whose text explains the null."""
        if self.type == "expect_column_values_to_not_be_null":
            return f"{self.column}{INVALID_SUFFIX}"
        return None


@dataclass(frozen=True)
class Suite:
    name: str
    path: Path
    checks: tuple[Check, ...]
    raw: dict  # the suite as written, handed to Great Expectations


def _check(entry: dict, path: Path) -> Check:
    meta = entry.get("meta") or {}
    kwargs = entry.get("kwargs") or {}
    severity = meta.get("severity")
    if severity not in SEVERITIES:
        raise SettingsError(
            f"An expectation {entry.get('type')} in {path} has meta.severity {severity!r}; "
            'set it to "error" or "warning".'
        )
    pair = "column_A" in kwargs
    if pair:
        named = meta.get("column") or kwargs["column_A"]
        other = kwargs["column_B"] if named == kwargs["column_A"] else kwargs["column_A"]
        value_column = named
    elif "column_list" in kwargs:  # the value is the key text: `华为 | 2025-03-01 | ppm`
        named = meta.get("column") or KEY_SEPARATOR.join(kwargs["column_list"])
        value_column, other = named, None
    else:
        value_column = meta.get("value_column") or kwargs["column"]
        named = meta.get("column") or kwargs["column"].removesuffix(INVALID_SUFFIX)
        other = None
    return Check(
        type=entry["type"],
        kwargs=kwargs,
        severity=severity,
        code=meta.get("code") or DEFAULT_CODES.get(entry["type"])
        or entry["type"].removeprefix("expect_"),
        reason=meta.get("reason") or entry["type"].removeprefix("expect_").replace("_", " "),
        column=named,
        value_column=value_column,
        other_column=other,
    )


def condition_columns(condition: object) -> list[str]:
    """The columns a row condition (GX's structured form: nullity, comparison, and, or)
    reads, e.g. {"type": "nullity", "column": {"name": "closed_date"}, "is_null": false}."""
    if isinstance(condition, dict):
        named = condition.get("column")
        own = [named["name"]] if isinstance(named, dict) and "name" in named else []
        parts = condition.get("conditions", [])
        return own + [column for part in parts for column in condition_columns(part)]
    return []


def suite_path(expectations_dir: Path, source: str) -> Path:
    """Where a source's suite is: `expectations/<source>.json`."""
    return expectations_dir / f"{source}.json"


def load_suite(expectations_dir: Path, source: str) -> Suite:
    """Read `expectations/<source>.json`; a malformed file is a settings error."""
    path = suite_path(expectations_dir, source)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise SettingsError(
            f"Cannot read the expectation suite {path} ({exc}); restore it from the project."
        ) from exc
    checks = tuple(_check(entry, path) for entry in raw.get("expectations", []))
    return Suite(name=raw.get("name", source), path=path, checks=checks, raw=raw)
