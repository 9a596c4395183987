"""The benchmark harness end to end at a tiny size: every stage runs and the JSON is written.

Only structure is asserted, never times: the numbers a benchmark prints depend on the machine.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# Sizes chosen so each file is read in a second: 2,000 delivery lines, 200 complaints,
# 500 freight rows, 100 survey responses, a monthly increment of 300 delivery lines, and
# 5 one-row delivery files in one folder; a group of 2 plants of the 2k warehouse in the lake.
ARGS = ["--sizes", "2k", "--complaints", "200", "--freight", "500", "--surveys", "100",
        "--increment", "300", "--small-files", "5", "--plants", "2"]


def test_bench_runs_every_stage_and_writes_json(tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-m", "bench", *ARGS,
         "--work", str(tmp_path / "work"), "--out", str(out)],
        capture_output=True, text=True, timeout=900, cwd=REPO,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]

    latest = json.loads((out / "latest.json").read_text(encoding="utf-8"))
    stamped = [p for p in out.glob("*.json") if p.name != "latest.json"]
    assert len(stamped) == 1
    assert json.loads(stamped[0].read_text(encoding="utf-8")) == latest

    stages = {(s["name"], s["size"]): s for s in latest["stages"]}
    expected = {
        ("notebook floor", "-"),
        ("generate", "2k"),
        *((f"floor: duckdb load {src}", "2k") for src in
          ("deliveries", "complaints", "freight", "surveys")),
        *((f"ingest {src}", "2k") for src in ("deliveries", "complaints", "freight", "surveys")),
        ("generate wide shape", "2k"),
        ("floor: duckdb load deliveries, wide shape", "2k"),
        ("ingest deliveries, wide shape", "2k"),
        ("generate small files", "5 files"),
        ("ingest one-row files of one folder", "5 files"),
        ("query floor: scan deliveries", "2k"),
        ("query kpi_scorecard", "2k"),
        ("query kpi_by_customer_monthly", "2k"),
        ("notebook floor", "2k"),  # again, just before the report it judges
        ("report", "2k"),
        ("generate increment", "2k"),
        ("floor: duckdb load increment", "2k"),
        ("increment ingest", "2k"),
        ("increment report", "2k"),
        ("increment ingest + report", "2k"),
        ("publish plant", "2k"),
        ("group build", "1 × 2k"),
        ("publish 2 plants", "2 × 2k"),
        ("group build", "2 × 2k"),
        ("query floor: scan deliveries", "2 × 2k"),
        ("query group kpi_scorecard", "2 × 2k"),
        ("query group kpi_scorecard_by_plant", "2 × 2k"),
        ("group report (build + pack)", "2 × 2k"),
    }
    assert set(stages) == expected
    assert stages[("report", "2k")]["floor"] == "notebook floor"
    report_floor = stages[("notebook floor", "2k")]["wall_s"]
    assert stages[("report", "2k")]["ratio"] == stages[("report", "2k")]["wall_s"] / report_floor
    assert all(s["status"] == "ok" for s in stages.values()), [
        (s["name"], s["note"]) for s in stages.values() if s["status"] != "ok"
    ]
    for s in stages.values():
        assert s["wall_s"] > 0 and s["peak_rss_mb"] > 0, s["name"]

    # Row counts follow from ARGS: the generator writes exactly the lines asked for, the
    # DuckDB floor loads them all and the gate reads them all.
    for src, rows in (("deliveries", 2000), ("complaints", 200), ("freight", 500),
                      ("surveys", 100)):
        assert stages[(f"floor: duckdb load {src}", "2k")]["rows"] == rows
        assert stages[(f"ingest {src}", "2k")]["rows"] == rows
    # The wide shape has the same 2,000 lines; the folder 5 files of one line each.
    assert stages[("floor: duckdb load deliveries, wide shape", "2k")]["rows"] == 2000
    assert stages[("ingest deliveries, wide shape", "2k")]["rows"] == 2000
    assert stages[("ingest one-row files of one folder", "5 files")]["rows"] == 5

    # Each measured row is compared with its floor, and the targets of the issue are attached.
    ingest = stages[("ingest deliveries", "2k")]
    assert ingest["floor"] == "floor: duckdb load deliveries" and ingest["ratio"] > 0
    assert stages[("report", "2k")]["floor"] == "notebook floor"
    assert stages[("report", "2k")]["ratio"] > 0
    assert [t["kind"] for t in stages[("query kpi_scorecard", "2k")]["targets"]] == ["seconds"]
    total = stages[("increment ingest + report", "2k")]
    parts = [stages[("increment ingest", "2k")], stages[("increment report", "2k")]]
    assert total["wall_s"] == sum(p["wall_s"] for p in parts)
    # the targets: the monthly increment within 15 s, a report within 2.5x its floor
    assert [t["limit"] for t in total["targets"]] == [15]
    assert [t["limit"] for t in stages[("report", "2k")]["targets"]] == [2.5]
    assert "stage" in done.stdout and "peak RSS MB" in done.stdout

    # The group's plants are the 2k warehouse (with its increment) published twice: each
    # plant's rows are the largest plant's publish, R; the two publishes and the group built
    # from them hold 2R, the group after its first plant R; 2,000 + 300 delivery lines each.
    # Both plants have the group's months and KPIs: by plant, the group's scorecard twice.
    plant_rows = stages[("publish plant", "2k")]["rows"]
    assert plant_rows > 2000 + 300
    assert stages[("publish plant", "2k")]["note"].startswith("deliveries 2,300 · ")
    assert stages[("group build", "1 × 2k")]["rows"] == plant_rows
    assert stages[("publish 2 plants", "2 × 2k")]["rows"] == 2 * plant_rows
    assert stages[("group build", "2 × 2k")]["rows"] == 2 * plant_rows
    assert "deliveries 4,600" in stages[("group build", "2 × 2k")]["note"]
    scorecard = stages[("query group kpi_scorecard", "2 × 2k")]["rows"]
    assert scorecard > 0
    assert stages[("query group kpi_scorecard_by_plant", "2 × 2k")]["rows"] == 2 * scorecard
