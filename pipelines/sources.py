"""The five input sources: their columns, types, aliases and keys.

This module is the single owner of column names. Readers, the quality gate, the warehouse
DDL and the demo generator all take names from here, so a renamed column changes in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Kind(StrEnum):
    """How a raw cell is parsed into a typed value."""

    TEXT = "text"
    DATE = "date"
    INT = "int"
    DECIMAL = "decimal"
    BOOL = "bool"
    ENUM = "enum"  # fixed codes, each with Chinese labels (see Column.choices)
    RATING = "rating"  # survey dimension 1-4, 4 best; also the form's option texts


@dataclass(frozen=True)
class Column:
    """One column of a source as users see it and as the warehouse stores it."""

    name: str
    kind: Kind
    required: bool = False
    aliases: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    # ENUM: code -> accepted labels; RATING: option texts best first (4, 3, 2, 1).
    choices: dict[str, tuple[str, ...]] | tuple[str, ...] = field(default_factory=tuple)
    default: str | None = None  # ENUM default code when the cell is empty

    @property
    def sql_type(self) -> str:
        return {
            Kind.TEXT: "VARCHAR",
            Kind.DATE: "DATE",
            Kind.INT: "BIGINT",
            Kind.DECIMAL: "DECIMAL(18,2)",
            Kind.BOOL: "BOOLEAN",
            Kind.ENUM: "VARCHAR",
            Kind.RATING: "TINYINT",
        }[self.kind]


@dataclass(frozen=True)
class Source:
    """A kind of export file: the columns it must and may carry and its natural key."""

    name: str
    key: str
    date_column: str  # the date a row is filed under: it places the row in a month
    columns: tuple[Column, ...]

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def required(self) -> list[Column]:
        return [c for c in self.columns if c.required]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"{self.name} has no column {name!r}")


_CUSTOMER = ("客户", "客户名称", "客户代码")

COMPLAINTS = Source(
    name="complaints",
    key="complaint_id",
    date_column="received_date",
    columns=(
        Column("complaint_id", Kind.TEXT, True, ("客诉编号", "投诉编号", "编号")),
        Column("received_date", Kind.DATE, True, ("接收日期", "投诉日期", "反馈日期")),
        Column("customer", Kind.TEXT, True, _CUSTOMER),
        Column("region", Kind.TEXT, False, ("地区", "城市", "区域")),
        Column("part_no", Kind.TEXT, False, ("产品编号", "型号", "产品型号", "料号")),
        Column("product", Kind.TEXT, False, ("产品名称", "品名")),
        Column(
            "phase",
            Kind.ENUM,
            False,
            ("阶段",),
            choices={
                "sample": ("样件", "sample"),
                "c_sample": ("C样", "c sample", "c_sample", "c-sample"),
                "mass_production": ("量产", "mass production", "mass_production"),
            },
            default="mass_production",
        ),
        Column("defect_qty", Kind.INT, True, ("不良数量", "数量", "件数"), minimum=0),
        Column("cause", Kind.TEXT, False, ("原因", "产生原因", "不良原因")),
        Column("description", Kind.TEXT, False, ("问题描述", "案例", "备注")),
        Column("environmental", Kind.BOOL, False, ("环境投诉", "有害物质")),
        Column("response_due", Kind.DATE, False, ("回复期限",)),
        Column("responded_date", Kind.DATE, False, ("回复日期",)),
        Column("closed_date", Kind.DATE, False, ("关闭日期", "结案日期")),
        Column(
            "status",
            Kind.ENUM,
            False,
            ("状态",),
            choices={
                "open": ("处理中", "open"),
                "closed": ("已关闭", "结案", "closed"),
                "rejected": ("无效", "驳回", "rejected"),
            },
        ),
        Column("claim_amount", Kind.DECIMAL, False, ("索赔金额",), minimum=0),
    ),
)

DELIVERIES = Source(
    name="deliveries",
    key="delivery_id",
    date_column="ship_date",
    columns=(
        Column("delivery_id", Kind.TEXT, True, ("送货单号", "交货单号", "单号")),
        Column("customer", Kind.TEXT, True, _CUSTOMER),
        Column("part_no", Kind.TEXT, False, ("产品编号", "型号", "料号")),
        Column("qty", Kind.INT, True, ("数量", "发货数量", "交货数量"), minimum=1),
        Column("ship_date", Kind.DATE, True, ("发货日期", "出货日期")),
        Column("promised_date", Kind.DATE, True, ("要求交期", "承诺交期", "计划交期")),
        Column("delivered_date", Kind.DATE, False, ("实际到货日期", "到货日期", "签收日期")),
    ),
)

FREIGHT = Source(
    name="freight",
    key="freight_id",
    date_column="ship_date",
    columns=(
        Column("freight_id", Kind.TEXT, True, ("运单号", "费用单号")),
        Column("ship_date", Kind.DATE, True, ("发货日期", "日期")),
        Column("customer", Kind.TEXT, True, ("客户",)),
        Column("amount", Kind.DECIMAL, True, ("金额", "运费", "费用"), minimum=0),
        Column("premium", Kind.BOOL, True, ("超额运费", "是否超额", "加急")),
        Column("reason", Kind.TEXT, False, ("原因",)),
        Column("mode", Kind.TEXT, False, ("运输方式",)),
    ),
)

_RATINGS: dict[str, tuple[str, tuple[str, ...]]] = {
    "response_speed": ("响应速度", ("快速响应", "响应适当", "响应较慢", "响应时间过长")),
    "resolution": (
        "问题解决效率",
        ("快速解决问题", "解决问题较慢", "解决问题不彻底", "问题没有得到解决"),
    ),
    "expertise": (
        "专业知识",
        ("专业知识全面且准确", "专业知识较为片面", "专业知识不足", "专业知识错误"),
    ),
    "attitude": (
        "服务态度",
        ("服务态度热情友好", "服务态度普通", "服务态度冷漠", "服务态度恶劣"),
    ),
    "clarity": (
        "解答清晰",
        ("解答内容清晰明了", "解答内容模糊", "解答内容错误", "解答内容不完整"),
    ),
    "follow_up": (
        "售后跟踪",
        ("售后跟踪及时有效", "售后跟踪不够及时", "售后跟踪无效", "未进行售后跟踪"),
    ),
    "improvement": (
        "针对性改善",
        ("改善措施符合需求", "改善措施基本符合需求", "改善措施不够满意", "无针对性改善措施"),
    ),
}

SURVEY_DIMENSIONS: tuple[str, ...] = tuple(_RATINGS)

SURVEYS = Source(
    name="surveys",
    key="response_id",
    date_column="survey_date",
    columns=(
        Column("response_id", Kind.TEXT, True, ("问卷编号", "编号")),
        Column("survey_date", Kind.DATE, True, ("调查日期", "填写日期")),
        Column("customer", Kind.TEXT, True, ("客户",)),
        Column(
            "score", Kind.INT, True, ("评分", "总评分", "服务质量评分"), minimum=1, maximum=10
        ),
        *(
            Column(name, Kind.RATING, False, (zh,), minimum=1, maximum=4, choices=options)
            for name, (zh, options) in _RATINGS.items()
        ),
        Column("comments", Kind.TEXT, False, ("意见反馈", "意见", "建议")),
    ),
)

PROPERTY_CHECKS = Source(
    name="property_checks",
    key="check_id",
    date_column="check_date",
    columns=(
        Column("check_id", Kind.TEXT, True, ("检查编号", "编号")),
        Column("check_date", Kind.DATE, True, ("检查日期", "日期")),
        Column("customer", Kind.TEXT, True, ("客户",)),
        Column("item", Kind.TEXT, False, ("财产名称", "物品")),
        Column("qty_checked", Kind.INT, True, ("检查数量",), minimum=0),
        Column("qty_intact", Kind.INT, True, ("完好数量",), minimum=0),
    ),
)

SOURCES: dict[str, Source] = {
    s.name: s for s in (COMPLAINTS, DELIVERIES, FREIGHT, SURVEYS, PROPERTY_CHECKS)
}

# Columns the warehouse adds to every clean table, after the source's own columns.
LINEAGE_COLUMNS: tuple[tuple[str, str], ...] = (("batch_id", "VARCHAR"), ("source_row", "BIGINT"))

# Extra derived columns stored in a clean table beside the source's own.
EXTRA_COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "complaints": (("cause_text", "VARCHAR"),),  # the cause as written, before mapping
}


def clean_table_columns(source: Source) -> list[tuple[str, str]]:
    """(name, SQL type) of a clean table, in order: source columns, extras, lineage."""
    cols = [(c.name, c.sql_type) for c in source.columns]
    cols += list(EXTRA_COLUMNS.get(source.name, ()))
    cols += list(LINEAGE_COLUMNS)
    return cols


def get_source(name: str) -> Source:
    """Look a source up by name, with a message listing the valid ones."""
    try:
        return SOURCES[name]
    except KeyError:
        raise KeyError(
            f"unknown source {name!r}; use one of: {', '.join(SOURCES)}"
        ) from None
