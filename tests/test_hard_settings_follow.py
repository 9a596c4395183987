"""A setting applies to rows already loaded as soon as it changes (SPEC §12): a complaint's
default response due date (received_date + `sla_days`) is decided by stg_complaints as the
setting stands, never frozen into the row at ingest. The ingest stores the file's due date or
NULL; nothing else it stores is derived from a setting (status and the environmental flag
follow the row's own cells, causes are re-mapped at every refresh).

Four complaints of March 2025, hand-worked:
  C1 received 03-03, no due date, answered 03-05: sla 1 -> due 03-04, late;
     sla 3 -> due 03-06, on time
  C2 received 03-03, due 03-04 in the file, answered 03-05: late whatever sla_days is
  C3 received 03-10, no due date, answered 03-11: sla 1 -> due 03-11, on time; sla 3 -> on time
  C4 received 03-10, no due date, not answered: late
response_on_time March 2025 = on time / received: sla 1 -> 1/4 = 25.0 %; sla 3 -> 2/4 = 50.0 %
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kpi_support import make_project, read_only, rows

from pipelines.ingest_pipeline import ingest_paths
from pipelines.settings import load_settings
from pipelines.warehouse.refresh import refresh_views_if_stale

COMPLAINTS = (
    "complaint_id,received_date,customer,defect_qty,response_due,responded_date\n"
    "C1,2025-03-03,甲,1,,2025-03-05\n"
    "C2,2025-03-03,甲,1,2025-03-04,2025-03-05\n"
    "C3,2025-03-10,甲,1,,2025-03-11\n"
    "C4,2025-03-10,甲,1,,\n"
)
DUE = "select complaint_id, due_date, responded_on_time from stg_complaints order by 1"
KPI = ("select value from kpi_scorecard where kpi = 'response_on_time' "
       "and period_start = date '2025-03-01'")


def test_the_due_date_follows_sla_days(tmp_path: Path) -> None:
    settings = make_project(tmp_path / "project")
    path = tmp_path / "complaints.csv"
    path.write_text(COMPLAINTS, encoding="utf-8")
    [outcome] = ingest_paths(settings, [path])
    assert (outcome.status, outcome.rows_loaded) == ("loaded", 4)
    with read_only(settings) as con:
        stored = rows(con, "select complaint_id, response_due from complaints order by 1")
        before, kpi_before = rows(con, DUE), rows(con, KPI)
    assert [r["response_due"] for r in stored] == [None, dt.date(2025, 3, 4), None, None]
    assert before == [
        {"complaint_id": "C1", "due_date": dt.date(2025, 3, 4), "responded_on_time": False},
        {"complaint_id": "C2", "due_date": dt.date(2025, 3, 4), "responded_on_time": False},
        {"complaint_id": "C3", "due_date": dt.date(2025, 3, 11), "responded_on_time": True},
        {"complaint_id": "C4", "due_date": dt.date(2025, 3, 11), "responded_on_time": False},
    ]
    assert kpi_before == [{"value": 25.0}]

    toml = settings.settings_file
    text = toml.read_text(encoding="utf-8")
    assert "sla_days = 1 " in text
    toml.write_text(text.replace("sla_days = 1 ", "sla_days = 3 ", 1), encoding="utf-8")
    edited = load_settings(settings.project_dir, warehouse=settings.warehouse)
    assert refresh_views_if_stale(edited) is True  # what `report` does before it reads
    with read_only(edited) as con:
        after, kpi_after = rows(con, DUE), rows(con, KPI)
    assert [(r["due_date"], r["responded_on_time"]) for r in after] == [
        (dt.date(2025, 3, 6), True),
        (dt.date(2025, 3, 4), False),  # the file's own due date
        (dt.date(2025, 3, 13), True),
        (dt.date(2025, 3, 13), False),
    ]
    assert kpi_after == [{"value": 50.0}]
