"""Paths, targets and thresholds: one object, built once at the edge and passed down."""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from pipelines import kpis
from pipelines.errors import SettingsError
from pipelines.taxonomy import taxonomy_mistake


@dataclass(frozen=True)
class Target:
    """The target in force for a KPI: the registry's default or the settings file's."""

    kpi: str
    period: str  # month | quarter | half, from the registry
    target: float | None
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
    # DuckDB storage format a new warehouse file is written in (SPEC §11): that of the
    # long-term-support release, so its CLI and clients open the file, not only DuckDB 2.x
    storage_version: str = "v1.4.0"
    # 8D step deadlines, calendar days after opened_date (SPEC §8)
    d3_days: int = 1
    d4_days: int = 10
    d6_days: int = 30
    d8_days: int = 60
    # computed risk level: low <= risk_low_max < medium <= risk_medium_max < high <= ...
    risk_low_max: int = 4
    risk_medium_max: int = 9
    risk_high_max: int = 14
    risk_recheck_count: int = 3
    # a customer portal's value agrees with ours within these points
    reconcile_ppm_points: float = 10.0
    reconcile_otd_points: float = 0.5
    # the earliest date a row may hold; later than one year after the ingest is refused too
    min_date: dt.date = dt.date(2000, 1, 1)
    targets: dict[str, Target] = field(default_factory=dict)
    customer_targets: dict[str, dict[str, float]] = field(default_factory=dict)
    customer_action_days: dict[str, dict[str, int]] = field(default_factory=dict)

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


def _utf8_text(path: Path, what: str, accepted: str) -> str:
    """The file's text; a SettingsError naming the file when it is not UTF-8 text."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SettingsError(f"Cannot read {what} {path} ({exc.strerror}); restore it.") from exc
    try:
        if b"\x00" in data:
            raise UnicodeError("binary")
        return data.decode("utf-8-sig")
    except UnicodeError as exc:
        raise SettingsError(
            f"{what[0].upper()}{what[1:]} {path} is not UTF-8 text (it is GBK or binary "
            f"content); {accepted}"
        ) from exc


def read_causes(path: Path) -> pl.DataFrame:
    """The cause taxonomy of `path`, validated: UTF-8 CSV, the columns of SPEC §3, unique
    codes, no word naming two causes, `supplier_responsible` true or false."""
    text = _utf8_text(
        path, "the cause taxonomy",
        "save it as UTF-8 CSV (Excel: Save As \"CSV UTF-8\") with the columns code, category, "
        "name_zh, name_en, aliases, supplier_responsible.",
    )
    try:
        frame = pl.read_csv(text.encode("utf-8"), infer_schema=False)
    except Exception as exc:  # noqa: BLE001 - any read failure is a settings problem
        raise SettingsError(f"Cannot read the cause taxonomy {path}: {exc}.") from exc
    needed = {"code", "category", "name_zh", "name_en", "aliases", "supplier_responsible"}
    missing = needed - set(frame.columns)
    if missing:
        raise SettingsError(
            f"The cause taxonomy {path} lacks column(s) {', '.join(sorted(missing))}."
        )
    frame = frame.with_row_index("line", offset=2)  # line 1 is the header
    mistake = taxonomy_mistake(frame)
    flag = pl.col("supplier_responsible").str.strip_chars().str.to_lowercase()
    odd = frame.filter((~flag.is_in(list(_FLAGS))).fill_null(True))
    if mistake is None and odd.height:
        line, value = odd.select("line", "supplier_responsible").row(0)
        mistake = f"supplier_responsible on line {line} is {value!r}; write true or false"
    if mistake is not None:
        raise SettingsError(f"The cause taxonomy {path}: {mistake}.")
    if "sort_order" not in frame.columns:
        frame = frame.with_row_index("sort_order", offset=1)
    return frame.drop("line").with_columns(
        pl.col("aliases").fill_null(""),
        flag.replace_strict(_FLAGS, return_dtype=pl.Boolean).alias("supplier_responsible"),
        pl.col("sort_order").cast(pl.Int32),
    )


_FLAGS = {**dict.fromkeys(("true", "1", "yes", "y"), True),
          **dict.fromkeys(("false", "0", "no", "n"), False)}


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
    text = _utf8_text(path, "the settings file", "save it as UTF-8 (as it is shipped).")
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"The settings file {path} is not valid TOML: {exc}.") from exc
    values = _setting_values(raw.get("settings", {}), path)
    targets = _targets(raw.get("targets", {}), path)
    customer_targets = _customer_targets(raw.get("customer_targets", {}), path)
    action_days = _customer_action_days(raw.get("customer_action_days", {}), path)
    unknown = set(raw) - {"settings", "targets", "customer_targets", "customer_action_days"}
    if unknown:
        raise SettingsError(
            f"Unknown table(s) in {path}: {', '.join(sorted(unknown))}; known: settings, "
            "targets, customer_targets, customer_action_days."
        )
    settings = Settings(
        project_dir=project,
        warehouse=wh if wh.is_absolute() else (Path.cwd() / wh),
        targets=targets,
        customer_targets=customer_targets,
        customer_action_days=action_days,
        **values,
    )
    _check_risk_levels(settings, path)
    if settings.causes_file.is_file():
        read_causes(settings.causes_file)  # a mistake in the taxonomy stops every command first
    return settings


# KPIs that have a per-customer value (kpi_by_customer_monthly), so a customer may override them
CUSTOMER_KPIS = tuple(k.code for k in kpis.registry().values() if k.per_customer)
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
    "d3_days": int,
    "d4_days": int,
    "d6_days": int,
    "d8_days": int,
    "risk_low_max": int,
    "risk_medium_max": int,
    "risk_high_max": int,
    "risk_recheck_count": int,
    "reconcile_ppm_points": float,
    "reconcile_otd_points": float,
}
ACTION_STEPS = ("d3", "d4", "d6", "d8")
# What each setting accepts: (lowest, highest, whether the lowest itself is allowed).
_RANGES: dict[str, tuple[float, float, bool]] = {
    **{name: (0, math.inf, True) for name, kind in _SETTING_TYPES.items() if kind is int},
    "pareto_other_share": (0, 1, False),
    "lock_timeout_seconds": (0, math.inf, True),
    "reconcile_ppm_points": (0, math.inf, True),
    "reconcile_otd_points": (0, math.inf, True),
    **{name: (1, math.inf, True) for name in ("repeat_count", "risk_recheck_count",
                                              "batch_qty", "min_survey_responses")},
}


def _number(value: object, where: str, path: Path, kind: type = float) -> float | int:
    """A finite TOML number of the right kind, or a SettingsError naming the key."""
    ok = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    if kind is int:
        ok = ok and float(value).is_integer()
    if not ok:
        wanted = "a whole number" if kind is int else "a number"
        raise SettingsError(f"{where} in {path} must be {wanted}, not {value!r}.")
    return kind(value)


STORAGE_VERSION = re.compile(r"v\d+\.\d+\.\d+|latest")


def _storage_version(value: object, path: Path) -> dict:
    """`storage_version = "v1.4.0"`: a DuckDB release (vX.Y.Z) or "latest"."""
    if not isinstance(value, str) or not STORAGE_VERSION.fullmatch(value):
        raise SettingsError(
            f"[settings] storage_version in {path} must be a DuckDB release such as "
            f'"v1.4.0" (or "latest"), not {value!r}.'
        )
    return {"storage_version": value}


def _min_date(value: object, path: Path) -> dt.date:
    """A TOML date (`min_date = 2000-01-01`, or the same as a string) before today."""
    day = value if isinstance(value, dt.date) and not isinstance(value, dt.datetime) else None
    if isinstance(value, str):
        try:
            day = dt.date.fromisoformat(value.strip())
        except ValueError:
            day = None
    if day is None or day >= dt.date.today():
        raise SettingsError(
            f"[settings] min_date in {path} must be a date before today written YYYY-MM-DD "
            f"(e.g. min_date = 2000-01-01), not {value!r}."
        )
    return day


def _setting_values(values: dict, path: Path) -> dict:
    known = [*_SETTING_TYPES, "min_date", "storage_version"]
    unknown = set(values) - set(known)
    if unknown:
        raise SettingsError(
            f"Unknown setting(s) in {path}: {', '.join(sorted(unknown))}; "
            f"known: {', '.join(known)}."
        )
    values = dict(values)
    text = {}
    if "storage_version" in values:
        text = _storage_version(values.pop("storage_version"), path)
    min_date = {"min_date": _min_date(values.pop("min_date"), path)} if "min_date" in values else {}
    checked = {
        key: _number(value, f"[settings] {key}", path, _SETTING_TYPES[key])
        for key, value in values.items()
    }
    for key, value in checked.items():
        low, high, low_allowed = _RANGES[key]
        if value > high or value < low or (value == low and not low_allowed):
            accepted = f"in (0, {high:g}]" if not low_allowed else f"at least {low:g}"
            raise SettingsError(
                f"[settings] {key} in {path} must be {accepted}, not {value!r}."
            )
    return {**checked, **min_date, **text}


def _check_risk_levels(settings: Settings, path: Path) -> None:
    """The level bounds must rise: low <= medium <= high."""
    bounds = (settings.risk_low_max, settings.risk_medium_max, settings.risk_high_max)
    if list(bounds) != sorted(bounds):
        raise SettingsError(
            f"[settings] risk_low_max <= risk_medium_max <= risk_high_max in {path}, "
            f"not {', '.join(str(b) for b in bounds)}."
        )


def _customer_action_days(raw: dict, path: Path) -> dict[str, dict[str, int]]:
    """Per-customer 8D step deadlines: [customer_action_days."客户"] d3_days = ... ."""
    overrides: dict[str, dict[str, int]] = {}
    keys = {f"{step}_days": step for step in ACTION_STEPS}
    for customer, days in raw.items():
        where = f'[customer_action_days."{customer}"] in {path}'
        unknown = set(days) - set(keys) if isinstance(days, dict) else {"?"}
        if unknown:
            raise SettingsError(f"{where} may set {', '.join(keys)} only.")
        checked = {}
        for key, value in days.items():
            number = int(_number(value, f'[customer_action_days."{customer}"] {key}', path, int))
            if number < 0:
                raise SettingsError(f"{where}: {key} must be at least 0, not {number}.")
            checked[keys[key]] = number
        overrides[str(customer)] = checked
    return overrides


def _targets(raw: dict, path: Path) -> dict[str, Target]:
    """The registry's default targets, with those of the settings file's [targets.<kpi>].

    Period and direction belong to the KPI (pipelines/kpis.toml); a file that states them
    must state the registry's, so an edit there cannot silently turn a KPI around.
    """
    registry = kpis.registry()
    unknown = set(raw) - set(registry)
    if unknown:
        raise SettingsError(
            f"Unknown KPI(s) in {path}: {', '.join(sorted(unknown))}; "
            f"known: {', '.join(registry)}."
        )
    targets = {code: Target(code, k.period, k.target, k.direction) for code, k in registry.items()}
    for code, entry in raw.items():
        definition = registry[code]
        where = f"[targets.{code}] in {path}"
        if not isinstance(entry, dict):
            raise SettingsError(f"{where} must be a table with a `target` key.")
        extra = set(entry) - {"target", "period", "direction"}
        if extra:
            raise SettingsError(f"{where} has unknown key(s) {', '.join(sorted(extra))}.")
        for key, fixed in (("period", definition.period), ("direction", definition.direction)):
            if key in entry and entry[key] != fixed:
                raise SettingsError(
                    f"{where}: {key} of {code} is {fixed!r} (set by the KPI registry); "
                    f"remove `{key}` or write {fixed!r}."
                )
        if "target" in entry:
            target = _number(entry["target"], f"[targets.{code}] target", path)
            targets[code] = Target(code, definition.period, target, definition.direction)
    return targets


def _customer_targets(raw: dict, path: Path) -> dict[str, dict[str, float]]:
    overrides: dict[str, dict[str, float]] = {}
    for customer, per_kpi in raw.items():
        unknown = set(per_kpi) - set(CUSTOMER_KPIS)
        if unknown:
            raise SettingsError(
                f'[customer_targets."{customer}"] in {path} names {", ".join(sorted(unknown))}; '
                f"per-customer targets exist for {', '.join(CUSTOMER_KPIS)}."
            )
        overrides[str(customer)] = {
            kpi: _number(v, f'[customer_targets."{customer}"] {kpi}', path)
            for kpi, v in per_kpi.items()
        }
    return overrides
