"""Two small plants for the lake tests, built with the product's own ingest from hand-made CSVs.

Both plants number their complaints from C-0001 (as two plants' systems would), and their
months overlap (September 2024); SH01 also has October. Numbers worked out by hand:

SH01 (shipped targets: PPM ≤ 200)
- complaints: C-0001 2024-09-05 cracking 30 defects; C-0002 2024-10-10 cracking 10
- deliveries: D-1 10,000 parts shipped 2024-09-03, promised 09-10, delivered 09-09 (on time);
  D-2 5,000 shipped 2024-10-03, promised 10-10, delivered 10-12 (late)
  -> PPM September 30 / 10,000 × 1e6 = 3,000; October 10 / 5,000 × 1e6 = 2,000
  -> OTD September 1/1 = 100 %, October 0/1 = 0 %
BJ02 (its own target: PPM ≤ 1,500)
- complaints: C-0001 2024-09-12 cracking 50 defects
- deliveries: D-1 40,000 parts shipped 2024-09-04, promised 09-12, delivered 09-12 (on time)
  -> PPM September 50 / 40,000 × 1e6 = 1,250 (met against 1,500); OTD 100 %
Group as one company (shipped targets):
- PPM September (30 + 50) / (10,000 + 40,000) × 1e6 = 1,600 — not the plants' mean, 2,125;
  October 10 / 5,000 × 1e6 = 2,000 (BJ02 shipped nothing)
- OTD September 2/2 = 100 %; causes September: cracking, 2 complaints, 80 defects
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from kpi_support import REPO, make_project

from pipelines.ingest_pipeline import ingest_paths
from pipelines.settings import Settings, load_settings

COMPLAINTS_HEADER = "complaint_id,received_date,customer,defect_qty,cause,responded_date"
DELIVERIES_HEADER = "delivery_id,customer,qty,ship_date,promised_date,delivered_date"

PLANTS: dict[str, dict[str, list[str]]] = {
    "SH01": {
        "complaints": [
            "C-0001,2024-09-05,客户甲,30,cracking,2024-09-05",
            "C-0002,2024-10-10,客户甲,10,cracking,2024-10-10",
        ],
        "deliveries": [
            "D-1,客户甲,10000,2024-09-03,2024-09-10,2024-09-09",
            "D-2,客户甲,5000,2024-10-03,2024-10-10,2024-10-12",
        ],
    },
    "BJ02": {
        "complaints": ["C-0001,2024-09-12,客户乙,50,cracking,2024-09-12"],
        "deliveries": ["D-1,客户乙,40000,2024-09-04,2024-09-12,2024-09-12"],
    },
}
PLANT_PPM_TARGET = {"SH01": 200.0, "BJ02": 1500.0}


def write_csv(path: Path, header: str, lines: list[str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


def ingest_files(settings: Settings, *paths: Path) -> None:
    outcomes = ingest_paths(settings, list(paths))
    assert [(o.path.name, o.status, o.rows_quarantined) for o in outcomes] == [
        (p.name, "loaded", 0) for p in paths
    ]


def make_plant(root: Path, plant: str) -> Settings:
    """The plant's project folder under root/plant, its two files ingested."""
    folder = root / plant
    settings = make_project(folder)
    if PLANT_PPM_TARGET[plant] != 200.0:
        reference = folder / "data" / "reference" / "settings.toml"
        text = reference.read_text(encoding="utf-8")
        assert "[targets.ppm]\ntarget = 200 " in text
        text = text.replace("[targets.ppm]\ntarget = 200 ", f"[targets.ppm]\ntarget = "
                            f"{PLANT_PPM_TARGET[plant]:g} ")
        reference.write_text(text, encoding="utf-8")
        settings = load_settings(folder, warehouse=settings.warehouse)
    data = PLANTS[plant]
    ingest_files(
        settings,
        write_csv(folder / "in" / "complaints.csv", COMPLAINTS_HEADER, data["complaints"]),
        write_csv(folder / "in" / "deliveries.csv", DELIVERIES_HEADER, data["deliveries"]),
    )
    return settings


def group_project(root: Path) -> Settings:
    """The group's own project folder (shipped targets), where `group build` runs."""
    return make_project(root / "group")


# The command as the tests run it; its hints name it so (they are runnable as typed).
AFTERSALES = str(Path(sys.executable).with_name("aftersales"))


def cli(cwd: Path, *args: str, timeout: float = 240) -> subprocess.CompletedProcess:
    """Run `aftersales ARGS` in `cwd` with this worktree first on the path."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [AFTERSALES, *args],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout,
    )


# A publish started in a fresh process at a given moment (time.time() ≥ start): imports done
# before, so two such processes really commit at the same time.
PUBLISH_AT = """
import logging, sys, time
logging.basicConfig(level=logging.WARNING)  # pyiceberg's retries of lost commits, on stderr
from pathlib import Path
from pipelines.lake.catalog import locate
from pipelines.lake.publish import publish
from pipelines.settings import load_settings
folder, lake, plant, start = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
warehouse = None if len(sys.argv) < 6 else sys.argv[5]
settings = load_settings(Path(folder), warehouse=Path(folder) / "warehouse.duckdb")
while time.time() < start:
    time.sleep(0.005)
began = time.time()
published = publish(settings, locate(lake, warehouse), plant)
print(began, time.time(), published.publish_id)
"""


def publish_together(
    plants: dict[str, Settings], lake: str, data_location: str | None = None
) -> dict[str, str]:
    """Publish every plant from its own process, all starting at the same moment; the publish
    id each printed, by plant. The publishes' time spans must overlap (they really ran at
    the same time)."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    start = time.time() + 6  # past every process's imports
    procs = {
        plant: subprocess.Popen(
            [sys.executable, "-c", PUBLISH_AT, str(s.project_dir), lake, plant, str(start),
             *([data_location] if data_location else [])],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for plant, s in plants.items()
    }
    ids, spans = {}, []
    for plant, proc in procs.items():
        out, err = proc.communicate(timeout=240)
        assert proc.returncode == 0, err
        began, ended, ids[plant] = out.strip().splitlines()[-1].split()
        spans.append((float(began), float(ended)))
    assert max(b for b, _ in spans) < min(e for _, e in spans), spans
    return ids
