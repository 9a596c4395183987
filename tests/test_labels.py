"""The label files: the same words in both languages, and a label for every code the pack shows.

A label the pack needs and the files lack is an error at run time (LabelMissing); these tests
find it before a pack is built.
"""

from __future__ import annotations

import csv
import json
import re
import string
import tomllib
from pathlib import Path

import pytest

from pipelines import labels
from pipelines.errors import LabelMissing
from pipelines.kpis import registry
from pipelines.quality.suites import RANGE_CODE, load_suite
from pipelines.sources import SOURCES, SURVEY_DIMENSIONS

PROJECT = Path(__file__).resolve().parent.parent
FILES = {lang: labels.label_file(lang) for lang in labels.LANGS}
# Literal [text] keys in the source: t("key", ...), template("key", ...), and the pages' and
# notebooks' helpers that take one (p.header("key"), section(p, "key"), quarter_trend's title).
TEXT_KEY_CALLS = (
    r"\b(?:t|template)\(\s*[\"'](\w+)[\"']",
    r"\.header\(\s*[\"'](\w+)[\"']",
    r"\bsection\(\s*p,\s*[\"'](\w+)[\"']",
    r"\bquarter_trend\(\s*p,\s*[\"']\w+[\"'],\s*[\"'](\w+)[\"']",
)


def raw(lang: str) -> dict[str, dict[str, str]]:
    return tomllib.loads(FILES[lang].read_text(encoding="utf-8"))


def placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


def test_both_files_hold_the_same_groups_and_keys() -> None:
    zh, en = raw("zh"), raw("en")
    assert list(zh) == list(en)
    for group in zh:
        assert list(zh[group]) == list(en[group]), group


def test_no_label_is_empty() -> None:
    for lang in labels.LANGS:
        for group, entries in raw(lang).items():
            for key, text in entries.items():
                assert isinstance(text, str) and text.strip(), (lang, group, key)


def test_each_key_has_the_same_placeholders_in_both_languages() -> None:
    zh, en = raw("zh"), raw("en")
    for group, entries in zh.items():
        for key, text in entries.items():
            assert placeholders(text) == placeholders(en[group][key]), (group, key)


def assert_labelled(group: str, codes: set[str] | list[str] | tuple[str, ...]) -> None:
    """Every code has a label of `group` in both languages (LabelMissing otherwise)."""
    assert codes
    for code in codes:
        for lang in labels.LANGS:
            labels.label(group, code, lang)


def test_every_kpi_has_a_name_a_unit_and_an_owner() -> None:
    kpis = registry().values()
    assert_labelled("kpi", [k.code for k in kpis])
    assert_labelled("unit", {k.unit for k in kpis})
    assert_labelled("owner", {k.owner for k in kpis})
    assert_labelled("text", {k.limits for k in kpis if k.has_limits})  # the limits' legend


def test_every_source_dimension_and_rating_has_a_name() -> None:
    assert_labelled("source", list(SOURCES))
    assert_labelled("dimension", SURVEY_DIMENSIONS)
    assert_labelled("rating", [str(r) for r in range(1, 5)])
    assert_labelled("batch_status", ["loaded", "rejected"])


def test_every_category_of_the_taxonomy_has_a_name() -> None:
    with (PROJECT / "data" / "reference" / "causes.csv").open(encoding="utf-8") as f:
        categories = {row["category"] for row in csv.DictReader(f)}
    assert_labelled("category", categories | {"unassigned"})


def test_every_phase_has_its_owner() -> None:
    assert_labelled("phase_owner", list(SOURCES["complaints"].column("phase").choices))


def test_every_escalation_rule_has_a_name_and_an_explanation() -> None:
    rules = ["batch", "repeat", "recurrence"]
    assert_labelled("rule", rules)
    assert_labelled("text", [f"detail_{rule}" for rule in rules])


def codes_the_suites_can_give() -> set[str]:
    """Every `meta.code` a finding of the shipped suites can carry (out_of_range by bound)."""
    codes = {"unknown_column"}  # the gate's file-level finding
    for source in SOURCES:
        for check in load_suite(PROJECT / "expectations", source).checks:
            if check.code == RANGE_CODE:
                codes |= {f"{RANGE_CODE}_{side}{strict}"
                          for side in ("min", "max") for strict in ("", "_exclusive")}
            else:
                codes.add(check.code)
    return codes


@pytest.mark.parametrize("group", ["finding", "check"])
def test_every_code_of_the_shipped_suites_has_both_languages(group: str) -> None:
    assert_labelled(group, codes_the_suites_can_give())


def source_texts() -> dict[str, str]:
    """The Python of pipelines/ and the code cells of the notebooks, by file."""
    texts = {str(p.relative_to(PROJECT)): p.read_text(encoding="utf-8")
             for p in (PROJECT / "pipelines").rglob("*.py")}
    for path in (PROJECT / "notebooks").glob("*.ipynb"):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        texts[str(path.relative_to(PROJECT))] = "\n".join(
            "".join(c["source"]) for c in cells if c["cell_type"] == "code")
    return texts


def test_every_text_key_the_code_uses_exists() -> None:
    used = {
        (name, key)
        for name, text in source_texts().items()
        for pattern in TEXT_KEY_CALLS
        for key in re.findall(pattern, text)
    }
    assert len(used) > 50  # the patterns still find the calls
    known = set(labels.names("text", "zh"))
    assert sorted(pair for pair in used if pair[1] not in known) == []


def test_a_missing_label_is_an_error_naming_file_group_and_key() -> None:
    with pytest.raises(LabelMissing, match=r"en\.toml has no key 'no_such_kpi' in \[kpi\]"):
        labels.label("kpi", "no_such_kpi", "en")
    with pytest.raises(LabelMissing, match=r"zh\.toml has no group \[no_such_group\]"):
        labels.names("no_such_group", "zh")
    with pytest.raises(LabelMissing):
        labels.t("no_such_text", "zh")


def test_texts_fill_their_placeholders_and_units_follow_the_registry() -> None:
    assert labels.t("showing", "en", shown=3, total=7) == "showing 3 of 7"
    assert labels.template("showing", "zh") == "显示 {shown} / 共 {total} 条"
    assert labels.kpi_unit("premium_freight", "zh") == "元"
    assert labels.kpi_unit("env_complaints", "en") == "complaints"
    with pytest.raises(ValueError, match="unknown language"):
        labels.t("total", "fr")
