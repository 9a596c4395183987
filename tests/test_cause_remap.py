"""An alias added to the taxonomy reclassifies complaints already loaded as `unmapped`."""

from __future__ import annotations

from kpi_support import make_project, read_only, rows

from pipelines.ingest_pipeline import ingest_paths
from pipelines.settings import load_settings
from pipelines.warehouse.refresh import refresh_views


def test_new_alias_reclassifies_stored_complaints(tmp_path):
    settings = make_project(tmp_path)
    complaints = tmp_path / "complaints.csv"
    complaints.write_text(
        "complaint_id,received_date,customer,defect_qty,cause\n"
        "C1,2024-06-03,A,4,运输途中淋雨\n"
        "C2,2024-06-04,A,1,开裂\n",
        encoding="utf-8",
    )
    deliveries = tmp_path / "deliveries.csv"
    deliveries.write_text(
        "delivery_id,customer,qty,ship_date,promised_date\nD1,A,10000,2024-06-01,2024-06-05\n",
        encoding="utf-8",
    )
    ingest_paths(settings, [complaints, deliveries])
    ppm = "select value from kpi_scorecard where kpi = 'ppm' and period_start = '2024-06-01'"
    with read_only(settings) as con:
        assert rows(con, "select cause from complaints order by complaint_id") == [
            {"cause": "unmapped"},
            {"cause": "cracking"},
        ]
        # unmapped counts in PPM (not proven someone else's): (4 + 1) / 10,000 x 1e6 = 500
        assert rows(con, ppm) == [{"value": 500.0}]

    causes = tmp_path / "data" / "reference" / "causes.csv"
    text = causes.read_text(encoding="utf-8")
    causes.write_text(
        text.replace(
            "logistics,customer,物流原因,Logistics,物流,",
            "logistics,customer,物流原因,Logistics,物流|运输途中淋雨,",
        ),
        encoding="utf-8",
    )
    refresh_views(load_settings(tmp_path, warehouse=settings.warehouse))
    with read_only(settings) as con:
        assert rows(con, "select cause, cause_text from complaints where complaint_id = 'C1'") == [
            {"cause": "logistics", "cause_text": "运输途中淋雨"}
        ]
        # logistics is not supplier-responsible: only C2 counts, 1 / 10,000 x 1e6 = 100
        assert rows(con, ppm) == [{"value": 100.0}]
