"""Put the planned bad rows (bad_rows.toml) into the text of the demo files."""

from __future__ import annotations

import polars as pl


def _with_cells(frame: pl.DataFrame, row: int, cells: dict[str, str]) -> pl.DataFrame:
    unknown = set(cells) - set(frame.columns)
    if unknown:
        raise ValueError(f"bad row names unknown column(s) {sorted(unknown)}")
    at_row = pl.int_range(pl.len()) == row
    return frame.with_columns(
        pl.when(at_row).then(pl.lit(value)).otherwise(pl.col(name)).alias(name)
        for name, value in cells.items()
    )


def apply_bad_row(frame: pl.DataFrame, bad: dict) -> pl.DataFrame:
    """One planned defect applied to one file's text frame."""
    row = bad["row"]
    if not 0 <= row < frame.height:
        raise ValueError(f"bad row {row} is outside {bad['source']}/{bad['file']}")
    if "set" in bad:
        return _with_cells(frame, row, bad["set"])
    if "duplicate" in bad:
        copy = _with_cells(frame.slice(row, 1), 0, bad["duplicate"])
        return pl.concat([frame.head(row + 1), copy, frame.slice(row + 1)])
    if bad.get("empty_row"):
        empty = pl.DataFrame({c: [""] for c in frame.columns})
        return pl.concat([frame.head(row), empty, frame.slice(row)])
    raise ValueError(f"bad row of {bad['source']}/{bad['file']} says nothing to do")


def apply_bad_rows(
    files: dict[str, dict[str, pl.DataFrame]], plan: list[dict]
) -> dict[str, dict[str, pl.DataFrame]]:
    """The files with every planned bad row in place (rows apply in plan order)."""
    result = {source: dict(by_stem) for source, by_stem in files.items()}
    for bad in plan:
        by_stem = result[bad["source"]]
        if bad["file"] not in by_stem:
            raise ValueError(f"bad row names {bad['source']}/{bad['file']}, which is not written")
        by_stem[bad["file"]] = apply_bad_row(by_stem[bad["file"]], bad)
    return result
