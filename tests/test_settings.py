"""data/reference/settings.toml: the shipped defaults, and one clear sentence for each mistake."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipelines.errors import SettingsError
from pipelines.settings import load_settings

PROJECT = Path(__file__).resolve().parent.parent
SHIPPED = (PROJECT / "data" / "reference" / "settings.toml").read_text(encoding="utf-8")


def project_with(tmp_path: Path, extra: str) -> Path:
    reference = tmp_path / "data" / "reference"
    shutil.copytree(PROJECT / "data" / "reference", reference)
    (reference / "settings.toml").write_text(SHIPPED + "\n" + extra, encoding="utf-8")
    return tmp_path


def test_shipped_defaults_are_the_process_sheets(tmp_path):
    settings = load_settings(project_with(tmp_path, ""))
    # SPEC §3: PPM <= 200 a month, OTD >= 98 %, premium freight <= 2000 CNY, response 100 %,
    # satisfaction >= 90 % a half-year, property 100 % and no environmental complaint a quarter
    expected = {
        "ppm": ("month", 200, "max"),
        "otd": ("month", 98, "min"),
        "premium_freight": ("month", 2000, "max"),
        "response_on_time": ("month", 100, "min"),
        "satisfaction": ("half", 90, "min"),
        "property_intact": ("quarter", 100, "min"),
        "env_complaints": ("quarter", 0, "max"),
        # SPEC §8: D3 on time >= 100 %, D8 on time >= 90 % a month; COPQ has no default target
        "containment_on_time": ("month", 100, "min"),
        "closure_on_time": ("month", 90, "min"),
        "copq": ("month", None, "max"),
    }
    assert {k: (t.period, t.target, t.direction) for k, t in settings.targets.items()} == expected
    assert (settings.sla_days, settings.otd_tolerance_days, settings.otd_early_days) == (1, 0, None)
    assert (settings.batch_qty, settings.pareto_other_share, settings.min_survey_responses) == (
        100,
        0.95,
        5,
    )
    # SPEC §8 defaults: step deadlines, risk level bounds, re-check count, tolerances
    assert (settings.d3_days, settings.d4_days, settings.d6_days, settings.d8_days) == (
        1, 10, 30, 60)
    assert (settings.risk_low_max, settings.risk_medium_max, settings.risk_high_max,
            settings.risk_recheck_count) == (4, 9, 14, 3)
    assert (settings.reconcile_ppm_points, settings.reconcile_otd_points) == (10, 0.5)


@pytest.mark.parametrize(
    ("extra_setting", "says"),
    [
        ("otd_early_days = -5", "otd_early_days .* must be at least 0"),
        ("d3_days = -1", "d3_days .* must be at least 0"),
        ("pareto_other_share = 0", r"pareto_other_share .* must be in \(0, 1\]"),
        ("pareto_other_share = 1.5", r"must be in \(0, 1\]"),
        ("sla_days = nan", "must be a whole number"),
        ("reconcile_otd_points = inf", "must be a number"),
        ("risk_low_max = 12", "risk_low_max <= risk_medium_max"),
    ],
)
def test_out_of_range_settings_are_refused(tmp_path, extra_setting, says):
    folder = project_with(tmp_path, "")
    path = folder / "data" / "reference" / "settings.toml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("[settings]\n", f"[settings]\n{extra_setting}\n", 1)
    key = extra_setting.split(" =")[0]
    # the shipped line of the same key goes, so the file names it once
    lines = [ln for ln in text.splitlines()
             if not (ln.startswith(key + " ") and ln != extra_setting)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(SettingsError, match=says):
        load_settings(folder)


def test_a_customer_with_stricter_action_deadlines(tmp_path):
    strict = '[customer_action_days."一汽大众"]\nd3_days = 0\n'
    settings = load_settings(project_with(tmp_path, strict))
    assert settings.customer_action_days["一汽大众"] == {"d3": 0}
    with pytest.raises(SettingsError, match="may set d3_days, d4_days, d6_days, d8_days only"):
        load_settings(project_with(tmp_path / "b", '[customer_action_days."甲"]\nd5_days = 1\n'))


def test_a_customer_override_is_read(tmp_path):
    settings = load_settings(project_with(tmp_path, '[customer_targets."一汽大众"]\nppm = 50\n'))
    assert settings.customer_targets == {"一汽大众": {"ppm": 50.0}}


@pytest.mark.parametrize(
    ("extra", "says"),
    [
        ('[customer_targets."甲公司"]\npmm = 50\n', "names pmm"),
        ('[customer_targets."甲公司"]\nppm = "fifty"\n', "must be a number"),
        ("[targets.ppm_typo]\nperiod = 'month'\ntarget = 1\ndirection = 'max'\n", "ppm_typo"),
    ],
)
def test_mistakes_name_the_key(tmp_path, extra, says):
    with pytest.raises(SettingsError, match=says):
        load_settings(project_with(tmp_path, extra))


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        ("sla_days = 1", 'sla_days = "one"', r"\[settings\] sla_days .* must be a whole number"),
        ("sla_days = 1", "sla_days = 1.5", "must be a whole number"),
        ("target = 200", 'target = 200\ndirection = "min"',
         r"\[targets.ppm\] .*: direction of ppm is 'max' \(set by the KPI registry\)"),
        ("target = 200", 'target = 200\nperiod = "quarter"', "period of ppm is 'month'"),
        ("batch_qty = 100", "batch_size = 100", "Unknown setting"),
    ],
)
def test_bad_values_name_the_key(tmp_path, old, new, says):
    folder = project_with(tmp_path, "")
    path = folder / "data" / "reference" / "settings.toml"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    with pytest.raises(SettingsError, match=says):
        load_settings(folder)


def test_period_and_direction_come_from_the_kpi_registry(tmp_path):
    # the shipped file names only the targets; periods and directions are the registry's
    assert "direction" not in SHIPPED.split("[targets.ppm]")[1]
    settings = load_settings(project_with(tmp_path, ""))
    assert (settings.targets["ppm"].period, settings.targets["ppm"].direction) == ("month", "max")


def test_a_kpi_missing_from_the_file_keeps_its_default_target(tmp_path):
    folder = project_with(tmp_path, "")
    path = folder / "data" / "reference" / "settings.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("[targets.otd]\ntarget = 98", "", 1), encoding="utf-8")
    assert load_settings(folder).targets["otd"].target == 98  # pipelines/kpis.toml


def test_outside_a_project_says_where_to_run(tmp_path):
    with pytest.raises(SettingsError, match="No project folder at .*run aftersales from"):
        load_settings(tmp_path)
