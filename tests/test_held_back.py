"""The amber banner's count: quarantined rows behind the month, by the row's own date."""

from __future__ import annotations

from datetime import date

from kpi_support import make_project, read_only

from pipelines.ingest_pipeline import ingest_paths
from pipelines.report.pages.queries import held_back


def test_held_rows_count_in_their_own_month(tmp_path):
    settings = make_project(tmp_path)
    path = tmp_path / "complaints.csv"
    # row 2 loads (August); rows 3-4 are September with a negative quantity (held back);
    # row 5 has an unreadable date (held back, no month of its own)
    path.write_text(
        "complaint_id,received_date,customer,defect_qty\n"
        "C1,2024-08-20,A,1\n"
        "C2,2024-09-02,A,-1\n"
        "C3,2024-09-03,A,-2\n"
        "C4,2024-13-45,A,1\n",
        encoding="utf-8",
    )
    [outcome] = ingest_paths(settings, [path])
    assert (outcome.rows_loaded, outcome.rows_quarantined) == (1, 3)
    with read_only(settings) as con:
        # September: C2 + C3 dated in it, + C4 undated from a file behind September = 3
        assert held_back(con, date(2024, 9, 1))[0] == 3
        # August: nothing dated in it is held; C4 undated from a file behind August = 1
        assert held_back(con, date(2024, 8, 1))[0] == 1
        # July: no file behind it
        assert held_back(con, date(2024, 7, 1))[0] == 0
