"""Reference files validated before anything runs (SPEC §12): the cause taxonomy with unique
codes and no code, name or alias naming two causes, and settings.toml / causes.csv that are not
UTF-8 text; each mistake is one sentence naming the file, the line or word, and what is
accepted, printed by the command as one red line (exit 1), never "Unexpected error".

A repeated code would join each of its complaints to two taxonomy rows in stg_complaints and
count its defects twice in PPM; a shared word would map a cause text to whichever cause
happened to come first.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipelines.cli import app
from pipelines.errors import SettingsError
from pipelines.settings import load_settings, read_causes

PROJECT = Path(__file__).resolve().parent.parent
SHIPPED = (PROJECT / "data" / "reference" / "causes.csv").read_text(encoding="utf-8")


def project(tmp_path: Path) -> Path:
    folder = tmp_path / "project"
    shutil.copytree(PROJECT / "data" / "reference", folder / "data" / "reference")
    shutil.copytree(PROJECT / "expectations", folder / "expectations")
    return folder


def causes_file(folder: Path) -> Path:
    return folder / "data" / "reference" / "causes.csv"


def with_line(line: str) -> str:
    """The shipped taxonomy with `line` appended: it is line 31 (header 1, 29 causes 2-30)."""
    assert SHIPPED.count("\n") == 30
    return SHIPPED + line + "\n"


def test_the_shipped_taxonomy_is_sound() -> None:
    frame = read_causes(PROJECT / "data" / "reference" / "causes.csv")
    assert frame.height == 29 and frame["code"].n_unique() == 29


@pytest.mark.parametrize(
    ("line", "message"),
    [
        # the same code twice: assembly is on line 2
        ("assembly,company,组装原因二,Assembly two,,true,30",
         "code 'assembly' is on lines 2 and 31; give each cause its own code"),
        # a code differing only by case matches the same texts
        ("ASSEMBLY,company,组装二,Assembly two,,true,30",
         "code 'ASSEMBLY' is on lines 2 and 31"),
        # an alias already the alias of assembly (组装, line 2)
        ("rework,company,返工,Rework,组装,true,30",
         "'组装' names both assembly (line 2) and rework (line 31)"),
        # an English name that is installation's (line 3)
        ("fitting,company,装配,Installation,,true,30",
         "'installation' names both installation (line 3) and fitting (line 31)"),
        # a Chinese name equal to another's without its bracketed part (仓库出货错误, line 4)
        ("shipping2,company,仓库出货错误,Shipping 2,,true,30",
         "'仓库出货错误' names both warehouse_shipping (line 4) and shipping2 (line 31)"),
        ("rework,company,返工,Rework,,maybe,30",
         "supplier_responsible on line 31 is 'maybe'; write true or false"),
    ],
)
def test_an_ambiguous_taxonomy_is_refused(tmp_path: Path, line: str, message: str) -> None:
    folder = project(tmp_path)
    causes_file(folder).write_text(with_line(line), encoding="utf-8")
    with pytest.raises(SettingsError) as caught:
        load_settings(folder)
    text = str(caught.value)
    assert text.startswith(f"The cause taxonomy {causes_file(folder)}: ")
    assert message in text and "\n" not in text


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("causes.csv", SHIPPED.encode("gbk")),  # saved by Chinese Excel as "CSV"
        ("causes.csv", b"PK\x03\x04\x14\x00\x00\x00binary"),  # a workbook renamed .csv
        ("settings.toml", (PROJECT / "data" / "reference" / "settings.toml")
         .read_text(encoding="utf-8").replace("# Targets", "# 目标值", 1).encode("gbk")),
        ("settings.toml", b"\x00\x01\x02\xff"),
    ],
)
def test_a_file_that_is_not_utf8_text_is_one_red_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, content: bytes
) -> None:
    folder = project(tmp_path)
    path = folder / "data" / "reference" / name
    path.write_bytes(content)
    monkeypatch.chdir(folder)
    monkeypatch.delenv("AFTERSALES_WAREHOUSE", raising=False)
    result = CliRunner().invoke(app, ["status"])
    assert result.exit_code == 1
    output = result.output.strip()
    assert "Unexpected error" not in output
    assert output.startswith("Error: ") and "is not UTF-8 text" in output
    assert name in output and "UTF-8" in output
    assert len(output.replace(str(path), "P").splitlines()) == 1  # one sentence, one line
