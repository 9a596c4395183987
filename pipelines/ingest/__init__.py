"""Read + normalise: one CSV, XLSX or Parquet export -> a typed ReadBatch (SPEC §2)."""

from pipelines.ingest.read import read_file

__all__ = ["read_file"]
