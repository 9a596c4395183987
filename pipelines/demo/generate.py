"""Pure generators of the demo data: vocabulary + random generator in, typed polars frame out.

Frames carry the canonical column names of `pipelines.sources`; turning them into the kinds
of files users have (Chinese headers, GBK, title rows) is `files.py`'s job.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from pipelines.demo.timeline import Calendar, random_days
from pipelines.demo.vocabulary import choose_parts, customers_frame, parts_frame


def _ids(prefix: str, period: pl.Expr, width: int) -> pl.Expr:
    """IDs like SH20261000017: prefix, period label, sequence within the period."""
    seq = (pl.int_range(pl.len()).over(period) + 1).cast(pl.String).str.zfill(width)
    return pl.concat_str(pl.lit(prefix), period.str.replace("-", "", literal=True), seq)


def _month_label(cal: Calendar, month: np.ndarray) -> pl.Series:
    return pl.Series(cal.labels(), dtype=pl.String).gather(month)


def demo_deliveries(vocabulary: dict, cal: Calendar, rng: np.random.Generator) -> pl.DataFrame:
    """One row per delivery line: a few thousand a month, mostly on time, a few late or early."""
    cfg = vocabulary["deliveries"]
    customers = customers_frame(vocabulary)
    parts = parts_frame(vocabulary)
    low, high = cfg["lines_per_month"]
    month = np.repeat(np.arange(cal.months), rng.integers(low, high + 1, cal.months))
    n = len(month)
    customer = rng.choice(customers.height, n, p=customers["share"].to_numpy())
    part = choose_parts(rng, customers, parts, customer)
    qty_low, qty_high = cfg["qty"]
    qty = qty_low + np.round(rng.beta(1.3, 2.5, n) * (qty_high - qty_low) / 5) * 5

    ship = random_days(rng, cal, month)
    transit = customers["transit_days"].to_numpy()[customer] + rng.integers(0, 3, n)
    promised = ship + transit
    # On time: arrives on the promised day or the day before, never before shipping.
    delivered = np.maximum(promised - rng.integers(0, 2, n), ship)
    late_low, late_high = cfg["late_share"]
    draw = rng.random(n)
    late = draw < rng.uniform(late_low, late_high, cal.months)[month]
    delivered = np.where(late, promised + rng.integers(1, 6, n), delivered)
    early = draw > 1 - cfg["early_share"]
    promised = np.where(early, ship + 7, promised)
    delivered = np.where(early, ship + 1, delivered)

    # Lines due in the last month without a receipt count as late; receipts after the day
    # of the export are not known yet.
    due_last = np.flatnonzero((promised >= cal.starts[-1]) & (promised < cal.ends[-1]))
    missing = rng.choice(due_last, cfg["undelivered_last_month"], replace=False)
    known = delivered <= np.datetime64(vocabulary["calendar"]["deliveries_as_of"])
    known[missing] = False

    frame = pl.DataFrame(
        {
            "month": _month_label(cal, month),
            "customer": customers["name"].gather(customer),
            "part_no": parts["part_no"].gather(part),
            "qty": qty.astype(np.int64),
            "ship_date": ship,
            "promised_date": promised,
            "delivered_date": pl.Series(delivered).set(pl.Series(~known), None),
        }
    ).sort("ship_date", "customer", "part_no", maintain_order=True)
    return frame.select(
        _ids("SH", pl.col("month"), 5).alias("delivery_id"),
        "customer",
        "part_no",
        "qty",
        "ship_date",
        "promised_date",
        "delivered_date",
    )


def demo_freight(vocabulary: dict, cal: Calendar, rng: np.random.Generator) -> pl.DataFrame:
    """Freight invoices: ordinary shipments plus a few premium (expedited) ones a month."""
    cfg = vocabulary["freight"]
    customers = customers_frame(vocabulary)
    low, high = cfg["rows_per_month"]
    rows = rng.integers(low, high + 1, cal.months)
    p_low, p_high = cfg["premium_rows"]
    premium_rows = rng.integers(p_low, p_high + 1, cal.months)
    month = np.repeat(np.arange(cal.months), rows)
    n = len(month)
    # The first `premium_rows` rows of each month are the premium ones (order is shuffled by date).
    position = np.arange(n) - np.repeat(np.cumsum(rows) - rows, rows)
    premium = position < premium_rows[month]

    a_low, a_high = cfg["normal_amount"]
    ordinary = np.round(rng.uniform(a_low, a_high, n) * 2) / 2
    # Premium totals per month are drawn first, then split across that month's premium rows.
    total_low, total_high = cfg["premium_per_month"]
    month_total = rng.uniform(total_low, total_high, cal.months)
    weight = np.where(premium, rng.gamma(2.0, 1.0, n), 0.0)
    month_weight = np.bincount(month, weights=weight, minlength=cal.months)
    premium_amount = np.round(month_total[month] * weight / month_weight[month] / 10) * 10
    amount = np.where(premium, np.maximum(premium_amount, 50.0), ordinary)

    modes = np.array(cfg["modes"], dtype=object)
    premium_modes = np.array(cfg["premium_modes"], dtype=object)
    reasons = np.array(cfg["premium_reasons"], dtype=object)
    mode = np.where(
        premium,
        premium_modes[rng.integers(0, len(premium_modes), n)],
        modes[(rng.random(n) < 0.3).astype(np.int64)],
    )
    reason = np.where(premium, reasons[rng.integers(0, len(reasons), n)], None)

    frame = pl.DataFrame(
        {
            "month": _month_label(cal, month),
            "ship_date": random_days(rng, cal, month),
            "customer": customers["name"].gather(
                rng.choice(customers.height, n, p=customers["share"].to_numpy())
            ),
            "amount": amount,
            "premium": premium,
            "reason": pl.Series(reason, dtype=pl.String),
            "mode": pl.Series(mode, dtype=pl.String),
        }
    ).sort("ship_date", maintain_order=True)
    return frame.select(
        _ids("YF", pl.col("month"), 4).alias("freight_id"),
        "ship_date",
        "customer",
        pl.col("amount").round(2),
        "premium",
        "reason",
        "mode",
    )


def survey_months(vocabulary: dict, cal: Calendar) -> np.ndarray:
    """Indexes of the months in which the survey goes out (June and December)."""
    month_numbers = cal.starts.astype("datetime64[M]").astype(np.int64) % 12 + 1
    return np.flatnonzero(np.isin(month_numbers, vocabulary["surveys"]["months"]))


def demo_surveys(
    vocabulary: dict, cal: Calendar, rng: np.random.Generator, dimensions: tuple[str, ...]
) -> pl.DataFrame:
    """Satisfaction survey answers: twice a year, a dozen customers, score 6-10, 7 dimensions."""
    cfg = vocabulary["surveys"]
    customers = customers_frame(vocabulary)
    waves = survey_months(vocabulary, cal)
    low, high = cfg["responses"]
    sizes = rng.integers(low, high + 1, len(waves))
    month = np.repeat(waves, sizes)
    n = len(month)
    who = np.concatenate([rng.choice(customers.height, size, replace=False) for size in sizes])
    s_low, s_high = cfg["score"]
    # Each wave has its own mood, so some half-years reach the 90 % target and some do not.
    mood = rng.uniform(8.5, 9.5, len(waves))[np.searchsorted(waves, month)]
    score = np.clip(np.round(rng.normal(mood, 0.9, n)), s_low, s_high).astype(np.int64)
    ratings = {
        name: np.clip(np.round(4 - (10 - score) / 2 + rng.normal(0, 0.5, n)), 1, 4).astype(np.int64)
        for name in dimensions
    }
    comments = pl.Series(cfg["comments"], dtype=pl.String)
    comment = comments.gather(rng.integers(0, len(comments), n))
    frame = pl.DataFrame(
        {
            "month": _month_label(cal, month),
            "survey_date": random_days(rng, cal, month),
            "customer": customers["name"].gather(who),
            "score": score,
            **ratings,
            "comments": comment.replace("", None),
        }
    ).sort("survey_date", maintain_order=True)
    return frame.select(
        _ids("MY", pl.col("month"), 2).alias("response_id"),
        pl.exclude("month"),
    )


def demo_property_checks(vocabulary: dict, cal: Calendar, rng: np.random.Generator) -> pl.DataFrame:
    """Quarterly counts of customer-owned tooling and packaging: mostly all intact."""
    cfg = vocabulary["property_checks"]
    customers = customers_frame(vocabulary)
    items = pl.DataFrame(cfg["items"]).with_columns(
        pl.col("qty").list.get(0).alias("low"), pl.col("qty").list.get(1).alias("high")
    )
    month_numbers = cal.starts.astype("datetime64[M]").astype(np.int64) % 12 + 1
    quarter_ends = np.flatnonzero(month_numbers % 3 == 0)
    low, high = cfg["customers_per_quarter"]
    sizes = rng.integers(low, high + 1, len(quarter_ends))
    month = np.repeat(quarter_ends, sizes)
    who = np.concatenate([rng.choice(customers.height, size, replace=False) for size in sizes])
    # Each customer keeps two or three kinds of property with us.
    kinds = rng.integers(2, 4, len(month))
    month = np.repeat(month, kinds)
    who = np.repeat(who, kinds)
    item = np.concatenate([rng.choice(items.height, k, replace=False) for k in kinds])
    n = len(month)
    item_low = items["low"].to_numpy()[item]
    item_high = items["high"].to_numpy()[item]
    checked = rng.integers(item_low, item_high + 1)
    short = (rng.random(n) < cfg["short_share"]) & (checked > 1)
    quarter = pl.Series(
        [f"{label[:4]}Q{(int(label[5:]) + 2) // 3}" for label in cal.labels()]
    ).gather(month)
    # Checks happen in the last week of the quarter.
    day = cal.ends[month] - 1 - rng.integers(0, 7, n)
    frame = pl.DataFrame(
        {
            "quarter": quarter,
            "check_date": day,
            "customer": customers["name"].gather(who),
            "item": items["item"].gather(item),
            "qty_checked": checked.astype(np.int64),
            "qty_intact": (checked - short).astype(np.int64),
        }
    ).sort("check_date", "customer", maintain_order=True)
    return frame.select(
        _ids("CC", pl.col("quarter"), 2).alias("check_id"),
        pl.exclude("quarter"),
    )
