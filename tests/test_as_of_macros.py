"""As-of recipes: `open_complaints_as_of(d)` and `overdue_actions_as_of(d)` (README, SQL).

Days' defaults: d3 1, d4 10, d6 30, d8 60 after opened_date (data/reference/settings.toml).

Complaints (received, status, closed):
  C-1 2024-09-01 open   -            open at 10-10 (39 days) and at 10-31 (60 days)
  C-2 2024-10-01 closed 2024-10-15   open at 10-10 (9 days); closed by 10-31
  C-3 2024-10-20 closed 2024-11-05   not received by 10-10; open at 10-31 (11 days)
  C-4 2024-11-02 open   -            received after both dates
  C-5 2024-09-15 rejected            never counted
  C-6 2024-09-30 open   -            open at 10-10 (10 days) and at 10-31 (31 days)
  -> at 2024-10-31: C-1, C-3, C-6 (3); more than 30 days open: C-1, C-6 (2)
  -> at 2024-10-10: C-1, C-2, C-6 (3); more than 30 days open: C-1 (1)

Actions (opened; D3, D4, D6 done; no D8) and their due dates d3 / d4 / d6 / d8:
  A-1 2024-10-01; 10-02, -, -        due 10-02 / 10-11 / 10-31 / 11-30
  A-2 2024-09-01; 09-05, 09-20, 11-10  due 09-02 / 09-11 / 10-01 / 10-31
  A-3 2024-10-30; -, -, -            due 10-31 / 11-09 / 11-29 / 12-29
  at 2024-10-31: A-1 d4 (20 days), A-1 d6 (0: due that day), A-2 d6 (30: done only 11-10),
    A-2 d8 (0), A-3 d3 (0) -> 5; A-2 d3 was done late (09-05) but before: not overdue
  at 2024-10-15: A-1 d4 (4), A-2 d6 (14) -> 2
"""

from __future__ import annotations

import pytest

from pipelines.ingest_pipeline import ingest_paths
from pipelines.settings import Settings
from pipelines.warehouse.adhoc import run_query
from pipelines.warehouse.reading import connect_sandboxed
from tests.kpi_support import make_project

COMPLAINTS = """complaint_id,received_date,customer,defect_qty,status,closed_date
C-1,2024-09-01,A,1,open,
C-2,2024-10-01,A,1,closed,2024-10-15
C-3,2024-10-20,B,1,closed,2024-11-05
C-4,2024-11-02,B,1,open,
C-5,2024-09-15,B,1,rejected,
C-6,2024-09-30,A,1,open,
"""
ACTIONS = """action_id,opened_date,owner,containment_date,root_cause_date,corrective_action_date
A-1,2024-10-01,王工,2024-10-02,,
A-2,2024-09-01,李工,2024-09-05,2024-09-20,2024-11-10
A-3,2024-10-30,张工,,,
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    folder = tmp_path_factory.mktemp("as_of")
    settings = make_project(folder / "project")
    inbox = folder / "inbox"
    (inbox / "complaints").mkdir(parents=True)
    (inbox / "actions").mkdir()
    (inbox / "complaints" / "c.csv").write_text(COMPLAINTS, encoding="utf-8")
    (inbox / "actions" / "a.csv").write_text(ACTIONS, encoding="utf-8")
    outcomes = ingest_paths(settings, [inbox])
    assert [(o.status, o.rows_loaded, o.rows_quarantined) for o in outcomes] == [
        ("loaded", 6, 0), ("loaded", 3, 0)
    ]
    return settings


def query(settings: Settings, text: str) -> list[tuple]:
    with connect_sandboxed(settings) as con:
        return run_query(con, text).rows()


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        ("2024-10-31", [("C-1", 60), ("C-3", 11), ("C-6", 31)]),
        ("2024-10-10", [("C-1", 39), ("C-2", 9), ("C-6", 10)]),
    ],
)
def test_open_complaints_as_of(project: Settings, as_of: str, expected) -> None:
    rows = query(
        project,
        f"select complaint_id, days_open from open_complaints_as_of(date '{as_of}') "
        "order by complaint_id",
    )
    assert rows == expected


@pytest.mark.parametrize(("as_of", "expected"), [("2024-10-31", 2), ("2024-10-10", 1)])
def test_open_more_than_30_days_is_one_answer(project: Settings, as_of: str, expected) -> None:
    text = f"select count(*) from open_complaints_as_of('{as_of}') where days_open > 30"
    assert query(project, text) == [(expected,)]


def test_overdue_actions_at_month_end(project: Settings) -> None:
    rows = query(
        project,
        "select action_id, step, owner, due_date::varchar, days_overdue "
        "from overdue_actions_as_of(date '2024-10-31') order by action_id, step",
    )
    assert rows == [
        ("A-1", "d4", "王工", "2024-10-11", 20),
        ("A-1", "d6", "王工", "2024-10-31", 0),
        ("A-2", "d6", "李工", "2024-10-01", 30),
        ("A-2", "d8", "李工", "2024-10-31", 0),
        ("A-3", "d3", "张工", "2024-10-31", 0),
    ]


def test_overdue_actions_mid_month(project: Settings) -> None:
    rows = query(
        project,
        "select action_id, step, days_overdue from overdue_actions_as_of(date '2024-10-15') "
        "order by action_id, step",
    )
    assert rows == [("A-1", "d4", 4), ("A-2", "d6", 14)]
