"""Generator of demo complaints: a cause Pareto, PPM near target, escalations to find.

The monthly defect quantity is drawn around a PPM level against the parts actually shipped,
so the demo's PPM lands between about 100 and 300 with some months over the 200 target.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from pipelines.demo.timeline import Calendar, month_of, random_days
from pipelines.demo.vocabulary import choose_parts, customers_frame, parts_frame

_NO_CAUSE = ("pending", "unmapped")


def _first_per_month(rng: np.random.Generator, month: np.ndarray, k: np.ndarray) -> np.ndarray:
    """Mark exactly k[m] randomly chosen rows of each month m (month is sorted)."""
    order = np.lexsort((rng.random(len(month)), month))
    start = np.searchsorted(month, np.arange(len(k)))
    position = np.arange(len(month)) - start[month[order]]
    marked = np.zeros(len(month), dtype=bool)
    marked[order] = position < k[month[order]]
    return marked


def _cause_weights(vocabulary: dict, causes: pl.DataFrame) -> tuple[list[str], np.ndarray]:
    """Codes that a complaint can be traced to, with weights: a few dominate, a long tail."""
    cfg = vocabulary["complaints"]
    codes = [c for c in causes["code"].to_list() if c not in _NO_CAUSE]
    dominant = cfg["dominant_causes"]
    weights = np.array([dominant.get(c, cfg["tail_weight"]) for c in codes], dtype=float)
    return codes, weights / weights.sum()


def _index_of(values: list[str], wanted: str) -> int:
    try:
        return values.index(wanted)
    except ValueError:
        raise ValueError(f"demo vocabulary names {wanted!r}, which is not defined") from None


def _pin(arrays: dict[str, np.ndarray], names: dict[str, list[str]], rows, wanted: dict) -> None:
    """Give rows the customer, part and cause that an escalation rule names."""
    arrays["cause"][rows] = _index_of(names["cause"], wanted["cause"])
    arrays["part"][rows] = _index_of(names["part"], wanted["part_no"])
    arrays["customer"][rows] = _index_of(names["customer"], wanted["customer"])


def _pin_escalations(
    vocabulary: dict,
    cal: Calendar,
    arrays: dict[str, np.ndarray],
    names: dict[str, list[str]],
) -> np.ndarray:
    """Rewrite a few complaints into a repeat cluster and a recurrence; returns pinned rows."""
    cfg = vocabulary["complaints"]
    month = arrays["month"]
    labels = cal.labels()
    pinned: list[int] = []

    cluster = cfg["repeat_cluster"]
    m = labels.index(cluster["month"])
    rows = np.flatnonzero(month == m)[: len(cluster["days"])]
    arrays["received"][rows] = cal.starts[m] + np.array(cluster["days"])
    _pin(arrays, names, rows, cluster)
    pinned.extend(rows)

    again = cfg["recurrence"]
    first_day, again_day = np.datetime64(again["first"]), np.datetime64(again["again"])
    for day in (first_day, again_day):
        row = np.flatnonzero(month == month_of(cal, np.array([day]))[0])[0]
        arrays["received"][row] = day
        _pin(arrays, names, row, again)
        pinned.append(row)
    first = pinned[-2]
    arrays["answer_days"][first] = 0
    arrays["close_days"][first] = (np.datetime64(again["closed"]) - first_day).astype(int)
    return np.array(pinned)


def _lifecycle(
    cfg: dict, cal: Calendar, rng: np.random.Generator, arrays: dict, free: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Response and closing dates and status; what happens after the export day is unknown.

    Returns responded, unanswered (mask), closed and status codes. Pinned rows (not `free`)
    are never rejected and never left unanswered at random.
    """
    received = arrays["received"]
    n = len(received)
    # Complaints older than `open_days` at the export are settled, except `long_running` ones
    # (the newest of those drawn to linger) that wait for a customer or a supplier.
    recent = received > cal.as_of - cfg["open_days"]
    rejected = (rng.random(n) < cfg["rejected_share"]) & free
    forgotten = rng.random(n) < 0.006
    unanswered = ((received >= cal.as_of - 1) | (forgotten & recent)) & free
    responded = received + arrays["answer_days"]
    unanswered |= responded > cal.as_of
    closed = responded + arrays["close_days"]
    lingering = (rng.random(n) < 0.015) & free
    stale = np.flatnonzero(lingering & ~recent & ~rejected)
    long_running = np.zeros(n, dtype=bool)
    long_running[stale[np.argsort(received[stale], kind="stable")][-cfg["long_running"]:]] = True
    still_open = unanswered | (closed > cal.as_of) | (lingering & recent) | long_running
    status = np.where(rejected, "rejected", np.where(still_open, "open", "closed"))
    return responded, unanswered, closed, status


def _defect_quantities(
    vocabulary: dict,
    cal: Calendar,
    rng: np.random.Generator,
    month: np.ndarray,
    counting: np.ndarray,
    shipped: np.ndarray,
) -> np.ndarray:
    """Defect quantities: counted complaints share a monthly budget set by a PPM level."""
    n = len(month)
    phase = rng.uniform(0, 2 * np.pi)
    level = 175 + 55 * np.sin(np.arange(cal.months) * 2 * np.pi / 12 + phase)
    ppm = np.clip(level + rng.normal(0, 30, cal.months), 90, 300)
    budget = np.round(ppm * shipped / 1e6)

    # A batch problem: one complaint of the month takes the month's whole budget and more.
    batch = vocabulary["complaints"]["batch_problem"]
    batch_month = cal.labels().index(batch["month"])
    batch_row = np.flatnonzero((month == batch_month) & counting)[0]
    batch_qty = rng.integers(batch["qty"][0], batch["qty"][1] + 1)
    budget[batch_month] = 0
    others = counting.copy()
    others[batch_row] = False

    counted = np.bincount(month, weights=others, minlength=cal.months)
    spare = np.maximum(budget - counted, counted // 4)
    weight = np.where(others, rng.gamma(0.8, 1.0, n), 0.0)
    total_weight = np.bincount(month, weights=weight, minlength=cal.months)
    share = spare[month] * weight / np.maximum(total_weight[month], 1e-9)
    counted_qty = 1 + np.floor(share + rng.random(n))
    other_qty = np.minimum(rng.geometric(0.35, n), 10)
    qty = np.where(others, counted_qty, other_qty).astype(np.int64)
    qty[batch_row] = batch_qty
    return qty


def _cause_text() -> pl.Expr:
    """The cause as people write it: Chinese name (with or without the bracket), code, alias.

    Reads the drawn `form` column: 0 name, 1 name without bracket, 2 full-width brackets,
    3 code, 4 first alias.
    """
    form = pl.col("form")
    name = pl.col("name_zh")
    alias = pl.col("aliases").str.split("|").list.first()
    return (
        pl.when(pl.col("cause_code") == "pending")
        .then(pl.lit(""))
        .when(form == 1)
        .then(name.str.replace(r"\(.*\)$", ""))
        .when(form == 2)
        .then(
            name.str.replace_all("(", "（", literal=True).str.replace_all(")", "）", literal=True)
        )
        .when(form == 3)
        .then(pl.col("cause_code"))
        .when((form == 4) & (alias != ""))
        .then(alias)
        .otherwise(name)
    )


def _with_texts(frame: pl.DataFrame, causes: pl.DataFrame, cfg: dict) -> pl.DataFrame:
    """The cause as written and a description in the seed's style ("721书桌面开裂")."""
    phrases = pl.DataFrame(
        {"cause_code": list(cfg["phrases"]), "phrases": list(cfg["phrases"].values())}
    )
    phrase = pl.col("phrases").list.get(pl.col("pick") % pl.col("phrases").list.len())
    return (
        frame.join(
            causes.select("code", "name_zh", "aliases"),
            left_on="cause_code",
            right_on="code",
            maintain_order="left",
        )
        .join(phrases, on="cause_code", how="left", maintain_order="left")
        .with_columns(
            cause=_cause_text(),
            description=pl.concat_str(
                "part_no",
                "product",
                pl.when("environmental").then(pl.col("env_phrase")).otherwise(phrase),
            ),
        )
    )


def _with_hostile_text(frame: pl.DataFrame, hostile: dict) -> pl.DataFrame:
    """Markup typed by customers into a few descriptions of one month, kept verbatim."""
    texts = pl.DataFrame(hostile["descriptions"]).with_columns(month=pl.lit(hostile["month"]))
    first_rows = (
        frame.with_row_index("row")
        .join(texts, left_on=["month", "cause_code"], right_on=["month", "cause"])
        .group_by("cause_code")
        .agg(pl.col("row").min(), pl.col("text").first())
    )
    template = pl.lit(
        pl.Series([None] * frame.height, dtype=pl.String).scatter(
            first_rows["row"], first_rows["text"]
        )
    )
    item = pl.concat_str("part_no", "product")
    return frame.with_columns(
        description=pl.when(template.is_not_null())
        .then(template.str.replace("{item}", item, literal=True))
        .otherwise(pl.col("description"))
    )


def demo_complaints(
    vocabulary: dict,
    causes: pl.DataFrame,
    cal: Calendar,
    rng: np.random.Generator,
    shipped: np.ndarray,
) -> pl.DataFrame:
    """One row per complaint, canonical columns plus `cause_code` (the intended cause).

    `shipped` is the number of parts shipped per month, so defect quantities can be
    sized to a realistic PPM.
    """
    cfg = vocabulary["complaints"]
    customers = customers_frame(vocabulary)
    parts = parts_frame(vocabulary)
    codes, cause_p = _cause_weights(vocabulary, causes)
    low, high = cfg["per_month"]
    counts = rng.integers(low, high + 1, cal.months)
    month = np.repeat(np.arange(cal.months), counts)
    n = len(month)

    customer = rng.choice(customers.height, n, p=customers["share"].to_numpy())
    arrays = {
        "month": month,
        "received": random_days(rng, cal, month),
        "cause": rng.choice(len(codes), n, p=cause_p),
        "customer": customer,
        "part": choose_parts(rng, customers, parts, customer),
        # Mostly answered the same or the next day; each month has its own share of late answers.
        "answer_days": np.where(
            _first_per_month(rng, month, np.round(rng.uniform(0.0, 0.12, cal.months) * counts)),
            rng.integers(2, 7, n),
            rng.integers(0, 2, n),
        ),
        "close_days": rng.integers(3, 30, n),
    }
    names = {
        "cause": codes,
        "part": parts["part_no"].to_list(),
        "customer": customers["name"].to_list(),
    }
    pinned = _pin_escalations(vocabulary, cal, arrays, names)

    free = np.ones(n, dtype=bool)
    free[pinned] = False
    responded, unanswered, closed, status = _lifecycle(cfg, cal, rng, arrays, free)

    cause_code = np.array(codes, dtype=object)[arrays["cause"]]
    recent = arrays["received"] > cal.as_of - cfg["pending_recent_days"]
    pending = ((status == "open") & recent & (rng.random(n) < 0.7)) | (
        (rng.random(n) < 0.01) & free
    )
    cause_code = np.where(pending & free, "pending", cause_code)

    responsible = dict(zip(causes["code"], causes["supplier_responsible"], strict=True))
    counting = (status != "rejected") & np.array([responsible[c] for c in codes] + [True])[
        np.where(cause_code == "pending", len(codes), arrays["cause"])
    ]
    defect_qty = _defect_quantities(vocabulary, cal, rng, month, counting, shipped)

    quarter = (cal.starts.astype("datetime64[M]").astype(np.int64) // 3)[month]
    env_quarters = rng.choice(np.unique(quarter), cfg["environmental"]["quarters"], replace=False)
    environmental = np.zeros(n, dtype=bool)
    for q in env_quarters:
        environmental[np.flatnonzero((quarter == q) & (status != "rejected") & free)[0]] = True

    claim = np.where(
        (rng.random(n) < cfg["claim_share"]) & (status != "rejected"),
        np.round(defect_qty * rng.uniform(30, 400, n) / 10) * 10,
        np.nan,
    )
    phase = rng.choice(
        np.array(["sample", "c_sample", "mass_production"], dtype=object),
        n,
        p=[
            cfg["sample_share"],
            cfg["c_sample_share"],
            1 - cfg["sample_share"] - cfg["c_sample_share"],
        ],
    )
    customer = arrays["customer"]
    env_phrases = pl.Series(cfg["environmental"]["phrases"], dtype=pl.String)
    frame = (
        pl.DataFrame(
            {
                "month": pl.Series(cal.labels()).gather(month),
                "received_date": arrays["received"],
                "customer": customers["name"].gather(customer),
                "region": customers["region"].gather(customer),
                "part_no": parts["part_no"].gather(arrays["part"]),
                "product": parts["product"].gather(arrays["part"]),
                "phase": pl.Series(phase, dtype=pl.String),
                "defect_qty": defect_qty,
                "cause_code": pl.Series(cause_code, dtype=pl.String),
                "environmental": environmental,
                "responded_date": pl.Series(responded).set(pl.Series(unanswered), None),
                "closed_date": pl.Series(closed).set(pl.Series(status == "open"), None),
                "status": pl.Series(status, dtype=pl.String),
                "claim_amount": claim,
                "pick": rng.integers(0, 1_000, n),
                "form": rng.choice(5, n, p=[0.5, 0.15, 0.05, 0.18, 0.12]),
                "env_phrase": env_phrases.gather(rng.integers(0, len(env_phrases), n)),
            }
        )
        .with_columns(pl.col("claim_amount").fill_nan(None))
        .pipe(_with_texts, causes, cfg)
        .sort("received_date", maintain_order=True)
    )
    return _with_hostile_text(frame, cfg["hostile"]).select(
        pl.concat_str(
            pl.lit("KS"),
            pl.col("month").str.replace("-", "", literal=True),
            (pl.int_range(pl.len()).over("month") + 1).cast(pl.String).str.zfill(3),
        ).alias("complaint_id"),
        "received_date",
        "customer",
        "region",
        "part_no",
        "product",
        "phase",
        "defect_qty",
        "cause",
        "description",
        "environmental",
        "responded_date",
        "closed_date",
        "status",
        "claim_amount",
        "cause_code",
    )
