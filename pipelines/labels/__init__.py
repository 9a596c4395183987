"""The pack's words: one TOML file per language (`zh.toml`, `en.toml`), one lookup.

Every label a reader of the pack sees (headings, column heads, sentences, and the names of
KPIs, units, categories, owners, sources, rules, findings ...) lives in these files, so a
translator edits words without reading Python and a new KPI needs only its name here. A group
is a TOML table (`[text]`, `[kpi]`, ...) mapping a code to its label; both files hold the same
groups and keys (tests/test_labels.py).

A missing label is an error (`LabelMissing`), never a blank or the bare code: a pack must not
quietly show `premium_freight` to a manager. Call sites that word data the product cannot know
in advance (a finding code added to a suite later) look the code up in `names(group, lang)`
and keep their own fallback explicitly.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

from pipelines import kpis
from pipelines.errors import LabelMissing, SettingsError

LANGS: tuple[str, ...] = ("zh", "en")
LABELS_DIR = Path(__file__).resolve().parent


def check_lang(lang: str) -> str:
    """`lang` itself when the pack has words for it; the CLI and the notebooks check it first."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; use zh or en")
    return lang


def label_file(lang: str) -> Path:
    """The file holding the words of `lang`."""
    return LABELS_DIR / f"{check_lang(lang)}.toml"


@cache
def _groups(lang: str) -> dict[str, dict[str, str]]:
    """Every group of `lang`'s file, read once per process."""
    path = label_file(lang)
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SettingsError(f"Cannot read the label file {path}: {exc}.") from exc


def _group(group: str, lang: str) -> dict[str, str]:
    try:
        return _groups(lang)[group]
    except KeyError:
        raise LabelMissing(f"{label_file(lang)} has no group [{group}].") from None


def names(group: str, lang: str) -> dict[str, str]:
    """Code -> label of one group in `lang` (a copy, e.g. for polars `replace`)."""
    return dict(_group(group, lang))


def label(group: str, code: str, lang: str) -> str:
    """The label of `code` in `group`; LabelMissing when the file has none."""
    try:
        return _group(group, lang)[code]
    except KeyError:
        raise LabelMissing(
            f"{label_file(lang)} has no key {code!r} in [{group}]; add it to both label files."
        ) from None


def template(key: str, lang: str) -> str:
    """A [text] entry with its {placeholders} unfilled, for callers filling them per row."""
    return label("text", key, lang)


def t(key: str, lang: str, **values: object) -> str:
    """A [text] entry in `lang` with its {placeholders} filled from `values`."""
    text = template(key, lang)
    return text.format(**values) if values else text


def kpi_name(kpi: str, lang: str) -> str:
    """A KPI's name ([kpi] by the registry's code)."""
    return label("kpi", kpi, lang)


def kpi_unit(kpi: str, lang: str) -> str:
    """The label of a KPI's unit: the registry decides the unit, the label file its words."""
    return label("unit", kpis.kpi(kpi).unit, lang)
