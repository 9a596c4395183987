"""A report refreshes reference tables and views only when data/reference changed, so it
needs the writer lock only then (readers such as an open notebook are not waited on)."""

from __future__ import annotations

from kpi_support import make_project, read_only, rows

from pipelines.ingest_pipeline import ingest_paths
from pipelines.settings import load_settings
from pipelines.warehouse.refresh import refresh_views_if_stale


def test_refresh_runs_only_after_a_change(tmp_path):
    settings = make_project(tmp_path)
    deliveries = tmp_path / "deliveries.csv"
    deliveries.write_text(
        "delivery_id,customer,qty,ship_date,promised_date\nD1,A,10,2024-06-01,2024-06-05\n",
        encoding="utf-8",
    )
    ingest_paths(settings, [deliveries])  # the ingest refreshed: nothing is stale
    assert refresh_views_if_stale(settings) is False

    path = tmp_path / "data" / "reference" / "settings.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("target = 98 ", "target = 95 ", 1), encoding="utf-8")
    edited = load_settings(tmp_path, warehouse=settings.warehouse)
    assert refresh_views_if_stale(edited) is True
    assert refresh_views_if_stale(edited) is False
    with read_only(edited) as con:
        assert rows(con, "select target from kpi_targets where kpi = 'otd'") == [
            {"target": 95.0}
        ]
