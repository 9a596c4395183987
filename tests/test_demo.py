"""The demo data set and the scaled benchmark data: determinism, file formats, realism.

Ranges asserted here are the ones the demo promises (SPEC §6 and the demo's design notes);
KPIs are recomputed in the test from the generated frames with the SPEC §4 formulas.
"""

from __future__ import annotations

import hashlib
import time
from datetime import date, timedelta
from pathlib import Path

import polars as pl
import pytest
from python_calamine import CalamineWorkbook

from bench.data import write_scaled, write_scaled_month
from pipelines.demo import (
    STRICT_DEADLINE_CUSTOMER,
    STRICT_DEADLINE_DAYS,
    demo_frames,
    write_demo_inbox,
)
from pipelines.ingest import read_file
from pipelines.settings import read_causes
from pipelines.sources import SOURCES, get_source

ROOT = Path(__file__).resolve().parents[1]
# 24 months, 2024-11 to 2026-10: two in 2024, twelve in 2025, ten in 2026.
MONTHS = ["2024-11", "2024-12"] + [f"2025-{m:02d}" for m in range(1, 13)]
MONTHS += [f"2026-{m:02d}" for m in range(1, 11)]


def _digests(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def inbox(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo") / "inbox"
    started = time.perf_counter()
    write_demo_inbox(folder)
    # "A few seconds at most"; generous for a loaded machine.
    assert time.perf_counter() - started < 15
    return folder


@pytest.fixture(scope="module")
def frames() -> dict[str, pl.DataFrame]:
    return demo_frames()


def _rows(path: Path) -> list[list]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()


def _month(column: str) -> pl.Expr:
    return pl.col(column).dt.strftime("%Y-%m").alias("month")


# --- determinism and layout -------------------------------------------------------------


def test_same_seed_writes_the_same_bytes(inbox: Path, tmp_path: Path) -> None:
    again = tmp_path / "inbox"
    paths = write_demo_inbox(again)
    assert _digests(again) == _digests(inbox)
    assert len(paths) == len(_digests(inbox))


def test_another_seed_writes_other_data(inbox: Path, tmp_path: Path) -> None:
    other = tmp_path / "inbox"
    write_demo_inbox(other, seed=1)
    first, second = _digests(inbox), _digests(other)
    assert first.keys() == second.keys()
    assert first["deliveries/2026-10.csv"] != second["deliveries/2026-10.csv"]


def test_inbox_holds_every_source_in_its_format(inbox: Path) -> None:
    assert sorted(p.name for p in inbox.iterdir()) == sorted(SOURCES)
    quarters = ["2024-Q4"] + [f"{y}-Q{q}" for y in (2025, 2026) for q in range(1, 5)]
    expected = {
        # the 8D tracker: a workbook a year; the cost ledger quarterly like freight
        "actions": ["2024.xlsx", "2025.xlsx", "2026.xlsx"],
        "quality_costs": [f"{q}.csv" for q in quarters[:9]],
        "risks": ["风险和机遇登记表.xlsx"],
        "customer_scorecards": sorted(
            ["申达SQM门户.xlsx", "津泰供应商绩效.csv", "吉通供应商评分卡.xlsx", "穗丰质量月报.csv"]
        ),
        "complaints": [f"{m}.xlsx" for m in MONTHS],
        "deliveries": [f"{m}.csv" for m in MONTHS],
        # 2024-Q4 to 2026-Q4: nine quarters touch the 24 months.
        "freight": [f"{q}.csv" for q in quarters[:9]],
        # June and December: 2024-12, 2025-06, 2025-12, 2026-06.
        "surveys": ["2024-12.xlsx", "2025-06.xlsx", "2025-12.xlsx", "2026-06.xlsx"],
        # Checked in the last week of each quarter: 2024-Q4 .. 2026-Q3, eight quarters.
        "property_checks": [f"{q}.parquet" for q in quarters[:8]],
    }
    for source, names in expected.items():
        assert sorted(p.name for p in (inbox / source).iterdir()) == names, source


# --- file formats ---------------------------------------------------------------------


def test_deliveries_are_gbk_csv_with_chinese_headers(inbox: Path) -> None:
    raw = (inbox / "deliveries" / "2026-10.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    text = raw.decode("gbk")
    lines = text.split("\r\n")
    header = lines[0].split(",")
    source = get_source("deliveries")
    assert len(header) == len(source.columns)
    for name, column in zip(header, source.columns, strict=True):
        assert name in column.aliases
    first = lines[1].split(",")
    assert first[0].startswith("SH202610")
    # Chinese Excel writes dates without zero padding: 2026/10/3.
    assert first[4].startswith("2026/10/")
    assert "-" not in first[4]


def test_freight_is_bom_csv_with_thousands_separators(inbox: Path) -> None:
    raw = (inbox / "freight" / "2026-Q1.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    frame = pl.read_csv(raw[3:], infer_schema=False)
    assert frame.columns[:5] == ["运单号", "发货日期", "客户", "运费", "是否超额"]
    assert set(frame["是否超额"]) == {"是", "否"}
    amounts = frame["运费"]
    assert amounts.str.contains(r"^\d{1,3}(,\d{3})*\.\d{2}$").all()
    assert amounts.str.contains(",").any()


def test_complaint_workbooks_carry_title_filler_and_total(inbox: Path) -> None:
    for month in ("2024-11", "2026-10"):
        rows = _rows(inbox / "complaints" / f"{month}.xlsx")
        year, number = int(month[:4]), int(month[5:])
        assert rows[0][0] == f"售后问题{year}年{number}月份汇总表"
        assert rows[1][0].startswith("填表人: 张工  填表时间: ")
        header = rows[2]
        assert header[:2] == ["客诉编号", "接收日期"]
        qty_col = header.index("不良数量")
        data, total = rows[3:-1], rows[-1]
        assert total[0] == "合计"
        assert total[qty_col] == sum(r[qty_col] for r in data if r[0])


def test_complaint_dates_mix_excel_cells_and_typed_text(inbox: Path) -> None:
    cells = [
        row[1]
        for month in MONTHS
        for row in _rows(inbox / "complaints" / f"{month}.xlsx")[3:-1]
        if row[0]
    ]
    kinds = {type(c).__name__ for c in cells}
    assert {"date", "str"} <= kinds
    typed = [c for c in cells if isinstance(c, str)]
    assert any("年" in c for c in typed) and any("/" in c for c in typed)
    assert sum(isinstance(c, date) for c in cells) > len(cells) / 2


def test_surveys_mix_option_texts_and_numbers(inbox: Path) -> None:
    speeds = set()
    for name in ("2024-12.xlsx", "2025-06.xlsx"):
        rows = _rows(inbox / "surveys" / name)
        assert rows[1][:4] == ["问卷编号", "调查日期", "客户", "服务质量评分"]
        speeds |= {r[rows[1].index("响应速度")] for r in rows[2:]}
    options = set(get_source("surveys").column("response_speed").choices)
    assert speeds & options  # one wave answers with the form's texts
    assert any(isinstance(s, float) for s in speeds)  # the other with numbers 1-4


def test_property_checks_are_parquet_with_english_headers(inbox: Path) -> None:
    frame = pl.read_parquet(inbox / "property_checks" / "2025-Q2.parquet")
    assert frame.columns == get_source("property_checks").column_names
    assert frame.schema["check_date"] == pl.Date
    assert (frame["qty_intact"] <= frame["qty_checked"]).all()


# --- planned bad rows -------------------------------------------------------------------


def test_planned_bad_rows_are_in_the_files(inbox: Path) -> None:
    march = (inbox / "deliveries" / "2025-03.csv").read_bytes().decode("gbk")
    assert ",2025/2/30," in march
    september = (inbox / "deliveries" / "2025-09.csv").read_bytes().decode("gbk")
    assert ",-40," in september

    freight = pl.read_csv(inbox / "freight" / "2025-Q2.csv", infer_schema=False)
    repeated = freight.filter(pl.col("运单号").is_duplicated())
    assert repeated.height == 2
    assert repeated["运费"].n_unique() == 2  # not an identical repeat: both are held back

    survey = _rows(inbox / "surveys" / "2025-12.xlsx")
    assert [r[3] for r in survey[2:]].count(11) == 1

    july = _rows(inbox / "complaints" / "2025-07.xlsx")
    assert sum(1 for r in july[3:-1] if r[0] and not r[2]) == 1
    january = _rows(inbox / "complaints" / "2026-01.xlsx")
    empty = [i for i, r in enumerate(january[3:-1]) if not any(r)]
    assert len(empty) == 1 and 0 < empty[0] < len(january) - 5


def test_hostile_markup_is_kept_verbatim(inbox: Path) -> None:
    rows = _rows(inbox / "complaints" / "2026-10.xlsx")
    column = rows[2].index("问题描述")
    texts = " ".join(str(r[column]) for r in rows[3:])
    assert "<img src=x onerror=alert(1)>" in texts
    assert "<script>alert('x')</script>" in texts


# --- realism of the generated frames ----------------------------------------------------


def test_every_source_stays_inside_the_fixed_calendar(frames: dict[str, pl.DataFrame]) -> None:
    dates = {
        "complaints": "received_date",
        "deliveries": "ship_date",
        "freight": "ship_date",
        "surveys": "survey_date",
        "property_checks": "check_date",
        "actions": "opened_date",
        "quality_costs": "cost_date",
        "customer_scorecards": "month",
    }
    for source, column in dates.items():
        months = frames[source].select(_month(column))["month"]
        assert months.min() >= "2024-11" and months.max() <= "2026-10", source
    for source in ("complaints", "deliveries", "freight"):
        assert sorted(frames[source].select(_month(dates[source]))["month"].unique()) == MONTHS


def test_monthly_volumes_are_in_range(frames: dict[str, pl.DataFrame]) -> None:
    def per_month(source: str, column: str) -> pl.Series:
        return frames[source].group_by(_month(column)).len()["len"]

    lines = per_month("deliveries", "ship_date")
    assert lines.min() >= 2500 and lines.max() <= 3500
    assert frames["deliveries"]["qty"].min() >= 20 and frames["deliveries"]["qty"].max() <= 400
    complaints = per_month("complaints", "received_date")
    assert complaints.min() >= 20 and complaints.max() <= 60
    freight = per_month("freight", "ship_date")
    assert freight.min() >= 100 and freight.max() <= 200
    waves = per_month("surveys", "survey_date")
    assert waves.len() == 4 and waves.min() >= 8 and waves.max() <= 15
    assert frames["surveys"]["score"].is_between(6, 10).all()
    for key, frame in frames.items():
        assert frame.select(get_source(key).key_columns).is_unique().all(), key


def test_kpis_land_in_realistic_ranges(frames: dict[str, pl.DataFrame]) -> None:
    causes = read_causes(ROOT / "data" / "reference" / "causes.csv")
    complaints, deliveries = frames["complaints"], frames["deliveries"]
    responsible = causes.select(pl.col("code").alias("cause_code"), "supplier_responsible")
    defects = (
        complaints.join(responsible, on="cause_code")
        .filter(pl.col("supplier_responsible") & (pl.col("status") != "rejected"))
        .group_by(_month("received_date"))
        .agg(pl.col("defect_qty").sum())
    )
    shipped = deliveries.group_by(_month("ship_date")).agg(pl.col("qty").sum())
    ppm = defects.join(shipped, on="month").select(pl.col("defect_qty") / pl.col("qty") * 1e6)[
        "defect_qty"
    ]
    # Parts shipped ~500k a month; PPM mostly 100-300; the batch month may spike above.
    assert shipped["qty"].median() > 400_000
    assert ppm.is_between(100, 300).sum() >= 22
    assert (ppm > 200).sum() >= 3 and (ppm <= 200).sum() >= 12

    otd = deliveries.group_by(_month("promised_date")).agg(
        (pl.col("delivered_date") <= pl.col("promised_date")).fill_null(False).mean() * 100
    )
    # The promised month after the last ship month (2026-11) is not a reporting month.
    otd = otd.filter(pl.col("month") <= "2026-10")["delivered_date"]
    assert otd.min() >= 96 and otd.max() <= 99.5

    freight = frames["freight"].filter("premium").group_by(_month("ship_date"))
    premium = freight.agg(pl.col("amount").sum())["amount"]
    assert premium.len() == 24 and premium.min() >= 800 and premium.max() <= 3500
    assert (premium > 2000).any() and (premium <= 2000).any()

    on_time = complaints.group_by(_month("received_date")).agg(
        (pl.col("responded_date") <= pl.col("received_date") + timedelta(days=1))
        .fill_null(False)
        .mean()
        * 100
    )["responded_date"]
    assert on_time.min() >= 85 and on_time.max() == 100


def test_cause_mix_is_a_pareto_in_every_written_form(frames: dict[str, pl.DataFrame]) -> None:
    complaints = frames["complaints"]
    counts = complaints["cause_code"].value_counts(sort=True)
    total = complaints.height
    # A few causes dominate: the top four carry at least half; a long tail of 15+ causes.
    assert counts["count"].head(4).sum() >= total / 2
    assert counts.height >= 15
    written = complaints.filter(pl.col("cause_code") == "warehouse_shipping")["cause"]
    assert "仓库出货错误" in written.to_list() or "warehouse_shipping" in written.to_list()
    pending = complaints.filter(pl.col("cause_code") == "pending")
    assert pending.height > 0 and (pending["cause"] == "").all()
    assert complaints["cause"].is_in(["accessory_damage", "cracking", "packaging"]).any()


def test_escalation_candidates_and_environmental_complaints(
    frames: dict[str, pl.DataFrame],
) -> None:
    complaints = frames["complaints"]
    assert 1 <= (complaints["defect_qty"] >= 100).sum() <= 2  # a rare batch problem
    # A repeat cluster: >= 3 complaints, same cause and part, received within 30 days.
    cluster = (
        complaints.sort("received_date")
        .rolling("received_date", period="30d", group_by=["cause_code", "part_no"])
        .agg(pl.len().alias("n"))
    )
    assert cluster["n"].max() >= 3
    # A recurrence: the same cause and part received within 90 days after a closed one.
    closed = complaints.filter(pl.col("status") == "closed").select(
        "cause_code", "part_no", pl.col("closed_date").alias("earlier_closed")
    )
    later = complaints.join(closed, on=["cause_code", "part_no"]).filter(
        (pl.col("received_date") > pl.col("earlier_closed"))
        & (pl.col("received_date") <= pl.col("earlier_closed") + timedelta(days=90))
    )
    assert later.height > 0
    environmental = complaints.filter("environmental").group_by(
        pl.col("received_date").dt.year(), pl.col("received_date").dt.quarter().alias("q")
    )
    per_quarter = environmental.len()["len"]
    assert per_quarter.len() >= 1 and per_quarter.max() == 1
    phases = set(complaints["phase"])
    assert phases == {"mass_production", "sample", "c_sample"}
    assert (complaints["phase"] == "mass_production").mean() > 0.85


def test_last_month_has_open_items(frames: dict[str, pl.DataFrame]) -> None:
    deliveries = frames["deliveries"]
    due_october = deliveries.filter(pl.col("promised_date").dt.strftime("%Y-%m") == "2026-10")
    assert due_october["delivered_date"].null_count() > 0
    october = frames["complaints"].filter(pl.col("received_date").dt.strftime("%Y-%m") == "2026-10")
    assert (october["status"] == "open").any()
    assert october["responded_date"].null_count() > 0
    assert (frames["complaints"]["status"] == "rejected").any()


def test_old_complaints_are_settled_but_a_couple(frames: dict[str, pl.DataFrame]) -> None:
    # The exports are taken on 2026-10-31; vocabulary.toml closes complaints older than 45 days
    # (received before 2026-09-16) except 2 long-running ones, which were answered.
    complaints = frames["complaints"]
    as_of = date(2026, 10, 31)
    old_open = complaints.filter(
        (pl.col("status") == "open") & (pl.col("received_date") < as_of - timedelta(days=45))
    )
    assert old_open.height == 2
    assert old_open["responded_date"].null_count() == 0
    assert old_open["closed_date"].null_count() == 2
    # Dates stay in order: received <= responded <= closed <= export day, for every closed one.
    closed = complaints.filter(pl.col("status") == "closed")
    assert closed["responded_date"].null_count() == 0 and closed["closed_date"].null_count() == 0
    assert (closed["received_date"] <= closed["responded_date"]).all()
    assert (closed["responded_date"] <= closed["closed_date"]).all()
    assert (closed["closed_date"] <= as_of).all()
    assert complaints.filter(pl.col("status") == "open")["closed_date"].null_count() == (
        complaints["status"] == "open"
    ).sum()


# --- closing the loop (SPEC §8): 8D, quality costs, risks, portal scorecards --------------

LOOP = ("actions", "quality_costs", "risks", "customer_scorecards")
# SPEC §8's default 8D deadlines, days after opened_date, and the strict customer's own.
DEADLINES = {"containment_date": 1, "root_cause_date": 10, "corrective_action_date": 30}
DEADLINES["closed_date"] = 60
STRICT = {"containment_date": 0, "closed_date": 45}
AS_OF = date(2026, 10, 31)


def _steps(frames: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """One row per action and step with its due date (the customer's own deadlines for the
    strict customer) and whether it was done by then, judged at the export day."""
    complaints = frames["complaints"].select("complaint_id", pl.col("customer").alias("linked"))
    actions = (
        frames["actions"]
        .join(complaints, on="complaint_id", how="left")
        .with_columns(pl.coalesce("customer", "linked").alias("of"))
    )
    rows = []
    for column, days in DEADLINES.items():
        strict = STRICT.get(column, days)
        due = pl.when(pl.col("of") == STRICT_DEADLINE_CUSTOMER).then(strict).otherwise(days)
        rows.append(
            actions.select(
                "action_id",
                "of",
                "opened_date",
                pl.lit(column).alias("step"),
                (pl.col("opened_date") + pl.duration(days=due)).alias("due"),
                pl.col(column).alias("done"),
            )
        )
    steps = pl.concat(rows)
    return steps.with_columns(on_time=(pl.col("done") <= pl.col("due")).fill_null(False))


def _our_customer_kpis(frames: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """PPM and OTD per customer and month from the frames, by SPEC §4's formulas."""
    def month(column: str) -> pl.Expr:
        return pl.col(column).dt.truncate("1mo").alias("month")

    causes = read_causes(ROOT / "data" / "reference" / "causes.csv")
    responsible = causes.select(pl.col("code").alias("cause_code"), "supplier_responsible")
    defects = (
        frames["complaints"]
        .join(responsible, on="cause_code")
        .filter(pl.col("supplier_responsible") & (pl.col("status") != "rejected"))
        .group_by("customer", month("received_date"))
        .agg(pl.col("defect_qty").sum())
    )
    deliveries = frames["deliveries"]
    shipped = deliveries.group_by("customer", month("ship_date")).agg(pl.col("qty").sum())
    ppm = shipped.join(defects, on=["customer", "month"], how="left").select(
        "customer",
        "month",
        pl.lit("ppm").alias("kpi"),
        (pl.col("defect_qty").fill_null(0) / pl.col("qty") * 1e6).alias("ours"),
        pl.col("qty").alias("shipped"),
    )
    on_time = (pl.col("delivered_date") <= pl.col("promised_date")).fill_null(False)
    otd = deliveries.group_by("customer", month("promised_date")).agg(
        pl.lit("otd").alias("kpi"), (on_time.mean() * 100).alias("ours"), pl.len().alias("lines")
    )
    return pl.concat([ppm, otd], how="diagonal_relaxed")


def test_loop_frames_are_deterministic() -> None:
    first, again, other = demo_frames(), demo_frames(), demo_frames(seed=1)
    for source in LOOP:
        assert first[source].equals(again[source]), source
    for source in ("actions", "quality_costs", "customer_scorecards"):
        assert not first[source].equals(other[source]), source


def test_8d_tracker_has_a_title_a_filler_line_and_chinese_headers(inbox: Path) -> None:
    rows = _rows(inbox / "actions" / "2026.xlsx")
    assert rows[0][0] == "2026年8D跟踪表"
    assert rows[1][0].startswith("填表人: 张工  填表时间: ")
    assert rows[2][:3] == ["8D编号", "发起日期", "客诉编号"]
    assert {"D3完成日期", "D4完成日期", "D6完成日期", "D8完成日期", "效果验证"} <= set(rows[2])
    for name, column in zip(rows[2], get_source("actions").columns, strict=True):
        assert name in column.aliases
    opened = [r[1] for r in rows[3:]]
    assert sum(isinstance(d, date) for d in opened) > len(opened) / 2
    assert any(isinstance(d, str) and "/" in d for d in opened)  # some typed by hand


def test_cost_ledger_is_gbk_csv_with_chinese_categories(inbox: Path) -> None:
    raw = (inbox / "quality_costs" / "2026-Q1.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    frame = pl.read_csv(raw.decode("gbk").encode(), infer_schema=False)
    assert frame.columns == ["费用编号", "日期", "类别", "金额", "客户", "客诉编号", "备注"]
    labels = get_source("quality_costs").column("category").choices
    assert set(frame["类别"]) <= {label for names in labels.values() for label in names}


def test_risk_register_and_portals_are_written_as_exported(inbox: Path) -> None:
    register = _rows(inbox / "risks" / "风险和机遇登记表.xlsx")
    assert register[0][0] == "风险和机遇登记表"
    header = ["编号", "类型", "过程", "风险/机遇描述", "严重度", "发生度", "风险值"]
    assert register[2][:7] == header
    seed = {r[0]: r[4:8] for r in register[3:]}
    assert seed["R12"] == [3, 2, 6, "较高"] and seed["R14"] == [3, 1, 3, "可接受"]

    portal = _rows(inbox / "customer_scorecards" / "申达SQM门户.xlsx")
    assert portal[1] == ["客户", "月份", "指标", "数值", "状态"]
    assert {r[2] for r in portal[2:]} == {"PPM", "OTD"}
    assert portal[2][1] == "2025年11月"
    raw = (inbox / "customer_scorecards" / "津泰供应商绩效.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    frame = pl.read_csv(raw[3:], infer_schema=False)
    assert frame["期间"][0] == "2025-11"
    otd = frame.filter(pl.col("指标") == "准时交付率")["结果"]
    assert otd.str.contains(r"^\d{2,3}\.\d%$").all()


def test_most_complaints_get_an_8d_opened_within_two_days(
    frames: dict[str, pl.DataFrame],
) -> None:
    actions, complaints = frames["actions"], frames["complaints"]
    linked = actions.join(complaints, on="complaint_id", suffix="_complaint")
    counted = complaints.filter(pl.col("status") != "rejected")
    assert linked["complaint_id"].n_unique() >= 0.7 * counted.height
    assert linked.filter(pl.col("status") == "rejected").is_empty()
    lag = (linked["opened_date"] - linked["received_date"]).dt.total_days()
    assert lag.min() == 0 and lag.max() <= 2
    # The customer cell is mostly empty (it comes from the complaint); where given it agrees.
    given = linked.filter(pl.col("customer").is_not_null())
    assert given.height < 0.3 * linked.height
    assert (given["customer"] == given["customer_complaint"]).all()
    # A few actions answer a missed KPI or an audit: no complaint, their own customer.
    raised = actions.filter(pl.col("complaint_id").is_null())
    assert 3 <= raised.height <= 15 and raised["customer"].null_count() == 0
    # Steps in order and never before opened.
    dates = ["opened_date", *DEADLINES]
    for earlier, later in zip(dates, dates[1:], strict=False):
        gaps = actions.filter(pl.col(later).is_not_null())
        assert (gaps[later] >= gaps[earlier]).all(), later
    assert (actions.select(pl.max_horizontal(list(DEADLINES)))["containment_date"] <= AS_OF).all()


def test_8d_steps_are_mostly_on_time_some_late_the_last_ones_open(
    frames: dict[str, pl.DataFrame],
) -> None:
    steps = _steps(frames).filter(pl.col("due") <= AS_OF)
    share = steps.group_by("step").agg(pl.col("on_time").mean()).rows()
    on_time = dict(share)
    assert on_time["containment_date"] >= 0.9 and on_time["closed_date"] >= 0.8
    for step in DEADLINES:
        late = steps.filter((pl.col("step") == step) & ~pl.col("on_time"))
        assert late.height > 0, step
        assert late["done"].is_not_null().any(), step  # done, but after the deadline
    # Some steps are still open long after their due date.
    overdue = steps.filter(pl.col("done").is_null() & (pl.col("due") < date(2026, 9, 1)))
    assert overdue.height > 0
    # The last two months' actions are mostly not closed yet.
    recent = frames["actions"].filter(pl.col("opened_date") >= date(2026, 9, 1))
    assert recent["closed_date"].null_count() > 0.6 * recent.height
    assert frames["actions"]["effective"].null_count() > 0
    assert frames["actions"]["effective"].fill_null(True).not_().any()  # a D7 check failed


def test_the_strict_customer_is_timed_to_its_own_deadlines(
    frames: dict[str, pl.DataFrame],
) -> None:
    portals = frames["customer_scorecards"]["customer"].unique()
    assert STRICT_DEADLINE_CUSTOMER in portals.to_list()  # a key customer
    assert STRICT_DEADLINE_DAYS == {"d3_days": 0, "d8_days": 45}
    d3 = _steps(frames).filter(
        (pl.col("step") == "containment_date") & pl.col("done").is_not_null()
    ).with_columns(same_day=pl.col("done") == pl.col("opened_date"))
    strict = d3.filter(pl.col("of") == STRICT_DEADLINE_CUSTOMER)
    others = d3.filter(pl.col("of") != STRICT_DEADLINE_CUSTOMER)
    assert strict["same_day"].mean() >= 0.8 > others["same_day"].mean()
    # Late by its own deadline, though in time by the default one: the override matters.
    next_day = strict.filter(pl.col("done") == pl.col("opened_date") + timedelta(days=1))
    assert next_day.height > 0


def test_quality_costs_cover_every_category_in_plausible_amounts(
    frames: dict[str, pl.DataFrame],
) -> None:
    costs = frames["quality_costs"]
    categories = set(get_source("quality_costs").column("category").choices)
    assert set(costs["category"]) == categories
    # Nearly every month books every category but `other` (an entry for a complaint may be
    # booked in the month after it).
    for category in categories - {"other"}:
        months = costs.filter(pl.col("category") == category).select(_month("cost_date"))
        assert months["month"].n_unique() >= 21, category
    monthly = costs.group_by(_month("cost_date")).agg(pl.col("amount").sum())["amount"]
    assert monthly.len() == 24 and monthly.min() >= 1_000 and monthly.max() <= 80_000
    assert (costs["amount"] > 0).all()
    # Entries for a complaint carry its customer and come after it was received.
    linked = costs.join(frames["complaints"], on="complaint_id", suffix="_complaint")
    assert linked.height == costs["complaint_id"].drop_nulls().len() > 0.2 * costs.height
    assert (linked["customer"] == linked["customer_complaint"]).all()
    assert (linked["cost_date"] > linked["received_date"]).all()
    assert linked.filter(pl.col("status") == "rejected").is_empty()


def test_risk_register_starts_from_the_seed_rows(frames: dict[str, pl.DataFrame]) -> None:
    risks = frames["risks"]
    by_id = {row["risk_id"]: row for row in risks.iter_rows(named=True)}
    rated = {k: (v["kind"], v["severity"], v["likelihood"], v["level"]) for k, v in by_id.items()}
    # The seed: R12 "3 2 6 较高", R13 "3 2 6 较高", R14 "3 1 3 可接受"; O1 rated 2 x 3 中.
    assert rated["R12"] == ("risk", 3, 2, "较高")
    assert rated["R13"] == ("risk", 3, 2, "较高")
    assert rated["R14"] == ("risk", 3, 1, "可接受")
    assert rated["O1"][:1] == ("opportunity",)
    assert by_id["R12"]["description"].startswith("未把客户的出货包装、标识要求及时、完整地传达")
    assert "送货单错误、标签错误" in by_id["R13"]["description"]
    assert by_id["R14"]["description"].startswith("运输过程中产品防护不够")
    assert by_id["R14"]["measures"].startswith("做好包装防护的验证")
    assert by_id["O1"]["description"].startswith("交期短")
    assert by_id["O1"]["measures"].startswith("利用交期优势")
    assert "《产品出货要求清单》" in by_id["R12"]["measures"]
    assert 10 <= risks.filter(pl.col("kind") == "risk").height <= 15
    assert risks.filter(pl.col("kind") == "risk")["causes"].str.len_chars().min() > 0


def test_one_low_risk_keeps_drawing_complaints(
    inbox: Path, frames: dict[str, pl.DataFrame]
) -> None:
    causes = read_causes(ROOT / "data" / "reference" / "causes.csv")
    register = read_file(inbox / "risks" / "风险和机遇登记表.xlsx", causes=causes)
    linked = register.frame.filter(pl.col("kind") == "risk")
    # Every piece of every risk's causes is a cause of the taxonomy.
    assert linked["cause_codes"].list.len().min() >= 1
    assert register.frame["unmatched_causes"].null_count() == register.frame.height
    low = linked.filter(pl.col("severity") * pl.col("likelihood") <= 4)
    assert low["risk_id"].to_list() == ["R14"]
    codes = low["cause_codes"][0].to_list()
    recent = frames["complaints"].filter(
        (pl.col("received_date") >= date(2026, 8, 1))
        & (pl.col("status") != "rejected")
        & pl.col("cause_code").is_in(codes)
    )
    assert recent.height >= 3


def test_scorecards_agree_with_our_kpis_but_the_planned_two(
    frames: dict[str, pl.DataFrame],
) -> None:
    cards = frames["customer_scorecards"]
    assert 3 <= cards["customer"].n_unique() <= 4
    assert cards["month"].n_unique() == 12 and cards["month"].max() == date(2026, 10, 1)
    compared = cards.join(_our_customer_kpis(frames), on=["customer", "month", "kpi"])
    assert compared.height == cards.height
    compared = compared.with_columns(gap=pl.col("value") - pl.col("ours"))
    # Rounded as a portal rounds: PPM to an integer, OTD to one decimal.
    rounding = pl.when(pl.col("kpi") == "ppm").then(0.5).otherwise(0.05) + 1e-9
    off = compared.filter(pl.col("gap").abs() > rounding)
    assert sorted(off["kpi"]) == ["otd", "ppm"]
    ppm = off.filter(pl.col("kpi") == "ppm").row(0, named=True)
    assert ppm["gap"] > 10  # far outside the 10-point tolerance
    # ... by a complaint we rejected: the portal counts it.
    rejected = frames["complaints"].filter(
        (pl.col("status") == "rejected")
        & (pl.col("customer") == ppm["customer"])
        & (pl.col("received_date").dt.truncate("1mo") == ppm["month"])
    )
    moved = rejected["defect_qty"] / ppm["shipped"] * 1e6
    assert ((moved - ppm["gap"]).abs() <= 0.5 + 1e-9).any()
    otd = off.filter(pl.col("kpi") == "otd").row(0, named=True)
    assert (otd["customer"], otd["month"]) == ("天津津泰汽车零部件有限公司", date(2026, 7, 1))
    assert otd["gap"] < -0.5
    # Statuses as portals give them; one customer under controlled shipping in the last month.
    last = cards.filter(pl.col("month") == date(2026, 10, 1))
    assert last.filter(pl.col("status") == "CS1")["customer"].n_unique() == 1
    assert set(cards["status"]) <= {"green", "yellow", "red", "正常", "CS1"}
    assert {"green", "red"} <= set(cards["status"])


def test_planned_bad_rows_of_the_loop_files(inbox: Path) -> None:
    tracker = _rows(inbox / "actions" / "2025.xlsx")
    opened, d3 = tracker[2].index("发起日期"), tracker[2].index("D3完成日期")
    early = [r for r in tracker[3:] if r[d3] == "2025/1/20"]
    assert len(early) == 1 and early[0][opened] > date(2025, 1, 20)
    ledger = (inbox / "quality_costs" / "2025-Q3.csv").read_bytes().decode("gbk")
    assert ",-587.00," in ledger
    register = _rows(inbox / "risks" / "风险和机遇登记表.xlsx")
    assert [r[0] for r in register[3:] if r[4] == 7] == ["R23"]


# --- scaled benchmark data --------------------------------------------------------------


def test_scaled_files_are_deterministic_and_chunk_safe(tmp_path: Path) -> None:
    sizes = {"deliveries": 25_000, "complaints": 900, "freight": 1_300, "surveys": 120}
    first = write_scaled(tmp_path / "a", **sizes, chunk_rows=7_000)
    write_scaled(tmp_path / "b", **sizes, chunk_rows=7_000)
    assert _digests(tmp_path / "a") == _digests(tmp_path / "b")

    for source, path in first.items():
        frame = pl.read_csv(path, try_parse_dates=True)
        assert frame.height == sizes[source]
        assert set(frame.columns) <= set(get_source(source).column_names)
        key = get_source(source).key
        assert frame[key].is_unique().all()
    deliveries = pl.read_csv(first["deliveries"], try_parse_dates=True)
    assert deliveries.schema["ship_date"] == pl.Date
    months = deliveries.select(_month("ship_date"))["month"].unique().sort()
    # 2021-01 .. 2025-12: five years of twelve months.
    assert months.len() == 60 and months[0] == "2021-01" and months[-1] == "2025-12"
    # 25,000 lines over 60 months ≈ 417 a month; seasonal weights stay within ±20 %.
    per_month = deliveries.group_by(_month("ship_date")).len()["len"]
    assert per_month.min() > 417 * 0.8 and per_month.max() < 417 * 1.2
    # IDs number the lines within each month 1..n across chunk boundaries.
    seq = deliveries.select(
        _month("ship_date"), pl.col("delivery_id").str.slice(7).cast(pl.Int64).alias("seq")
    )
    check = seq.group_by("month").agg(pl.col("seq").max(), pl.len())
    assert (check["seq"] == check["len"]).all()


def test_scaled_month_adds_new_keys(tmp_path: Path) -> None:
    main = write_scaled(tmp_path, deliveries=3_000, complaints=100, freight=200, surveys=30)
    extra = write_scaled_month(
        tmp_path, month="2031-01", deliveries=2_000, complaints=50, freight=80, surveys=10
    )
    assert extra["deliveries"].name == "deliveries_2031-01.csv"
    for source in main:
        key = get_source(source).key
        before = pl.read_csv(main[source], infer_schema=False)[key]
        after = pl.read_csv(extra[source], infer_schema=False)
        assert not after[key].is_in(before.implode()).any()
    added = pl.read_csv(extra["deliveries"], try_parse_dates=True)
    assert added.height == 2_000
    assert (added["ship_date"].dt.strftime("%Y-%m") == "2031-01").all()
