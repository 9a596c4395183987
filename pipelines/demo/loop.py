"""Generators of the closing-the-loop demo data (SPEC §8): the 8D tracker, the quality cost
ledger and the risk register, drawn around the demo's complaints.

Like the other generators: vocabulary (loop.toml) + random generator in, typed frame out.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from pipelines.demo.generate import _ids
from pipelines.demo.timeline import Calendar, month_of, random_days
from pipelines.demo.vocabulary import customers_frame
from pipelines.sources import get_source

# A key customer asking for containment the same day and closure within 45 days. The demo's
# actions for it are timed against these deadlines; the settings file says so with
#   [customer_action_days."上海申达汽车内饰有限公司"]
#   d3_days = 0
#   d8_days = 45
STRICT_DEADLINE_CUSTOMER = "上海申达汽车内饰有限公司"
STRICT_DEADLINE_DAYS = {"d3_days": 0, "d8_days": 45}
# SPEC §8's default step deadlines, days after opened_date.
DEADLINE_DAYS = {"d3_days": 1, "d4_days": 10, "d6_days": 30, "d8_days": 60}
STEPS = ("d3", "d4", "d6", "d8")
STEP_DATES = ("containment_date", "root_cause_date", "corrective_action_date", "closed_date")

__all__ = [
    "DEADLINE_DAYS",
    "STRICT_DEADLINE_CUSTOMER",
    "STRICT_DEADLINE_DAYS",
    "demo_actions",
    "demo_quality_costs",
    "demo_risks",
]


def deadline_days(customer: str | None) -> dict[str, int]:
    """The step deadlines that hold for a customer's actions."""
    strict = STRICT_DEADLINE_DAYS if customer == STRICT_DEADLINE_CUSTOMER else {}
    return {**DEADLINE_DAYS, **strict}


def _step_offsets(cfg: dict, rng: np.random.Generator, strict: np.ndarray) -> dict[str, np.ndarray]:
    """Days from opened to each step: mostly within the deadline, some late, in step order."""
    n = len(strict)
    due = {
        step: np.where(
            strict,
            deadline_days(STRICT_DEADLINE_CUSTOMER)[f"{step}_days"],
            DEADLINE_DAYS[f"{step}_days"],
        )
        for step in STEPS
    }
    late = {step: rng.random(n) < cfg["late_share"][step] for step in STEPS}
    late["d3"] = np.where(strict, rng.random(n) < cfg["strict_d3_late_share"], late["d3"])
    # The earliest day a step is usually done when on time, and how late a late one runs.
    earliest = {"d3": 0, "d4": 2, "d6": 15, "d8": 35}
    overrun = {"d3": 3, "d4": 15, "d6": 21, "d8": 31}
    offsets: dict[str, np.ndarray] = {}
    previous = np.zeros(n, dtype=np.int64)
    for gap, step in zip((0, 0, 3, 3), STEPS, strict=True):
        on_time = rng.integers(np.minimum(earliest[step], due[step]), due[step] + 1)
        overdue = due[step] + rng.integers(1, overrun[step], n)
        offsets[step] = np.maximum(np.where(late[step], overdue, on_time), previous + gap)
        previous = offsets[step]
    return offsets


def _with_steps(frame: pl.DataFrame, cfg: dict, cal: Calendar, rng) -> pl.DataFrame:
    """Step dates and the D7 check; what happens after the export day is not known yet."""
    n = frame.height
    opened = frame["opened_date"].to_numpy()
    customer = frame["customer_of_record"].to_numpy()
    offsets = _step_offsets(cfg, rng, customer == STRICT_DEADLINE_CUSTOMER)
    stalled = rng.random(n) < cfg["stalled_share"]
    done = {}
    for step, column in zip(STEPS, STEP_DATES, strict=True):
        day = opened + offsets[step].astype("timedelta64[D]")
        known = (day <= cal.as_of) & ~(stalled & (step in ("d6", "d8")))
        done[column] = known
        frame = frame.with_columns(pl.Series(column, day).set(pl.Series(~known), None))
    # D7: verified effective once closed; a few permanent actions fail their check.
    failed = done["corrective_action_date"] & (rng.random(n) < cfg["ineffective_share"])
    effective = pl.Series("effective", done["closed_date"])
    return frame.with_columns(effective.set(pl.Series(~done["closed_date"] & ~failed), None))


def _complaint_actions(
    cfg: dict, complaints: pl.DataFrame, cal: Calendar, rng: np.random.Generator
) -> pl.DataFrame:
    """An 8D for most complaints, opened on the day received or a day or two later."""
    n = complaints.height
    batch = pl.col("defect_qty") >= cfg["batch"]["min_qty"]
    drawn = pl.lit(pl.Series(rng.random(n) < cfg["complaint_share"]))
    after = rng.choice(len(cfg["opened_after"]), n, p=cfg["opened_after"])
    given = pl.lit(pl.Series(rng.random(n) < cfg["customer_given"]))
    departments = cfg["departments"]
    base = complaints.with_columns(
        opened_date=pl.col("received_date") + pl.duration(days=pl.lit(pl.Series(after))),
        customer=pl.when(given).then("customer").otherwise(None),
        customer_of_record=pl.col("customer"),
        department=pl.col("cause_code").replace_strict(departments, default="品保部"),
    ).filter((pl.col("status") != "rejected") & (drawn | batch), pl.col("opened_date") <= cal.as_of)
    # A batch problem also gets the supplier's 8D.
    supplier = base.filter(pl.col("defect_qty") >= cfg["batch"]["min_qty"]).with_columns(
        department=pl.lit("采购部"),
        description=pl.concat_str(pl.lit(cfg["batch"]["prefix"]), "description"),
    )
    return pl.concat([base, supplier]).select(
        "opened_date",
        "complaint_id",
        "customer",
        "customer_of_record",
        "department",
        "description",
    )


def _raised_actions(cfg: dict, cal: Calendar, rng: np.random.Generator) -> pl.DataFrame:
    """Corrective action requests from a missed KPI or an audit: no complaint, own customer."""
    raised = pl.DataFrame(cfg["raised"])
    labels = cal.labels()
    month = np.array([labels.index(m) for m in raised["month"]])
    return raised.select(
        pl.Series("opened_date", random_days(rng, cal, month)),
        pl.lit(None, dtype=pl.String).alias("complaint_id"),
        "customer",
        pl.col("customer").alias("customer_of_record"),
        "department",
        "description",
    )


def demo_actions(
    vocabulary: dict, complaints: pl.DataFrame, cal: Calendar, rng: np.random.Generator
) -> pl.DataFrame:
    """The 8D tracker: one row per action, canonical columns of the actions source."""
    cfg = vocabulary["actions"]
    owners = cfg["owners"]
    kinds = {
        "8D": _complaint_actions(cfg, complaints, cal, rng),
        "CAR": _raised_actions(cfg, cal, rng),
    }
    numbered = []
    for prefix, part in kinds.items():
        part = part.sort("opened_date", "complaint_id", maintain_order=True)
        month = pl.col("opened_date").dt.strftime("%Y-%m")
        numbered.append(part.with_columns(_ids(prefix, month, 3).alias("action_id")))
    frame = pl.concat(numbered).sort("opened_date", "action_id")
    pick = pl.Series(rng.integers(0, 1_000, frame.height))
    owner = pl.col("department").replace_strict(owners, return_dtype=pl.List(pl.String))
    frame = frame.with_columns(owner=owner.list.get(pick % owner.list.len()))
    columns = get_source("actions").column_names
    return _with_steps(frame, cfg, cal, rng).select(columns)


def _linked_complaints(
    pool: pl.DataFrame, month: np.ndarray, linked: np.ndarray, rng: np.random.Generator
) -> pl.DataFrame:
    """For each cost entry, a complaint of its month from `pool` (sorted by month) where
    `linked` and the month has one; a row of nulls elsewhere."""
    pool_month = pool["month"].to_numpy()
    start = np.searchsorted(pool_month, month)
    size = np.searchsorted(pool_month, month, side="right") - start
    linked = linked & (size > 0)
    row = start + (rng.random(len(month)) * np.maximum(size, 1)).astype(np.int64)
    picked = pool.select("complaint_id", "customer", "received_date")
    picked = pl.concat([picked, picked.clear(1)])  # the last row: no complaint
    return picked[np.where(linked, row, picked.height - 1)]


def demo_quality_costs(
    vocabulary: dict,
    loop: dict,
    complaints: pl.DataFrame,
    cal: Calendar,
    rng: np.random.Generator,
) -> pl.DataFrame:
    """The quality cost ledger: every category every month, some entries for a complaint."""
    customers = customers_frame(vocabulary)
    counted = (
        complaints.with_columns(
            month=pl.Series(month_of(cal, complaints["received_date"].to_numpy())),
            kind=pl.col("customer").replace_strict(customers["name"], customers["kind"]),
        )
        .filter(pl.col("status") != "rejected")
        .sort("month", maintain_order=True)
    )
    parts = []
    for category, cfg in loop["quality_costs"].items():
        low, high = cfg["rows"]
        month = np.repeat(np.arange(cal.months), rng.integers(low, high + 1, cal.months))
        n = len(month)
        pool = counted.filter(pl.col("kind") == cfg["kind"]) if "kind" in cfg else counted
        complaint = _linked_complaints(pool, month, rng.random(n) < cfg["linked"], rng)
        later = complaint["received_date"].to_numpy() + rng.integers(1, 11, n)
        # A cost a complaint causes after the export day is not booked yet: none of its own.
        linked = complaint["complaint_id"].is_not_null().to_numpy() & (later <= cal.as_of)
        complaint = complaint.with_columns(
            pl.when(pl.lit(pl.Series(linked))).then(pl.all()).otherwise(None).name.keep()
        )
        day = np.where(linked, later, random_days(rng, cal, month))
        # Sorting and field service name the customer even without a complaint.
        hosts = customers.filter(pl.col("kind") == cfg["kind"]) if "kind" in cfg else customers
        visited = hosts["name"].gather(rng.choice(hosts.height, n))
        named = category in ("sorting", "field_service")
        a_low, a_high = cfg["amount"]
        amount = np.exp(rng.uniform(np.log(a_low), np.log(a_high), n))
        notes = pl.Series(cfg["notes"], dtype=pl.String)
        parts.append(
            pl.DataFrame(
                {
                    "cost_date": day,
                    "category": pl.Series([category] * n, dtype=pl.String),
                    "amount": np.round(amount * 2) / 2,
                    "customer": complaint["customer"].zip_with(
                        complaint["customer"].is_not_null() | (not named), visited
                    ),
                    "complaint_id": complaint["complaint_id"],
                    "note": notes.gather(rng.integers(0, len(notes), n)),
                }
            )
        )
    frame = pl.concat(parts).sort("cost_date", maintain_order=True)
    month = pl.col("cost_date").dt.strftime("%Y-%m")
    columns = get_source("quality_costs").column_names
    return frame.select(_ids("ZL", month, 3).alias("cost_id"), *columns[1:])


def demo_risks(loop: dict) -> pl.DataFrame:
    """The risk and opportunity register as written in loop.toml (the seed's rows first)."""
    columns = get_source("risks").column_names
    return (
        pl.DataFrame(loop["risks"])
        .select(
            *(pl.col(c) for c in columns if c != "review_date"),
            pl.col("review_date").str.to_date(),
        )
        .select(columns)
    )
