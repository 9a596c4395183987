"""Query results out of the product: a terminal table, CSV, JSON or an Excel workbook.

Each format is a function of a polars frame; files are written beside their target and renamed
into place, so an interrupted or failed write leaves no half file (`pipelines.disk`).
"""
