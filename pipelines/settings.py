"""Paths, targets and thresholds: one object, built once at the edge and passed down."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from pipelines.errors import SettingsError

KPI_CODES: tuple[str, ...] = (
    "ppm",
    "otd",
    "premium_freight",
    "response_on_time",
    "satisfaction",
    "property_intact",
    "env_complaints",
)


@dataclass(frozen=True)
class Target:
    kpi: str
    period: str  # month | quarter | half
    target: float
    direction: str  # max: value <= target is met; min: value >= target is met


@dataclass(frozen=True)
class Settings:
    """Everything a run needs to know, read from the project folder once."""

    project_dir: Path
    warehouse: Path
    sla_days: int = 1
    otd_tolerance_days: int = 0
    otd_early_days: int | None = None
    batch_qty: int = 100
    repeat_count: int = 3
    repeat_window_days: int = 30
    recurrence_days: int = 90
    pareto_other_share: float = 0.95
    min_survey_responses: int = 5
    lock_timeout_seconds: float = 30.0
    targets: dict[str, Target] = field(default_factory=dict)
    customer_targets: dict[str, dict[str, float]] = field(default_factory=dict)

    @property
    def data_dir(self) -> Path:
        return self.project_dir / "data"

    @property
    def inbox_dir(self) -> Path:
        return self.data_dir / "inbox"

    @property
    def reference_dir(self) -> Path:
        return self.data_dir / "reference"

    @property
    def settings_file(self) -> Path:
        return self.reference_dir / "settings.toml"

    @property
    def causes_file(self) -> Path:
        return self.reference_dir / "causes.csv"

    @property
    def expectations_dir(self) -> Path:
        return self.project_dir / "expectations"

    @property
    def notebooks_dir(self) -> Path:
        return self.project_dir / "notebooks"

    @property
    def reports_dir(self) -> Path:
        return self.project_dir / "reports"

    def causes(self) -> pl.DataFrame:
        """The cause taxonomy as a frame (code, category, names, aliases, flags, order)."""
        return read_causes(self.causes_file)


def read_causes(path: Path) -> pl.DataFrame:
    try:
        frame = pl.read_csv(path, infer_schema=False)
    except Exception as exc:  # noqa: BLE001 - any read failure is a settings problem
        raise SettingsError(f"Cannot read the cause taxonomy {path}: {exc}.") from exc
    needed = {"code", "category", "name_zh", "name_en", "aliases", "supplier_responsible"}
    missing = needed - set(frame.columns)
    if missing:
        raise SettingsError(
            f"The cause taxonomy {path} lacks column(s) {', '.join(sorted(missing))}."
        )
    if "sort_order" not in frame.columns:
        frame = frame.with_row_index("sort_order", offset=1)
    return frame.with_columns(
        pl.col("aliases").fill_null(""),
        pl.col("supplier_responsible").str.strip_chars().str.to_lowercase().is_in(
            ["true", "1", "yes", "y"]
        ),
        pl.col("sort_order").cast(pl.Int32),
    )


def find_project_dir(start: Path | None = None) -> Path:
    """The project folder: the nearest folder upward holding data/reference/settings.toml.

    Like dbt or kedro, the command runs from the project folder; running from a
    subfolder still works. Falls back to the current folder.
    """
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "data" / "reference" / "settings.toml").is_file():
            return folder
    return here


def load_settings(project_dir: Path | None = None, warehouse: Path | None = None) -> Settings:
    """Read data/reference/settings.toml of the project; the warehouse path may be overridden."""
    project = find_project_dir(project_dir)
    env_warehouse = os.environ.get("AFTERSALES_WAREHOUSE")
    wh = Path(warehouse or env_warehouse or project / "data" / "warehouse.duckdb")
    path = project / "data" / "reference" / "settings.toml"
    if not path.is_file():
        raise SettingsError(
            f"No project folder at {project}: data/reference/settings.toml is missing; run "
            "aftersales from the project folder (the one holding data/reference/)."
        )
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"The settings file {path} is not valid TOML: {exc}.") from exc
    values = _setting_values(raw.get("settings", {}), path)
    targets = _targets(raw.get("targets", {}), path)
    customer_targets = _customer_targets(raw.get("customer_targets", {}), path)
    return Settings(
        project_dir=project,
        warehouse=wh if wh.is_absolute() else (Path.cwd() / wh),
        targets=targets,
        customer_targets=customer_targets,
        **values,
    )


PERIODS = ("month", "quarter", "half")
DIRECTIONS = ("min", "max")
# KPIs that have a per-customer value (kpi_by_customer_monthly), so a customer may override them
CUSTOMER_KPIS = ("ppm", "otd", "premium_freight", "response_on_time")
_SETTING_TYPES: dict[str, type] = {
    "sla_days": int,
    "otd_tolerance_days": int,
    "otd_early_days": int,
    "batch_qty": int,
    "repeat_count": int,
    "repeat_window_days": int,
    "recurrence_days": int,
    "pareto_other_share": float,
    "min_survey_responses": int,
    "lock_timeout_seconds": float,
}


def _number(value: object, where: str, path: Path, kind: type = float) -> float | int:
    """A TOML number of the right kind, or a SettingsError naming the key."""
    ok = isinstance(value, int | float) and not isinstance(value, bool)
    if kind is int:
        ok = ok and float(value).is_integer()
    if not ok:
        wanted = "a whole number" if kind is int else "a number"
        raise SettingsError(f"{where} in {path} must be {wanted}, not {value!r}.")
    return kind(value)


def _setting_values(values: dict, path: Path) -> dict:
    unknown = set(values) - set(_SETTING_TYPES)
    if unknown:
        raise SettingsError(
            f"Unknown setting(s) in {path}: {', '.join(sorted(unknown))}; "
            f"known: {', '.join(_SETTING_TYPES)}."
        )
    return {
        key: _number(value, f"[settings] {key}", path, _SETTING_TYPES[key])
        for key, value in values.items()
    }


def _targets(raw: dict, path: Path) -> dict[str, Target]:
    unknown = set(raw) - set(KPI_CODES)
    if unknown:
        raise SettingsError(
            f"Unknown KPI(s) in {path}: {', '.join(sorted(unknown))}; "
            f"known: {', '.join(KPI_CODES)}."
        )
    targets = {}
    for kpi, entry in raw.items():
        missing = {"period", "target", "direction"} - set(entry)
        if missing:
            raise SettingsError(
                f"[targets.{kpi}] in {path} lacks {', '.join(sorted(missing))}."
            )
        if entry["period"] not in PERIODS or entry["direction"] not in DIRECTIONS:
            raise SettingsError(
                f"[targets.{kpi}] in {path}: period must be one of {', '.join(PERIODS)} "
                f"and direction one of {', '.join(DIRECTIONS)}."
            )
        target = _number(entry["target"], f"[targets.{kpi}] target", path)
        targets[kpi] = Target(kpi, entry["period"], target, entry["direction"])
    return targets


def _customer_targets(raw: dict, path: Path) -> dict[str, dict[str, float]]:
    overrides: dict[str, dict[str, float]] = {}
    for customer, kpis in raw.items():
        unknown = set(kpis) - set(CUSTOMER_KPIS)
        if unknown:
            raise SettingsError(
                f'[customer_targets."{customer}"] in {path} names {", ".join(sorted(unknown))}; '
                f"per-customer targets exist for {', '.join(CUSTOMER_KPIS)}."
            )
        overrides[str(customer)] = {
            kpi: _number(v, f'[customer_targets."{customer}"] {kpi}', path)
            for kpi, v in kpis.items()
        }
    return overrides
