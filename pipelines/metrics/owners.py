"""Who owns a problem: the seed's escalation map assigns complaints by product phase."""

from __future__ import annotations

import polars as pl

# 样件客诉问题由研发主导, C样客诉问题由AQE主导, 量产客诉问题由运营售后主导
PHASE_OWNERS: dict[str, str] = {
    "sample": "rd",
    "c_sample": "aqe",
    "mass_production": "after_sales",
}

# KPIs not driven by complaints go to the function that runs the process behind them.
KPI_OWNERS: dict[str, str] = {
    "ppm": "after_sales",
    "otd": "logistics",
    "premium_freight": "logistics",
    "response_on_time": "after_sales",
    "satisfaction": "after_sales",
    "property_intact": "logistics",
    "env_complaints": "after_sales",
}

OWNER_LABELS: dict[str, dict[str, str]] = {
    "rd": {"zh": "研发", "en": "R&D"},
    "aqe": {"zh": "AQE", "en": "AQE"},
    "after_sales": {"zh": "运营售后", "en": "After-sales operations"},
    "logistics": {"zh": "储运部", "en": "Logistics"},
}


def owner_of_phase(phase: pl.Expr) -> pl.Expr:
    """Owner code for a phase column; an unknown phase counts as mass production (the default)."""
    return phase.replace_strict(PHASE_OWNERS, default=PHASE_OWNERS["mass_production"])
