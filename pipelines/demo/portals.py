"""What the key customers' supplier portals report about us: PPM and OTD a month.

A portal computes what our own KPIs compute (SPEC §4, per customer) and rounds it as portals
do (PPM to an integer, OTD to one decimal), but for the planned disagreements of loop.toml:
one portal counts a complaint that we do not (a claim we rejected), one books two on-time
lines as late.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from pipelines.demo.timeline import Calendar

PPM_SCALE = 1e6

__all__ = ["customer_kpis", "demo_scorecards"]


def _month(column: str) -> pl.Expr:
    return pl.col(column).dt.truncate("1mo").alias("month")


def customer_kpis(
    complaints: pl.DataFrame, deliveries: pl.DataFrame, causes: pl.DataFrame
) -> pl.DataFrame:
    """Our ppm and otd per customer and month, with numerator and denominator (SPEC §4)."""
    responsible = causes.select(pl.col("code").alias("cause_code"), "supplier_responsible")
    defects = (
        complaints.join(responsible, on="cause_code", how="left")
        .filter((pl.col("status") != "rejected") & pl.col("supplier_responsible"))
        .group_by("customer", _month("received_date"))
        .agg(pl.col("defect_qty").sum().alias("numerator"))
    )
    shipped = deliveries.group_by("customer", _month("ship_date")).agg(
        pl.col("qty").sum().alias("denominator")
    )
    ppm = shipped.join(defects, on=["customer", "month"], how="left").with_columns(
        kpi=pl.lit("ppm"), numerator=pl.col("numerator").fill_null(0)
    )
    on_time = (pl.col("delivered_date") <= pl.col("promised_date")).fill_null(False)
    otd = deliveries.group_by("customer", _month("promised_date")).agg(
        kpi=pl.lit("otd"), numerator=on_time.sum(), denominator=pl.len()
    )
    scale = pl.when(pl.col("kpi") == "ppm").then(PPM_SCALE).otherwise(100.0)
    return pl.concat([ppm, otd], how="diagonal_relaxed").select(
        "customer",
        "month",
        "kpi",
        pl.col("numerator").cast(pl.Float64),
        pl.col("denominator").cast(pl.Float64),
        (pl.col("numerator") / pl.col("denominator") * scale).alias("value"),
    )


def _ppm_disagreement(
    complaints: pl.DataFrame, causes: pl.DataFrame, ours: pl.DataFrame
) -> pl.DataFrame:
    """The complaint a portal counts and we do not: a rejected claim, else one whose cause
    is not ours; the one that moves its customer's month the most. One row: customer,
    month, kpi and the defects the portal adds."""
    shipped = ours.filter(pl.col("kpi") == "ppm").select("customer", "month", "denominator")
    responsible = causes.select(pl.col("code").alias("cause_code"), "supplier_responsible")
    candidates = (
        complaints.join(responsible, on="cause_code", how="left")
        .filter((pl.col("status") == "rejected") | ~pl.col("supplier_responsible"))
        .with_columns(_month("received_date"))
        .join(shipped, on=["customer", "month"])
        .sort(
            pl.col("status") == "rejected",
            pl.col("defect_qty") / pl.col("denominator"),
            "complaint_id",
            descending=[True, True, False],
        )
    )
    if candidates.is_empty():
        raise ValueError("no complaint of the portals' customers for a PPM disagreement")
    return candidates.head(1).select(
        "customer", "month", kpi=pl.lit("ppm"), extra=pl.col("defect_qty").cast(pl.Float64)
    )


def _status(portal: dict, cfg: dict, last: bool) -> pl.Expr:
    """The portal's verdict on a row: traffic lights on its own value, or a supplier level."""
    if portal["status"] == "controlled_shipping":
        return pl.lit("CS1" if last else "正常")
    ppm_green, ppm_yellow = cfg["ppm_status"]
    otd_green, otd_yellow = cfg["otd_status"]
    value, ppm = pl.col("value"), pl.col("kpi") == "ppm"
    green = pl.when(ppm).then(value <= ppm_green).otherwise(value >= otd_green)
    yellow = pl.when(ppm).then(value <= ppm_yellow).otherwise(value >= otd_yellow)
    return (
        pl.when(green)
        .then(pl.lit("green"))
        .when(yellow)
        .then(pl.lit("yellow"))
        .otherwise(pl.lit("red"))
    )


def demo_scorecards(
    loop: dict,
    complaints: pl.DataFrame,
    deliveries: pl.DataFrame,
    causes: pl.DataFrame,
    cal: Calendar,
) -> pl.DataFrame:
    """One row per portal customer, month of the portals' window and kpi (ppm, otd)."""
    cfg = loop["scorecards"]
    portals = {p["customer"]: p for p in cfg["portals"]}
    window = cal.starts[-cfg["months"] :]
    ours = customer_kpis(complaints, deliveries, causes).filter(
        pl.col("customer").is_in(list(portals)),
        pl.col("month").is_in(pl.Series(window).cast(pl.Date).implode()),
    )
    late = cfg["disagreements"]["otd"]
    otd_gap = pl.DataFrame(
        {
            "customer": [late["customer"]],
            "month": [date.fromisoformat(f"{late['month']}-01")],
            "kpi": ["otd"],
            "extra": [-float(late["lines"])],
        }
    )
    gaps = pl.concat([_ppm_disagreement(complaints, causes, ours), otd_gap])
    if gaps.join(ours, on=["customer", "month", "kpi"]).height != gaps.height:
        raise ValueError(f"a planned scorecard disagreement is outside the portals: {gaps}")
    scale = pl.when(pl.col("kpi") == "ppm").then(PPM_SCALE).otherwise(100.0)
    value = (pl.col("numerator") + pl.col("extra").fill_null(0)) / pl.col("denominator") * scale
    portal_value = pl.when(pl.col("kpi") == "ppm").then(value.round(0)).otherwise(value.round(1))
    reported = (
        ours.join(gaps, on=["customer", "month", "kpi"], how="left")
        .with_columns(value=portal_value)
        .sort(
            pl.col("customer").replace_strict(list(portals), range(len(portals))),
            "month",
            pl.col("kpi") == "otd",  # PPM first, as the portals list them
        )
    )
    last_month = pl.col("month") == pl.lit(window[-1]).cast(pl.Date)
    return pl.concat(
        [
            part.with_columns(
                status=pl.when(last_month)
                .then(_status(portals[name], cfg, last=True))
                .otherwise(_status(portals[name], cfg, last=False))
            )
            for (name,), part in reported.partition_by(
                "customer", as_dict=True, maintain_order=True
            ).items()
        ]
    ).select("customer", "month", "kpi", "value", "status")
