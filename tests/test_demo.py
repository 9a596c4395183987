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
from pipelines.demo import demo_frames, write_demo_inbox
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


def test_inbox_holds_the_five_sources_in_their_formats(inbox: Path) -> None:
    assert sorted(p.name for p in inbox.iterdir()) == sorted(SOURCES)
    quarters = ["2024-Q4"] + [f"{y}-Q{q}" for y in (2025, 2026) for q in range(1, 5)]
    expected = {
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
        assert frame[get_source(key).key].is_unique().all(), key


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
    # 2026-01 .. 2030-12: five years of twelve months.
    assert months.len() == 60 and months[0] == "2026-01" and months[-1] == "2030-12"
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
