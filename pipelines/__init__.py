"""After-sales quality analytics: raw exports -> quality gate -> DuckDB -> KPI views -> pack."""

__version__ = "0.1.0"
