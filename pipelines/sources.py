"""The input sources: their columns, types, aliases and keys.

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
    MONTH = "month"  # `2024-09`, `2024年9月` or any date: stored as the first day of its month


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
    percent: bool = False  # DECIMAL: a trailing % is accepted and dropped (97.5% = 97.5)

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
            Kind.MONTH: "DATE",
        }[self.kind]


# How the columns of a composite natural key are joined into one text (`natural_key` of
# quarantine, warnings and the view source_rows): `华为 | 2025-03-01 | ppm`.
KEY_SEPARATOR = " | "


@dataclass(frozen=True)
class Reference:
    """A column naming a row of another source by its key, checked when a file lands: a
    value no loaded row has is a warning with `code` (the row may arrive in a later file)."""

    column: str
    source: str
    code: str


@dataclass(frozen=True)
class Source:
    """A kind of export file: the columns it must and may carry and its natural key."""

    name: str
    key: str | tuple[str, ...]  # one column, or several that identify a row together
    date_column: str | None  # the date a row is filed under (a month); None: no such date
    columns: tuple[Column, ...]
    references: tuple[Reference, ...] = ()

    @property
    def key_columns(self) -> tuple[str, ...]:
        return (self.key,) if isinstance(self.key, str) else self.key

    def natural_key_sql(self, table: str | None = None) -> str:
        """The SQL text of a row's key, as the gate writes `natural_key`; NULL when a part is."""
        prefix = f"{table}." if table else ""
        return f" || '{KEY_SEPARATOR}' || ".join(f"{prefix}{c}::varchar" for c in self.key_columns)

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

# --- closing the loop (SPEC §8) ---------------------------------------------------------

_STEP_DATES = {
    "containment_date": ("D3完成日期", "围堵日期", "临时措施日期"),
    "root_cause_date": ("D4完成日期", "根本原因日期", "原因分析日期"),
    "corrective_action_date": ("D6完成日期", "永久措施日期", "纠正措施日期"),
    "closed_date": ("D8完成日期", "关闭日期", "结案日期"),
}

ACTIONS = Source(
    name="actions",
    key="action_id",
    date_column="opened_date",
    columns=(
        Column("action_id", Kind.TEXT, True, ("8D编号", "CAR编号", "措施编号", "编号")),
        Column("opened_date", Kind.DATE, True, ("发起日期", "开启日期", "立项日期")),
        Column("complaint_id", Kind.TEXT, False, ("客诉编号", "投诉编号")),
        Column("customer", Kind.TEXT, False, ("客户", "客户名称")),
        Column("owner", Kind.TEXT, False, ("责任人",)),
        Column("department", Kind.TEXT, False, ("责任部门",)),
        *(Column(name, Kind.DATE, False, aliases) for name, aliases in _STEP_DATES.items()),
        Column("effective", Kind.BOOL, False, ("效果验证", "措施有效")),
        Column("description", Kind.TEXT, False, ("问题描述", "描述")),
    ),
    references=(Reference("complaint_id", "complaints", "unknown_complaint"),),
)

QUALITY_COSTS = Source(
    name="quality_costs",
    key="cost_id",
    date_column="cost_date",
    columns=(
        Column("cost_id", Kind.TEXT, True, ("费用编号", "单号", "编号")),
        Column("cost_date", Kind.DATE, True, ("日期", "发生日期", "费用日期")),
        Column(
            "category",
            Kind.ENUM,
            True,
            ("类别", "费用类别"),
            choices={
                "scrap": ("报废",),
                "rework": ("返工", "返修"),
                "sorting": ("挑选", "分选"),
                "warranty": ("三包", "保修"),
                "field_service": ("现场服务", "差旅", "field service"),
                "other": ("其他",),
            },
        ),
        Column("amount", Kind.DECIMAL, True, ("金额", "费用"), minimum=0),
        Column("customer", Kind.TEXT, False, ("客户",)),
        Column("complaint_id", Kind.TEXT, False, ("客诉编号",)),
        Column("note", Kind.TEXT, False, ("备注", "说明")),
    ),
)

RISKS = Source(
    name="risks",
    key="risk_id",
    date_column=None,  # a register, not a monthly record: its rows place no month
    columns=(
        Column("risk_id", Kind.TEXT, True, ("编号", "风险编号")),
        Column(
            "kind", Kind.ENUM, False, ("类型",),
            choices={"risk": ("风险",), "opportunity": ("机遇", "机会")}, default="risk",
        ),  # fmt: skip
        Column("process", Kind.TEXT, False, ("过程", "过程名称")),
        Column("description", Kind.TEXT, True, ("风险描述", "风险/机遇描述", "描述")),
        Column("severity", Kind.INT, True, ("严重度", "严重程度", "S"), minimum=1, maximum=5),
        Column(
            "likelihood", Kind.INT, True, ("发生度", "频度", "可能性", "O"), minimum=1, maximum=5
        ),
        Column("level", Kind.TEXT, False, ("风险等级", "等级")),
        Column("causes", Kind.TEXT, False, ("关联原因", "原因")),
        Column("measures", Kind.TEXT, False, ("应对措施", "控制措施")),
        Column("owner", Kind.TEXT, False, ("责任部门", "责任人")),
        Column("review_date", Kind.DATE, False, ("评审日期",)),
    ),
)

CUSTOMER_SCORECARDS = Source(
    name="customer_scorecards",
    key=("customer", "month", "kpi"),
    date_column="month",
    columns=(
        Column("customer", Kind.TEXT, True, ("客户", "客户名称")),
        Column("month", Kind.MONTH, True, ("月份", "期间")),
        Column(
            "kpi",
            Kind.ENUM,
            True,
            ("指标",),
            choices={
                "ppm": ("PPM", "客诉PPM", "百万分之不良"),
                "otd": ("OTD", "准时交付率", "交付准时率"),
            },
        ),
        Column("value", Kind.DECIMAL, True, ("数值", "客户数值", "结果"), percent=True),
        Column("status", Kind.TEXT, False, ("状态", "等级", "供应商等级")),
    ),
)

SOURCES: dict[str, Source] = {
    s.name: s
    for s in (
        COMPLAINTS, DELIVERIES, FREIGHT, SURVEYS, PROPERTY_CHECKS,
        ACTIONS, QUALITY_COSTS, RISKS, CUSTOMER_SCORECARDS,
    )
}  # fmt: skip

# Columns the warehouse adds to every clean table, after the source's own columns.
LINEAGE_COLUMNS: tuple[tuple[str, str], ...] = (("batch_id", "VARCHAR"), ("source_row", "BIGINT"))

# Extra derived columns stored in a clean table beside the source's own.
EXTRA_COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "complaints": (("cause_text", "VARCHAR"),),  # the cause as written, before mapping
    "risks": (("cause_codes", "VARCHAR[]"),),  # the taxonomy codes `causes` names
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
