"""Bring the warehouse's derived state up to date with data/reference and the SQL tree.

The reference tables (taxonomy, KPI registry, targets, settings) are rewritten from the
user-editable files, stored complaints re-mapped to the taxonomy in force, and every view
re-created. The CLI's verbs call this before they read (`report`) or after they write
(`ingest`); the pack itself never writes the warehouse.
"""

from __future__ import annotations

from pipelines.settings import Settings
from pipelines.warehouse.reading import connect_for_reading
from pipelines.warehouse.reference import (
    reference_fingerprint,
    store_fingerprint,
    stored_fingerprint,
    write_reference_tables,
)
from pipelines.warehouse.remap import remap_complaint_causes, remap_risk_causes
from pipelines.warehouse.views import apply_views
from pipelines.warehouse.writing import connect_for_writing


def refresh_views(settings: Settings) -> None:
    """Rewrite the reference tables from data/reference, re-map complaints' and risks' causes
    to the taxonomy in force, and (re)create the views."""
    fingerprint = reference_fingerprint(settings)
    with connect_for_writing(settings) as con:
        write_reference_tables(con, settings)
        remap_complaint_causes(con, settings.causes())
        remap_risk_causes(con, settings.causes())
        apply_views(con)
        store_fingerprint(con, fingerprint)


def refresh_views_if_stale(settings: Settings) -> bool:
    """Refresh only when data/reference or the view definitions changed since the last refresh.

    Readers (a report, an analyst's notebook) then never wait for the writer lock when nothing
    changed. Returns whether a refresh ran.
    """
    with connect_for_reading(settings) as con:
        current = stored_fingerprint(con) == reference_fingerprint(settings)
    if not current:
        refresh_views(settings)
    return not current


def has_views(settings: Settings) -> bool:
    """True when the warehouse exists and its views have been created."""
    if not settings.warehouse.is_file():
        return False
    with connect_for_reading(settings) as con:
        views = con.execute("select count(*) from duckdb_views() where not internal").fetchone()
        return bool(views and views[0])
