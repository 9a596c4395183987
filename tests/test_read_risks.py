"""The risk and opportunity register: the seed's rows R12 and R14, causes split and matched
against the taxonomy, and re-mapped when the taxonomy changes. CSV lines: 1 is the header."""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl
from loop_support import counts, ingest_one, project, query, warnings, write_lines

from pipelines.ingest import read_file
from pipelines.settings import read_causes
from pipelines.warehouse.remap import remap_risk_causes

CAUSES = read_causes(Path(__file__).parents[1] / "data" / "reference" / "causes.csv")
LINES = [
    "编号,类型,过程,风险/机遇描述,严重度,发生度,风险值,风险等级,关联原因,应对措施,责任部门",
    # 2 the seed's R12 "3 2 6 较高"; two causes, the first a name holding 、 itself
    "R12,风险,售后服务,未把客户的出货包装、标识要求及时、完整地传达至公司内部,3,2,6,较高,"
    '"仓库出货错误(错发、漏发)、生产部包装错误",形成《产品出货要求清单》,市场部',
    # 3 the seed's R14 "3 1 3 可接受"; full-width ； and a name holding 、
    "R14,风险,售后服务,运输过程中产品防护不够，导致品质问题,3,1,3,可接受,"
    "物流原因；粗糙、起毛、不平整,做好包装防护的验证,储运部",
    # 4 an opportunity without causes
    "O1,机遇,售后服务,交期短，配合好,2,3,6,中,,利用交期优势，赢得客户,市场部",
    # 5 kind empty (risk); causes over a line break, 螺丝松动 not in the taxonomy -> warning
    'R15,,售后服务,送货延误,2,2,4,可接受,"送货不当\n螺丝松动、开裂",,储运部',
    # 6 severity 高 is no number -> quarantined
    "R16,风险,售后服务,描述,高,2,,,,,",
    # 7 likelihood 0 is below 1 -> quarantined
    "R17,风险,售后服务,描述,2,0,,,,,",
]
# Rows start on lines 2, 3, 4, 5, 7, 8: R15's cause cell holds a line break.


def write_register(tmp_path: Path) -> Path:
    return write_lines(tmp_path / "风险机遇登记表.csv", LINES, encoding="utf-8-sig")


def test_the_seed_rows_keep_their_rating_and_split_their_causes(tmp_path: Path) -> None:
    batch = read_file(write_register(tmp_path), causes=CAUSES)
    assert batch.source.name == "risks"
    # 风险值 (the score) is not a column of the register: reported, kept out.
    assert batch.unknown_columns == ["风险值"]
    rows = batch.frame.select(
        "risk_id", "kind", "severity", "likelihood", "level", "cause_codes"
    ).rows()
    assert rows[:4] == [
        ("R12", "risk", 3, 2, "较高", ["warehouse_shipping", "packaging"]),
        ("R14", "risk", 3, 1, "可接受", ["logistics", "rough_surface"]),
        ("O1", "opportunity", 2, 3, "中", []),
        ("R15", "risk", 2, 2, "可接受", ["delivery_handling", "cracking"]),
    ]
    # The text is stored as written.
    assert batch.frame["causes"][1] == "物流原因；粗糙、起毛、不平整"


def test_rows_read_are_loaded_quarantined_or_skipped(tmp_path: Path) -> None:
    settings = project(tmp_path)
    outcome = ingest_one(settings, write_register(tmp_path))
    # 6 read = 4 loaded (R12, R14, O1, R15) + 2 quarantined (R16, R17) + 0 skipped;
    # 1 row warned (R15's unknown piece; the unknown column is a file-level finding).
    assert counts(outcome) == (6, 4, 2, 0, 1)
    seed = "select risk_id, cause_codes from risks where risk_id in ('R12', 'R14') order by 1"
    assert query(settings, seed) == [
        ("R12", ["warehouse_shipping", "packaging"]), ("R14", ["logistics", "rough_surface"])
    ]
    assert warnings(settings, "risks") == [
        (5, "R15", "causes", "not_in_taxonomy", "螺丝松动"),
        (None, None, "风险值", "unknown_column", None),
    ]
    assert query(
        settings, "select row_number, reasons from quarantine where source = 'risks' order by 1"
    ) == [
        (7, 'severity: unparseable number "高"'),
        (8, 'likelihood: out of range "0", must be between 1 and 5'),
    ]


def test_a_new_alias_links_stored_risks_to_their_cause(tmp_path: Path) -> None:
    settings = project(tmp_path)
    ingest_one(settings, write_register(tmp_path))
    # 螺丝松动 becomes an alias of assembly: only R15 changes, its codes in text order.
    causes = CAUSES.with_columns(
        aliases=pl.when(pl.col("code") == "assembly")
        .then(pl.col("aliases") + "|螺丝松动")
        .otherwise(pl.col("aliases"))
    )
    with duckdb.connect(str(settings.warehouse)) as con:
        assert remap_risk_causes(con, causes) == 1
        assert remap_risk_causes(con, causes) == 0  # nothing left to change
    assert query(settings, "select cause_codes from risks where risk_id = 'R15'") == [
        (["delivery_handling", "assembly", "cracking"],)
    ]
