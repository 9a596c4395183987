"""The KPI registry: one definition per KPI, read from `pipelines/kpis.toml`.

Everything the product knows of a KPI besides its formula (`pipelines/sql/kpis/<code>.sql`)
and its name (the label files) is decided here once: its period, direction, scale, unit and
digits, whether it has a customer breakdown, control limits and customer action lines, its
chart, its action-list breakdown and its owner. The SQL views read the same definitions from
the warehouse table `kpi_definitions` (`pipelines.warehouse.reference`).
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, fields
from functools import cache
from pathlib import Path

from pipelines.errors import SettingsError

REGISTRY_FILE = Path(__file__).resolve().parent / "kpis.toml"

CHOICES: dict[str, tuple[str, ...]] = {
    "period": ("month", "quarter", "half"),
    "direction": ("min", "max"),
    "value": ("ratio", "total"),
    "empty": ("zero", "null"),
    "limits": ("laney_u", "laney_p", "p_chart", "none"),
    "chart": ("trend", "periods"),
    "driver": ("cause", "reason", "item", "owner", "component", "part_lateness", "none"),
}


@dataclass(frozen=True)
class Kpi:
    """One KPI of the scorecard (see the header of kpis.toml for what each field means)."""

    code: str
    order: int
    period: str
    direction: str
    value: str
    unit: str
    digits: int
    owner: str
    target: float | None = None
    scale: float | None = None
    empty: str = "zero"
    per_customer: bool = False
    customer_actions: bool = False
    limits: str = "none"
    chart: str = "trend"
    driver: str = "none"

    @property
    def is_monthly(self) -> bool:
        return self.period == "month"

    @property
    def has_limits(self) -> bool:
        return self.limits != "none"

    def met(self, value: float | None, target: float | None) -> bool | None:
        """Whether `value` meets `target` in this KPI's direction (None without both)."""
        if value is None or target is None:
            return None
        return value <= target if self.direction == "max" else value >= target


_REQUIRED = ("period", "direction", "value", "unit", "digits", "owner")
_FIELD_TYPES = {f.name: f.type for f in fields(Kpi)}


def _checked(code: str, entry: dict, order: int, path: Path) -> Kpi:
    where = f"[{code}] in {path}"
    unknown = set(entry) - set(_FIELD_TYPES) - {"code", "order"}
    if unknown:
        raise SettingsError(f"{where} has unknown key(s) {', '.join(sorted(unknown))}.")
    missing = [key for key in _REQUIRED if key not in entry]
    if missing:
        raise SettingsError(f"{where} lacks {', '.join(missing)}.")
    for key, allowed in CHOICES.items():
        if key in entry and entry[key] not in allowed:
            raise SettingsError(
                f"{where}: {key} = {entry[key]!r}; use one of {', '.join(allowed)}."
            )
    for key in ("target", "scale"):
        value = entry.get(key)
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if value is not None and not (number and math.isfinite(value)):
            raise SettingsError(f"{where}: {key} must be a finite number, not {value!r}.")
    if entry["value"] == "ratio" and not entry.get("scale"):
        raise SettingsError(f"{where}: a ratio KPI needs a scale (100 for a percentage).")
    if entry.get("per_customer") and entry["period"] != "month":
        raise SettingsError(f"{where}: only a monthly KPI can have a per-customer breakdown.")
    if entry.get("customer_actions") and not entry.get("per_customer"):
        raise SettingsError(f"{where}: customer_actions needs per_customer = true.")
    if entry.get("limits", "none") != "none" and entry["period"] != "month":
        raise SettingsError(f"{where}: control limits are drawn for monthly KPIs only.")
    return Kpi(code=code, order=order, **entry)


@cache
def registry(path: Path = REGISTRY_FILE) -> dict[str, Kpi]:
    """Every KPI by code, in the scorecard's order."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SettingsError(f"Cannot read the KPI registry {path}: {exc}.") from exc
    return {code: _checked(code, entry, i, path) for i, (code, entry) in enumerate(raw.items(), 1)}


def kpi(code: str) -> Kpi:
    """One KPI's definition; an unknown code is a programming error naming the known ones."""
    try:
        return registry()[code]
    except KeyError:
        known = ", ".join(registry())
        raise KeyError(f"no KPI {code!r} in {REGISTRY_FILE}; known: {known}") from None


def codes() -> tuple[str, ...]:
    """The KPI codes in the scorecard's order."""
    return tuple(registry())
