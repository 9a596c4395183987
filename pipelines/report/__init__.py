"""The monthly review pack, in three rooms; the pack only reads the warehouse.

- `pack/`    building the pack: papermill runs, nbconvert export, manifest, the folder
- `pages/`   the pages' content: the page context, its queries, the sections of each page
- `render/`  rendering: HTML tables and blocks, plotly figures, colours, words in a language
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent / "templates"


@dataclass(frozen=True)
class PageSpec:
    """One page of the pack: the notebook it comes from, its title, and what its notebook
    receives beyond the pack's parameters (the review's KPI snapshot)."""

    notebook: str  # file name stem under notebooks/
    title: str
    parameters: dict[str, str] = field(default_factory=dict)
