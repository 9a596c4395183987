"""Who owns a problem: the seed's escalation map assigns complaints by product phase."""

from __future__ import annotations

import polars as pl

# 样件客诉问题由研发主导, C样客诉问题由AQE主导, 量产客诉问题由运营售后主导
PHASE_OWNERS: dict[str, str] = {
    "sample": "rd",
    "c_sample": "aqe",
    "mass_production": "after_sales",
}



def owner_of_phase(phase: pl.Expr) -> pl.Expr:
    """Owner code for a phase column; an unknown phase counts as mass production (the default)."""
    return phase.replace_strict(PHASE_OWNERS, default=PHASE_OWNERS["mass_production"])
