"""Text cells -> typed values, as polars expressions over a whole column at once.

Each kind has a fast parser for the canonical form (`2024-09-03`, `12`, `2024-09`) and a
full parser for everything users type (`2024年9月3日`, Excel serial dates, `1,234`, `１２３`,
`是`, `97.5%`, `2024年9月`, the survey form's option texts). The full parser runs on a
column only when the fast one left non-empty cells unparsed, so a clean 10-million-line
export pays for the fast one alone.
"""

from __future__ import annotations

import polars as pl

from pipelines.ingest.text import fold, folded
from pipelines.sources import Column, Kind

DECIMAL = pl.Decimal(18, 2)
TYPES: dict[Kind, pl.DataType] = {
    Kind.TEXT: pl.String(),
    Kind.DATE: pl.Date(),
    Kind.INT: pl.Int64(),
    Kind.DECIMAL: DECIMAL,
    Kind.BOOL: pl.Boolean(),
    Kind.ENUM: pl.String(),
    Kind.RATING: pl.Int8(),
    Kind.MONTH: pl.Date(),
}

BOOL_WORDS: dict[str, bool] = {
    **dict.fromkeys(("true", "yes", "y", "1", "是", "√", "✓", "✔"), True),
    **dict.fromkeys(("false", "no", "n", "0", "否", "×", "✗", "✘"), False),
}

_YMD = (
    r"^(?<y>\d{4})\s*[-/.年]\s*(?<m>\d{1,2})\s*[-/.月]\s*(?<d>\d{1,2})\s*日?"
    r"(?:[T\s].*)?$"  # a time after the date is allowed and ignored
)
# A month without its day: `2024-09`, `2024/9`, `2024.9`, `2024年9月`.
_YM = r"^(?<y>\d{4})\s*[-/.年]\s*(?<m>\d{1,2})\s*月?$"
_EXCEL_EPOCH_SERIAL = 25569  # Excel's serial number of 1970-01-01 (base 1899-12-30)
# Any whole serial up to 99999 (2173-10-14) reads as a date, so a stray `1`, `60` or an
# epoch-day count (20549) becomes a date the implausible-date rule holds back with its text,
# not an unparseable one nor a silent 1956-04-04 (`plausible`). Serials before 61 (March
# 1900) come out a day early: Excel counts a 29 February 1900 that never was.
_SERIAL = r"^(\d{1,5})(?:\.\d+)?$"
_THOUSANDS = r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$"


def typed(column: Column) -> pl.DataType:
    return TYPES[column.kind]


def has_fast_parse(column: Column) -> bool:
    """Whether the column's kind has a canonical-form parser (dates, months, numbers)."""
    return parse_fast(column, pl.col(column.name)) is not None


def parse_fast(column: Column, text: pl.Expr) -> pl.Expr | None:
    """The canonical-form parser, or None when the kind has only the full one."""
    if column.kind is Kind.DATE:
        return text.str.to_date("%Y-%m-%d", strict=False)
    if column.kind is Kind.INT:
        return text.cast(pl.Int64, strict=False)
    if column.kind is Kind.DECIMAL:
        return _decimal(text)
    if column.kind is Kind.MONTH:
        return (text + "-01").str.to_date("%Y-%m-%d", strict=False)
    return None


def parse_full(column: Column, text: pl.Expr) -> pl.Expr:
    """Every accepted form of the column's kind; null where the text is not understood."""
    kind = column.kind
    if kind is Kind.TEXT:
        return text
    if kind is Kind.DATE:
        return parse_date(text)
    if kind is Kind.INT:
        return parse_int(text)
    if kind is Kind.DECIMAL:
        if column.percent:  # the sign first, so `1,234.5 %` reads as `1,234.5`
            text = text.str.normalize("NFKC").str.strip_chars().str.strip_suffix("%")
        return _decimal(number_text(text))
    if kind is Kind.MONTH:
        return parse_month(text)
    if kind is Kind.BOOL:
        return folded(text).replace_strict(BOOL_WORDS, default=None, return_dtype=pl.Boolean)
    if kind is Kind.ENUM:
        return folded(text).replace_strict(enum_words(column), default=None, return_dtype=pl.String)
    if kind is Kind.RATING:
        options = folded(text).replace_strict(
            rating_words(column), default=None, return_dtype=pl.Int8
        )
        return pl.coalesce(options, parse_int(text).cast(pl.Int8, strict=False))
    raise ValueError(f"no parser for kind {kind}")


def parse_date(text: pl.Expr) -> pl.Expr:
    """ISO and Chinese dates with - / . or 年月日, datetimes (date part), Excel serials."""
    t = text.str.normalize("NFKC").str.strip_chars()
    parts = t.str.extract_groups(_YMD)
    ymd = pl.concat_str(
        parts.struct.field("y"),
        parts.struct.field("m").str.zfill(2),
        parts.struct.field("d").str.zfill(2),
        separator="-",
    ).str.to_date("%Y-%m-%d", strict=False)
    compact = t.str.extract(r"^(\d{8})$").str.to_date("%Y%m%d", strict=False)
    serial = t.str.extract(_SERIAL).cast(pl.Int32, strict=False)
    from_serial = (serial - _EXCEL_EPOCH_SERIAL).cast(pl.Date)
    return pl.coalesce(ymd, compact, from_serial)


def parse_month(text: pl.Expr) -> pl.Expr:
    """A month (`2024-09`, `2024年9月`) or any date of `parse_date` -> its first day."""
    t = text.str.normalize("NFKC").str.strip_chars()
    parts = t.str.extract_groups(_YM)
    month = pl.concat_str(
        parts.struct.field("y"), parts.struct.field("m").str.zfill(2), pl.lit("01"), separator="-"
    ).str.to_date("%Y-%m-%d", strict=False)
    return pl.coalesce(month, parse_date(text).dt.month_start())


def number_text(text: pl.Expr) -> pl.Expr:
    """Digits as ASCII, without thousands separators, currency signs or surrounding spaces."""
    t = (
        text.str.normalize("NFKC")
        .str.strip_chars()
        .str.strip_prefix("¥")
        .str.strip_suffix("元")
        .str.strip_chars()
    )
    return (
        pl.when(t.str.contains(_THOUSANDS))
        .then(t.str.replace_all(",", "", literal=True))
        .otherwise(t)
    )


def parse_int(text: pl.Expr) -> pl.Expr:
    """Whole numbers; `12.0` is 12, `12.5` is not a whole number (null)."""
    t = number_text(text)
    real = t.cast(pl.Float64, strict=False)
    whole = pl.when(real.is_finite() & (real == real.floor()) & (real.abs() < 2.0**62))
    return pl.coalesce(t.cast(pl.Int64, strict=False), whole.then(real.cast(pl.Int64)))


def _decimal(text: pl.Expr) -> pl.Expr:
    # Parse wide, then round half away from zero (四舍五入) to the stored 2 places.
    wide = text.cast(pl.Decimal(38, 10), strict=False)
    return wide.round(2, mode="half_away_from_zero").cast(DECIMAL, strict=False)


def enum_words(column: Column) -> dict[str, str]:
    """Folded code or label -> code, for an ENUM column."""
    words: dict[str, str] = {}
    assert isinstance(column.choices, dict)
    for code, labels in column.choices.items():
        for word in (code, *labels):
            words.setdefault(fold(word), code)
    return words


def rating_words(column: Column) -> dict[str, int]:
    """Folded option text -> rating, best option (listed first) = 4."""
    options = tuple(column.choices)
    return {fold(text): len(options) - i for i, text in enumerate(options)}
