"""The seed document's own table, 售后问题9月份汇总分析表 (2014), rebuilt from raw exports.

September's 12 cases are an XLSX as the after-sales desk keeps it (title row, 填表人 line,
Chinese headers, a 合计 row); August's 22 a GBK CSV. Each case's cause is written the way the
seed names it. The expected table is the seed's, row by row:

    cause (item)                     Sep  Aug   Sep case notes
    6  生产部包装错误 packaging        1    3    北京: 床箱缺少立板一块
    9  设计原因 design                 1    1    西安: 309U型几设计不合理
    10 制作原因 manufacturing          0    1
    11 选料不当 material_selection     0    2
    12 粗糙、起毛、不平整              1    2    上海: 513餐椅补丁太明显
    13 开裂 cracking                   2    3    淄博: 721书桌面开裂 / 西安: 719电脑桌桌面开裂
    15 色差 color_difference           1    0    上海: 538椅子靠背样板颜色差别大
    17 尺寸错误 dimension              1    1    西安: 708书柜抽屉盒尺寸大
    19 配件损坏 accessory_damage       1    3    北京: 731转椅轮子损坏
    20 物流原因 logistics              1    1    淮南: 108-3衣柜(4-4)件缺失
    21 外协原因-制作错误               1    4    潍坊: 309沙发样品同发出的货坐感不一样
    22 外协原因-五金件                 1    0    上海: 164床头的五金件损坏
    23 客户造成 customer_caused        1    1    天津: 订做529酒柜的左右边板
    合计                              12   22
One September description carries hostile markup; the pack must show it as text.
"""

from __future__ import annotations

from datetime import date

import pytest
import xlsxwriter
from kpi_support import make_project, read_only

from pipelines.ingest_pipeline import ingest_paths
from pipelines.metrics.cause_summary import cause_summary_table

HOSTILE = "<img src=x onerror=window.__pwned=1><script>window.__pwned=2</script>"

SEPTEMBER = [  # (city, cause as written, description)
    ("北京", "生产部包装错误", "床箱缺少立板一块"),
    ("西安", "设计原因", "309U型几设计不合理"),
    ("上海", "粗糙、起毛、不平整", "513餐椅补丁太明显" + HOSTILE),
    ("淄博", "开裂", "721书桌面开裂"),
    ("西安", "开裂", "719电脑桌桌面开裂"),
    ("上海", "色差", "538椅子靠背样板颜色差别大"),
    ("西安", "尺寸错误", "708书柜抽屉盒尺寸大"),
    ("北京", "配件损坏", "731转椅轮子损坏"),
    ("淮南", "物流原因", "108-3衣柜(4-4)件缺失"),
    ("潍坊", "外协原因-制作错误", "309沙发样品同发出的货坐感不一样"),
    ("上海", "五金件", "164床头的五金件损坏"),
    ("天津", "客户造成", "订做529酒柜的左右边板"),
]
AUGUST = {  # cause as written -> cases
    "生产部包装错误": 3, "设计原因": 1, "制作原因": 1, "选料不当": 2, "粗糙、起毛、不平整": 2,
    "开裂": 3, "尺寸错误": 1, "配件损坏": 3, "物流原因": 1, "外协原因-制作错误": 4, "客户造成": 1,
}
EXPECTED = {  # cause code -> (September, August)
    "packaging": (1, 3), "design": (1, 1), "manufacturing": (0, 1),
    "material_selection": (0, 2), "rough_surface": (1, 2), "cracking": (2, 3),
    "color_difference": (1, 0), "dimension": (1, 1), "accessory_damage": (1, 3),
    "logistics": (1, 1), "outsourced_manufacturing": (1, 4), "outsourced_hardware": (1, 0),
    "customer_caused": (1, 1),
}
HEADER = ["项次", "投诉编号", "投诉日期", "客户名称", "城市", "产生原因", "案例", "件数"]


def write_september(path) -> None:
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("9月")
    sheet.write_row(0, 0, ["售后问题9月份汇总分析表"])
    sheet.write_row(1, 0, ["填表人:", "", "填表时间:2014年10月1日"])
    sheet.write_row(2, 0, HEADER)
    for i, (city, cause, text) in enumerate(SEPTEMBER, start=1):
        day = f"2014年9月{i + 2}日"
        sheet.write_row(2 + i, 0, [i, f"S{i:03d}", day, f"{city}经销商", city, cause, text, 1])
    sheet.write_row(3 + len(SEPTEMBER), 0, ["合计", "", "", "", "", "", "", len(SEPTEMBER)])
    book.close()


def write_august(path) -> None:
    lines = [",".join(HEADER)]
    n = 0
    for cause, cases in AUGUST.items():
        for _ in range(cases):
            n += 1
            lines.append(f"{n},A{n:03d},2014/8/{n},客户{n},北京,{cause},旧件,1")
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("gbk"))


@pytest.fixture(scope="module")
def seed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("seed")
    settings = make_project(folder)
    write_september(folder / "2014-09.xlsx")
    write_august(folder / "2014-08.csv")
    outcomes = ingest_paths(settings, [folder / "2014-08.csv", folder / "2014-09.xlsx"])
    # August: 22 data rows; September: 12 data rows + the 合计 row, skipped.
    assert [(o.rows_read, o.rows_loaded, o.rows_skipped) for o in outcomes] == [
        (22, 22, 0),
        (13, 12, 1),
    ]
    return settings


def test_summary_table_is_the_seeds(seed):
    with read_only(seed) as con:
        table = cause_summary_table(con, date(2014, 9, 1))
    by_code = {r["cause_code"]: r for r in table.to_dicts()}
    for code, row in by_code.items():
        if code != "__total__":
            assert (row["this_month"], row["last_month"]) == EXPECTED.get(code, (0, 0)), code
    assert (by_code["__total__"]["this_month"], by_code["__total__"]["last_month"]) == (12, 22)
    assert by_code["cracking"]["notes"] == "淄博: 721书桌面开裂\n西安: 719电脑桌桌面开裂"
    assert by_code["outsourced_hardware"]["notes"] == "上海: 164床头的五金件损坏"


def test_causes_monthly_view_matches(seed):
    with read_only(seed) as con:
        rows = con.sql(
            "select cause_code, complaints from complaint_causes_monthly"
            " where month = '2014-09-01'"
        ).fetchall()
    assert dict(rows) == {code: sep for code, (sep, _) in EXPECTED.items() if sep}


def test_september_ppm_has_no_denominator(seed):
    # no delivery data at all: PPM and OTD are NULL (value and met), never 0 or infinite
    with read_only(seed) as con:
        rows = con.sql(
            "select kpi, value, met from kpi_scorecard"
            " where period_start = '2014-09-01' and kpi in ('ppm', 'otd')"
        ).fetchall()
    assert sorted(rows) == [("otd", None, None), ("ppm", None, None)]
