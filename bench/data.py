"""Large deterministic inputs for the benchmark: plain UTF-8 CSV, English headers, ISO dates.

It lives beside the harness, not in the product: only the benchmark and its tests use it.

Rows are generated and written in chunks, so memory stays bounded whatever the row count.
Each chunk has its own random stream (seed, source, chunk number): the same arguments give
the same bytes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import polars as pl

from pipelines.demo.timeline import Calendar, make_calendar
from pipelines.settings import read_causes
from pipelines.sources import SURVEY_DIMENSIONS

# Past months only: the reader holds back a date more than a year after the day of the ingest
# as implausible, so later months would measure the quarantine, not the load.
SCALED_FIRST_MONTH = "2021-01"
SCALED_LAST_MONTH = "2025-12"
CHUNK_ROWS = 1_000_000
CAUSES_FILE = Path(__file__).resolve().parents[1] / "data" / "reference" / "causes.csv"

_SOURCE_STREAM = {"deliveries": 1, "complaints": 2, "freight": 3, "surveys": 4}
_CUSTOMERS = 400
_PARTS = 2_000
_REGIONS = ("北京", "上海", "西安", "淄博", "淮南", "潍坊", "天津", "广州", "成都", "重庆")
_MODES = ("物流", "快递", "空运", "专车")
_REASONS = ("客户急单", "生产延误", "补发", "计划变更")
_PHRASES = ("表面开裂", "配件损坏", "包装破损", "色差明显", "孔位错误", "异响")

ChunkMaker = Callable[[np.random.Generator, "Rows"], pl.DataFrame]


@dataclass(frozen=True)
class Shape:
    """How delivery lines are spread: over how many customers, parts and months, and how
    many lines are still undelivered. The gate's and the landing's costs depend on it (the
    number of distinct values, the share of nulls), so the benchmark measures two."""

    name: str
    customers: int
    parts: int
    first_month: str
    last_month: str
    open_every: int = 0  # every n-th line has no delivered_date (0: only lines not yet due)


SHAPES = {
    "standard": Shape("standard", _CUSTOMERS, _PARTS, SCALED_FIRST_MONTH, SCALED_LAST_MONTH),
    # 300 customers, 5,000 parts, ten years of ship dates, every 97th line undelivered
    "wide": Shape("wide", 300, 5_000, "2016-01", SCALED_LAST_MONTH, open_every=97),
}


class Rows:
    """A chunk of rows: their month index and their sequence number within the month."""

    def __init__(
        self, cal: Calendar, month: np.ndarray, seq: np.ndarray, index: np.ndarray | None = None
    ) -> None:
        self.cal = cal
        self.month = month
        self.seq = seq
        self.index = seq if index is None else index  # the rows' numbers in the whole file

    def __len__(self) -> int:
        return len(self.month)

    def ids(self, prefix: str, width: int) -> pl.Expr:
        """IDs like D2025010000042: prefix, yyyymm, sequence within the month."""
        labels = pl.Series([label.replace("-", "") for label in self.cal.labels()])
        return pl.concat_str(
            pl.lit(prefix),
            pl.lit(labels.gather(self.month)),
            pl.lit(pl.Series(self.seq + 1)).cast(pl.String).str.zfill(width),
        )

    def days(self, rng: np.random.Generator) -> np.ndarray:
        length = (self.cal.ends[self.month] - self.cal.starts[self.month]).astype(np.int64)
        return self.cal.starts[self.month] + (rng.random(len(self)) * length).astype(np.int64)


def _month_bounds(cal: Calendar, total: int, seed: int) -> np.ndarray:
    """First row of each month (plus the end): volumes vary by season, ±15 %."""
    rng = np.random.default_rng([seed, 0])
    weight = (
        1
        + 0.15 * np.sin(np.arange(cal.months) * 2 * np.pi / 12)
        + rng.uniform(-0.05, 0.05, cal.months)
    )
    cumulative = np.concatenate([[0.0], np.cumsum(weight)])
    return np.round(cumulative / cumulative[-1] * total).astype(np.int64)


@cache
def _codes(prefix: str, count: int, width: int) -> pl.Series:
    return pl.Series([f"{prefix}{i:0{width}d}" for i in range(1, count + 1)])


@cache
def _skewed_cdf(count: int) -> np.ndarray:
    weight = 1.0 / np.arange(1, count + 1) ** 1.1
    return np.cumsum(weight) / weight.sum()


def _zipf_choice(rng: np.random.Generator, count: int, n: int) -> np.ndarray:
    """Indexes skewed like real customer and part mixes: a few big ones, a long tail."""
    return np.minimum(np.searchsorted(_skewed_cdf(count), rng.random(n)), count - 1)


def _deliveries(shape: Shape) -> ChunkMaker:
    def make(rng: np.random.Generator, rows: Rows) -> pl.DataFrame:
        n = len(rows)
        ship = rows.days(rng)
        promised = ship + rng.integers(1, 8, n)
        late = rng.random(n) < 0.02
        delivered = np.where(
            late, promised + rng.integers(1, 6, n), promised - rng.integers(0, 2, n)
        )
        delivered = np.maximum(delivered, ship)
        open_line = delivered > rows.cal.as_of
        if shape.open_every:
            open_line |= rows.index % shape.open_every == shape.open_every - 1
        customers, parts = shape.customers, shape.parts
        return pl.DataFrame(
            {
                "delivery_id": pl.select(rows.ids("D", 7)).to_series(),
                "customer": _codes("C", customers, 4).gather(_zipf_choice(rng, customers, n)),
                "part_no": _codes("P", parts, 5).gather(_zipf_choice(rng, parts, n)),
                "qty": (20 + np.round(rng.beta(1.3, 2.5, n) * 76) * 5).astype(np.int64),
                "ship_date": ship,
                "promised_date": promised,
                "delivered_date": pl.Series(delivered).set(pl.Series(open_line), None),
            }
        )

    return make


def _complaints(causes: pl.DataFrame) -> ChunkMaker:
    codes = causes.filter(~pl.col("code").is_in(["pending", "unmapped"]))
    names = pl.concat([codes["code"], codes["name_zh"]])
    weight = 1.0 / np.arange(1, codes.height + 1)
    weight = np.concatenate([weight, weight]) / (2 * weight.sum())

    def make(rng: np.random.Generator, rows: Rows) -> pl.DataFrame:
        n = len(rows)
        received = rows.days(rng)
        responded = received + rng.choice(7, n, p=[0.55, 0.33, 0.04, 0.03, 0.02, 0.02, 0.01])
        closed = responded + rng.integers(2, 30, n)
        status = np.where(rng.random(n) < 0.04, "rejected", "closed")
        status = np.where(closed > rows.cal.as_of, "open", status)
        part = _zipf_choice(rng, _PARTS, n)
        cause = rng.choice(names.len(), n, p=weight)
        return pl.DataFrame(
            {
                "complaint_id": pl.select(rows.ids("K", 6)).to_series(),
                "received_date": received,
                "customer": _codes("C", _CUSTOMERS, 4).gather(_zipf_choice(rng, _CUSTOMERS, n)),
                "region": pl.Series(_REGIONS).gather(rng.integers(0, len(_REGIONS), n)),
                "part_no": _codes("P", _PARTS, 5).gather(part),
                "phase": pl.Series(["mass_production", "sample", "c_sample"]).gather(
                    rng.choice(3, n, p=[0.91, 0.06, 0.03])
                ),
                "defect_qty": np.minimum(rng.geometric(0.3, n), 200).astype(np.int64),
                "cause": names.gather(cause),
                "description": _codes("P", _PARTS, 5).gather(part)
                + pl.Series(_PHRASES).gather(rng.integers(0, len(_PHRASES), n)),
                "environmental": rng.random(n) < 0.001,
                "responded_date": responded,
                "closed_date": pl.Series(closed).set(pl.Series(status == "open"), None),
                "status": status,
                "claim_amount": pl.Series(np.round(rng.uniform(50, 2000, n), 2)).set(
                    pl.Series(rng.random(n) > 0.3), None
                ),
            }
        )

    return make


def _freight(rng: np.random.Generator, rows: Rows) -> pl.DataFrame:
    n = len(rows)
    premium = rng.random(n) < 0.08
    return pl.DataFrame(
        {
            "freight_id": pl.select(rows.ids("F", 6)).to_series(),
            "ship_date": rows.days(rng),
            "customer": _codes("C", _CUSTOMERS, 4).gather(_zipf_choice(rng, _CUSTOMERS, n)),
            "amount": np.round(rng.uniform(80, 1600, n), 2),
            "premium": premium,
            "reason": pl.Series(_REASONS)
            .gather(rng.integers(0, len(_REASONS), n))
            .set(pl.Series(~premium), None),
            "mode": pl.Series(_MODES).gather(
                np.where(premium, rng.integers(1, 4, n), rng.integers(0, 2, n))
            ),
        }
    )


def _surveys(rng: np.random.Generator, rows: Rows) -> pl.DataFrame:
    n = len(rows)
    score = np.clip(np.round(rng.normal(8.8, 1.0, n)), 1, 10).astype(np.int64)
    return pl.DataFrame(
        {
            "response_id": pl.select(rows.ids("S", 6)).to_series(),
            "survey_date": rows.days(rng),
            "customer": _codes("C", _CUSTOMERS, 4).gather(_zipf_choice(rng, _CUSTOMERS, n)),
            "score": score,
            **{
                name: np.clip(np.round(4 - (10 - score) / 2 + rng.normal(0, 0.5, n)), 1, 4).astype(
                    np.int64
                )
                for name in SURVEY_DIMENSIONS
            },
            "comments": pl.Series(["响应及时", "希望缩短补件周期", None]).gather(
                rng.integers(0, 3, n)
            ),
        }
    )


def _write_source(
    path: Path, source: str, total: int, cal: Calendar, seed: int, make: ChunkMaker, chunk: int
) -> Path:
    """Write `total` rows spread over the calendar's months, `chunk` rows at a time."""
    bounds = _month_bounds(cal, total, seed)
    stream = _SOURCE_STREAM[source]
    with path.open("wb") as out:
        for number, start in enumerate(range(0, max(total, 1), chunk)):
            index = np.arange(start, min(start + chunk, total))
            month = np.searchsorted(bounds, index, side="right") - 1
            rows = Rows(cal, month, index - bounds[month], index)
            frame = make(np.random.default_rng([seed, stream, number]), rows)
            frame.write_csv(out, include_header=number == 0)
    return path


def _write_all(
    out_dir: Path,
    suffix: str,
    cal: Calendar,
    seed: int,
    chunk: int,
    shape: Shape = SHAPES["standard"],
    **counts: int,
) -> dict[str, Path]:
    """One file per source, `counts[source]` rows each, named <source><suffix>.csv."""
    out_dir.mkdir(parents=True, exist_ok=True)
    makers: dict[str, ChunkMaker] = {
        "deliveries": _deliveries(shape),
        "complaints": _complaints(read_causes(CAUSES_FILE)),
        "freight": _freight,
        "surveys": _surveys,
    }
    return {
        source: _write_source(
            out_dir / f"{source}{suffix}.csv",
            source,
            counts[source],
            cal,
            seed,
            makers[source],
            chunk,
        )
        for source in makers
    }


def write_scaled(
    out_dir: Path,
    *,
    deliveries: int,
    complaints: int,
    freight: int,
    surveys: int,
    seed: int = 7,
    chunk_rows: int = CHUNK_ROWS,
    shape: str = "standard",
) -> dict[str, Path]:
    """One CSV per source over the shape's months (standard: 60, 2021-01 to 2025-12);
    returns source -> path.

    The bytes depend on the arguments only (chunk_rows included: each chunk has its stream).
    """
    picked = SHAPES[shape]
    cal = make_calendar(picked.first_month, picked.last_month)
    return _write_all(Path(out_dir), "", cal, seed, chunk_rows, picked, deliveries=deliveries,
                      complaints=complaints, freight=freight, surveys=surveys)


def write_scaled_month(
    out_dir: Path,
    *,
    month: str = "2026-01",
    deliveries: int = 170_000,
    complaints: int = 2_000,
    freight: int = 5_000,
    surveys: int = 200,
    seed: int = 7,
    chunk_rows: int = CHUNK_ROWS,
) -> dict[str, Path]:
    """One more month of data (IDs do not collide with write_scaled's), for the increment run.

    Files are named <source>_<month>.csv.
    """
    cal = make_calendar(month, month)
    return _write_all(Path(out_dir), f"_{month}", cal, seed + 1, chunk_rows,
                      deliveries=deliveries, complaints=complaints, freight=freight,
                      surveys=surveys)


def write_small_files(out_dir: Path, *, count: int, seed: int = 7) -> list[Path]:
    """`count` one-row delivery files in `out_dir` (an inbox folder of one source), each
    with its own delivery_id, as a plant exporting one line at a time sends them."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    cal = make_calendar(SCALED_FIRST_MONTH, SCALED_LAST_MONTH)
    make = _deliveries(SHAPES["standard"])
    index = np.arange(count)
    rows = Rows(cal, index % cal.months, index // cal.months, index)
    frame = make(np.random.default_rng([seed, 5]), rows)
    paths = []
    for number in range(count):
        path = out_dir / f"deliveries_{number:04d}.csv"
        frame.slice(number, 1).write_csv(path)
        paths.append(path)
    return paths
