"""Chinese and English labels of the review pack: one dictionary per language, one lookup."""

from __future__ import annotations

LANGS: tuple[str, ...] = ("zh", "en")

KPI_NAMES: dict[str, dict[str, str]] = {
    "ppm": {"zh": "客诉PPM", "en": "Complaint PPM"},
    "otd": {"zh": "准时交付率", "en": "On-time delivery (OTD)"},
    "premium_freight": {"zh": "超额运费", "en": "Premium freight"},
    "response_on_time": {"zh": "客诉及时回复率", "en": "Complaint response on time"},
    "satisfaction": {"zh": "顾客满意度", "en": "Customer satisfaction"},
    "property_intact": {"zh": "顾客财产完好率", "en": "Customer property intact"},
    "env_complaints": {"zh": "环境投诉", "en": "Environmental complaints"},
}

KPI_UNITS: dict[str, dict[str, str]] = {
    "ppm": {"zh": "PPM", "en": "PPM"},
    "otd": {"zh": "%", "en": "%"},
    "premium_freight": {"zh": "元", "en": "CNY"},
    "response_on_time": {"zh": "%", "en": "%"},
    "satisfaction": {"zh": "%", "en": "%"},
    "property_intact": {"zh": "%", "en": "%"},
    "env_complaints": {"zh": "件", "en": "complaints"},
}

CATEGORY_NAMES: dict[str, dict[str, str]] = {
    "company": {"zh": "公司原因", "en": "Company"},
    "product": {"zh": "产品原因", "en": "Product"},
    "customer": {"zh": "客户原因", "en": "Customer"},
    "cognition": {"zh": "认知不同", "en": "Cognition"},
    "unassigned": {"zh": "未归类/待分析", "en": "Unassigned"},
}

PHASE_OWNERS: dict[str, dict[str, str]] = {
    "sample": {"zh": "样件 → 研发", "en": "Sample → R&D"},
    "c_sample": {"zh": "C样 → AQE", "en": "C-sample → AQE"},
    "mass_production": {"zh": "量产 → 运营售后", "en": "Mass production → After-sales operations"},
}

DIMENSION_NAMES: dict[str, dict[str, str]] = {
    "response_speed": {"zh": "响应速度", "en": "Response speed"},
    "resolution": {"zh": "问题解决效率", "en": "Resolution"},
    "expertise": {"zh": "专业知识", "en": "Expertise"},
    "attitude": {"zh": "服务态度", "en": "Attitude"},
    "clarity": {"zh": "解答清晰", "en": "Clarity"},
    "follow_up": {"zh": "售后跟踪", "en": "Follow-up"},
    "improvement": {"zh": "针对性改善", "en": "Targeted improvement"},
}

SOURCE_NAMES: dict[str, dict[str, str]] = {
    "complaints": {"zh": "客诉", "en": "Complaints"},
    "deliveries": {"zh": "交付", "en": "Deliveries"},
    "freight": {"zh": "运费", "en": "Freight"},
    "surveys": {"zh": "满意度调查", "en": "Surveys"},
    "property_checks": {"zh": "顾客财产检查", "en": "Property checks"},
}

BATCH_STATUS: dict[str, dict[str, str]] = {
    "loaded": {"zh": "已入库", "en": "loaded"},
    "rejected": {"zh": "已拒收", "en": "rejected"},
}

# The seed's escalation map: batch, repeated and recurring problems (SPEC §5).
RULE_NAMES: dict[str, dict[str, str]] = {
    "batch": {"zh": "批量问题", "en": "Batch"},
    "repeat": {"zh": "重复发生", "en": "Repeat"},
    "recurrence": {"zh": "关闭后复发", "en": "Recurrence"},
}

RATING_NAMES: dict[int, dict[str, str]] = {
    4: {"zh": "4 很好", "en": "4 best"},
    3: {"zh": "3 较好", "en": "3 good"},
    2: {"zh": "2 较差", "en": "2 poor"},
    1: {"zh": "1 很差", "en": "1 worst"},
}

# The quality gate's findings, worded from their facts (`quarantine.findings`, the facts
# columns of `ingest_warnings`): {column} and {other_column} are column names in the pack's
# language, {value} and {other} quoted cell values, {bound} a range's broken bound, {source}
# the source's name. The English wording is the gate's own (`meta.reason` of the suites);
# a finding whose code is not here (a check added to a suite later) keeps the gate's English.
FINDING_TEXT: dict[str, dict[str, str]] = {
    "missing": {"zh": "{column}: 必填值缺失", "en": "{column}: required value missing"},
    "unparseable_date": {
        "zh": "{column}: 无法识别的日期 {value}", "en": "{column}: unparseable date {value}",
    },
    "unparseable_number": {
        "zh": "{column}: 无法识别的数字 {value}", "en": "{column}: unparseable number {value}",
    },
    "unparseable_yes_no": {
        "zh": "{column}: 无法识别的是/否值 {value}",
        "en": "{column}: unparseable yes/no value {value}",
    },
    "unparseable_rating": {
        "zh": "{column}: 无法识别的评价 {value}", "en": "{column}: unparseable rating {value}",
    },
    "unknown_value": {
        "zh": "{column}: 未知的取值 {value}", "en": "{column}: unknown value {value}",
    },
    "out_of_range_min": {
        "zh": "{column}: 超出范围 {value}，不得小于 {bound}",
        "en": "{column}: out of range {value}, must be at least {bound}",
    },
    "out_of_range_min_exclusive": {
        "zh": "{column}: 超出范围 {value}，必须大于 {bound}",
        "en": "{column}: out of range {value}, must be greater than {bound}",
    },
    "out_of_range_max": {
        "zh": "{column}: 超出范围 {value}，不得大于 {bound}",
        "en": "{column}: out of range {value}, must be at most {bound}",
    },
    "out_of_range_max_exclusive": {
        "zh": "{column}: 超出范围 {value}，必须小于 {bound}",
        "en": "{column}: out of range {value}, must be less than {bound}",
    },
    "duplicate_key": {
        "zh": "{column}: 本文件内编号重复 {value}",
        "en": "{column}: duplicate key {value} in this file",
    },
    "not_in_taxonomy": {
        "zh": "{column}: {value} 不在原因分类中（按“未归类”保留）",
        "en": "{column}: {value} is not in the cause taxonomy (kept as unmapped)",
    },
    "earlier_than": {
        "zh": "{column}: {value} 早于{other_column} {other}",
        "en": "{column}: {value} is earlier than {other_column} {other}",
    },
    "more_than": {
        "zh": "{column}: {value} 大于{other_column} {other}",
        "en": "{column}: {value} is more than {other_column} {other}",
    },
    "unknown_column": {
        "zh": "列 \"{column}\" 不属于{source}数据：已忽略",
        "en": "column \"{column}\" is not a {source} column: ignored",
    },
}

# Short names of the same codes, for the warnings table's "check" column.
CHECK_NAMES: dict[str, dict[str, str]] = {
    "missing": {"zh": "必填值缺失", "en": "Missing value"},
    "unparseable_date": {"zh": "日期无法识别", "en": "Unparseable date"},
    "unparseable_number": {"zh": "数字无法识别", "en": "Unparseable number"},
    "unparseable_yes_no": {"zh": "是/否无法识别", "en": "Unparseable yes/no"},
    "unparseable_rating": {"zh": "评价无法识别", "en": "Unparseable rating"},
    "unknown_value": {"zh": "未知取值", "en": "Unknown value"},
    "out_of_range_min": {"zh": "低于下限", "en": "Below minimum"},
    "out_of_range_min_exclusive": {"zh": "未超过下限", "en": "Not above minimum"},
    "out_of_range_max": {"zh": "高于上限", "en": "Above maximum"},
    "out_of_range_max_exclusive": {"zh": "未低于上限", "en": "Not below maximum"},
    "duplicate_key": {"zh": "编号重复", "en": "Duplicate key"},
    "not_in_taxonomy": {"zh": "原因未归类", "en": "Cause not in taxonomy"},
    "earlier_than": {"zh": "日期先后不符", "en": "Date order"},
    "more_than": {"zh": "数量大小不符", "en": "Quantity order"},
    "unknown_column": {"zh": "未知列", "en": "Unknown column"},
}

TEXT: dict[str, dict[str, str]] = {
    "review_title": {"zh": "售后质量月度管理评审", "en": "After-sales quality monthly review"},
    "dq_title": {"zh": "数据质量与追溯", "en": "Data quality and lineage"},
    "index_title": {"zh": "售后质量月度评审资料包", "en": "After-sales quality review pack"},
    "month": {"zh": "月份", "en": "Month"},
    "data_as_of": {"zh": "数据截至", "en": "Data as of"},
    "generated_at": {"zh": "生成时间", "en": "Generated at"},
    "dq_status": {"zh": "数据质量", "en": "Data quality"},
    "dq_ok": {"zh": "通过，无隔离数据", "en": "passed, nothing held back"},
    "dq_held": {"zh": "{n} 行数据被隔离，未计入指标", "en": "{n} rows held back in quarantine"},
    "dq_warned": {"zh": "{n} 条警告", "en": "{n} warnings"},
    "lang_note": {
        "zh": "中文版。英文版：aftersales report --month {month} --lang en "
        "--out reports/{month}-en",
        "en": "English edition. Chinese: aftersales report --month {month} --lang zh "
        "--out reports/{month}",
    },
    "banner": {
        "zh": "注意：本月数据中有 {n} 行未通过数据质量检查，已隔离，未计入以下指标。"
        "详见数据质量页。",
        "en": "Attention: {n} rows of this month's data failed a data-quality check and are "
        "held back in quarantine; the figures below exclude them. See the data-quality page.",
    },
    "no_data": {"zh": "无数据", "en": "no data"},
    "met": {"zh": "达标", "en": "met"},
    "missed": {"zh": "未达标", "en": "missed"},
    "kpi": {"zh": "指标", "en": "KPI"},
    "period": {"zh": "期间", "en": "Period"},
    "value": {"zh": "实际", "en": "Value"},
    "target": {"zh": "目标", "en": "Target"},
    "status": {"zh": "状态", "en": "Status"},
    "previous": {"zh": "上期", "en": "Previous"},
    "trend": {"zh": "趋势", "en": "Trend"},
    "signal": {"zh": "统计信号", "en": "Signal"},
    "signal_yes": {"zh": "◇ 超出控制限", "en": "◇ outside control limits"},
    "period_month": {"zh": "月", "en": "month"},
    "period_quarter": {"zh": "季度", "en": "quarter"},
    "period_half": {"zh": "半年", "en": "half-year"},
    "center": {"zh": "中心线", "en": "Center"},
    "ucl": {"zh": "上控制限", "en": "UCL"},
    "lcl": {"zh": "下控制限", "en": "LCL"},
    "laney_u": {"zh": "Laney U′ 控制限", "en": "Laney U′ limits"},
    "laney_p": {"zh": "Laney P′ 控制限", "en": "Laney P′ limits"},
    "p_chart": {"zh": "p 图控制限", "en": "p-chart limits"},
    "trend_title": {"zh": "{kpi} 近13个月趋势", "en": "{kpi}, last 13 months"},
    "axis_month": {"zh": "月份", "en": "Month"},
    "customer": {"zh": "客户", "en": "Customer"},
    "part_no": {"zh": "产品编号", "en": "Part no."},
    "complaints": {"zh": "客诉件数", "en": "Complaints"},
    "defect_qty": {"zh": "不良数量", "en": "Defect qty"},
    "shipped_qty": {"zh": "发货数量", "en": "Parts shipped"},
    "delivery_lines": {"zh": "交付行数", "en": "Delivery lines"},
    "on_time_lines": {"zh": "准时行数", "en": "On-time lines"},
    "top_customers": {"zh": "PPM 最高的客户", "en": "Customers with the highest PPM"},
    "top_parts": {"zh": "不良数量最多的产品", "en": "Parts with the most defects"},
    "worst_otd": {"zh": "准时交付率最低的客户", "en": "Customers with the lowest OTD"},
    "freight_reason": {
        "zh": "本月超额运费（按原因）",
        "en": "Premium freight this month by reason",
    },
    "reason": {"zh": "原因", "en": "Reason"},
    "amount": {"zh": "金额(元)", "en": "Amount (CNY)"},
    "shipments": {"zh": "票数", "en": "Shipments"},
    "not_given": {"zh": "(未填写)", "en": "(not given)"},
    "other": {"zh": "其他", "en": "Other"},
    "count": {"zh": "件数", "en": "Count"},
    "percent": {"zh": "占比", "en": "Percent"},
    "cum_percent": {"zh": "累计占比", "en": "Cum %"},
    "cause": {"zh": "原因", "en": "Cause"},
    "category": {"zh": "类别", "en": "Category"},
    "pareto_cause_month": {
        "zh": "本月客诉原因柏拉图",
        "en": "Complaint causes this month (Pareto)",
    },
    "pareto_cause_12m": {
        "zh": "近12个月客诉原因柏拉图", "en": "Complaint causes, last 12 months (Pareto)"
    },
    "pareto_cause_month_qty": {
        "zh": "本月客诉原因柏拉图（按不良数量）",
        "en": "Complaint causes this month by defect quantity (Pareto)",
    },
    "pareto_cat_month": {"zh": "本月客诉原因类别", "en": "Cause categories this month"},
    "pareto_cat_12m": {"zh": "近12个月客诉原因类别", "en": "Cause categories, last 12 months"},
    "ref_80": {"zh": "80% 参考线", "en": "80 % reference"},
    "summary_table": {"zh": "售后问题汇总分析表", "en": "Monthly complaint-cause summary"},
    "item_no": {"zh": "项次", "en": "No."},
    "this_month": {"zh": "本月件数", "en": "This month"},
    "last_month": {"zh": "上月件数", "en": "Last month"},
    "notes": {"zh": "备注(案例)", "en": "Notes (cases)"},
    "total": {"zh": "合计", "en": "Total"},
    "open_complaints": {"zh": "未结客诉", "en": "Open complaints"},
    "overdue": {"zh": "逾期未回复", "en": "Response overdue"},
    "complaint_id": {"zh": "客诉编号", "en": "Complaint"},
    "received_date": {"zh": "接收日期", "en": "Received"},
    "response_due": {"zh": "回复期限", "en": "Response due"},
    "responded_date": {"zh": "回复日期", "en": "Responded"},
    "days_open": {"zh": "已开天数", "en": "Days open"},
    "owner": {"zh": "责任方", "en": "Owner"},
    "phase": {"zh": "阶段", "en": "Phase"},
    "description": {"zh": "问题描述", "en": "Description"},
    "region": {"zh": "地区", "en": "Region"},
    "yes": {"zh": "是", "en": "yes"},
    "escalations": {"zh": "升级候选(关键/疑难/批量问题)", "en": "Escalation candidates"},
    "rule": {"zh": "规则", "en": "Rule"},
    "detail": {"zh": "说明", "en": "Detail"},
    "detail_batch": {
        "zh": "不良数量 {qty} ≥ 批量阈值 {threshold}",
        "en": "defect qty {qty} ≥ batch threshold {threshold}",
    },
    "detail_repeat": {
        "zh": "{start} 至 {end}，产品 {part} 因“{cause}”共 {n} 件客诉",
        "en": "{n} complaints on part {part} with cause {cause} from {start} to {end}",
    },
    "detail_recurrence": {
        "zh": "{earlier} 于 {closed} 关闭后 {days} 天，产品 {part} 再次出现“{cause}”",
        "en": "{cause} again on part {part} {days} days after {earlier} was closed on {closed}",
    },
    "owner_by_phase": {"zh": "按阶段的责任归属(未结)", "en": "Open complaints by phase and owner"},
    "none": {"zh": "无", "en": "none"},
    "showing": {"zh": "显示 {shown} / 共 {total} 条", "en": "showing {shown} of {total}"},
    "sat_trend": {"zh": "顾客满意度（半年）", "en": "Customer satisfaction (half-year)"},
    "score_dist": {"zh": "评分分布(1-10)", "en": "Score distribution (1–10)"},
    "score": {"zh": "评分", "en": "Score"},
    "responses": {"zh": "问卷数", "en": "Responses"},
    "dimensions": {"zh": "服务印象（7个维度）", "en": "Service impressions (7 dimensions)"},
    "share": {"zh": "占比(%)", "en": "Share (%)"},
    "comments": {"zh": "近期意见反馈", "en": "Recent comments"},
    "survey_date": {"zh": "调查日期", "en": "Date"},
    "comment": {"zh": "意见反馈", "en": "Comment"},
    "survey_none_yet": {
        "zh": "本半年（{current}）尚无问卷；"
        "以下评分分布、7个维度和意见反馈为最近一期（{shown}）的结果。",
        "en": "No survey yet in the current half-year ({current}); the score distribution, "
        "the 7 dimensions and the comments below are from the latest survey half-year ({shown}).",
    },
    "survey_never": {"zh": "尚无满意度问卷。", "en": "No satisfaction survey yet."},
    "small_sample": {
        "zh": "样本较少：{half} 仅 {n} 份问卷（少于 {min} 份），满意度仅供参考。",
        "en": "Small sample: only {n} responses in {half} (fewer than {min}); "
        "read the value with care.",
    },
    "property_trend": {"zh": "顾客财产完好率（季度）", "en": "Customer property intact (quarter)"},
    "env_trend": {"zh": "环境投诉（季度）", "en": "Environmental complaints (quarter)"},
    "qty_checked": {"zh": "检查数量", "en": "Checked"},
    "qty_intact": {"zh": "完好数量", "en": "Intact"},
    "env_list": {"zh": "本季度环境投诉", "en": "Environmental complaints this quarter"},
    "actions": {"zh": "未达标项目行动计划", "en": "Action list for missed targets"},
    "scope": {"zh": "范围", "en": "Scope"},
    "top_causes": {"zh": "主要原因", "en": "Top causes"},
    "top_customers_col": {"zh": "主要客户", "en": "Top customers"},
    "all": {"zh": "全部", "en": "all"},
    "scope_all": {"zh": "全公司", "en": "Company"},
    "pages": {"zh": "页面", "en": "Pages"},
    "executed_nb": {"zh": "执行后的笔记本(审计用)", "en": "executed notebook (for audit)"},
    "manifest": {"zh": "运行清单", "en": "Run manifest"},
    "dq_reports": {"zh": "各文件数据质量报告", "en": "Per-file data-quality reports"},
    "batches": {"zh": "数据来源文件与批次", "en": "Files and batches behind the numbers"},
    "file_name": {"zh": "文件", "en": "File"},
    "source": {"zh": "数据源", "en": "Source"},
    "sha256": {"zh": "SHA-256", "en": "SHA-256"},
    "rows_read": {"zh": "读取", "en": "Read"},
    "rows_loaded": {"zh": "入库", "en": "Loaded"},
    "rows_quarantined": {"zh": "隔离", "en": "Quarantined"},
    "rows_skipped": {"zh": "跳过", "en": "Skipped"},
    "rows_warned": {"zh": "警告", "en": "Warned"},
    "finished_at": {"zh": "完成时间", "en": "Finished"},
    "quarantine_rows": {"zh": "隔离数据行", "en": "Quarantined rows"},
    "row_number": {"zh": "行号", "en": "Row"},
    "reasons": {"zh": "原因", "en": "Reasons"},
    "record": {"zh": "原始记录", "en": "Raw record"},
    "warnings": {"zh": "警告", "en": "Warnings"},
    "check": {"zh": "检查项", "en": "Check"},
    "column": {"zh": "列", "en": "Column"},
    "message": {"zh": "说明", "en": "Message"},
    "rows": {"zh": "行数", "en": "Rows"},
    "parameter": {"zh": "参数", "en": "Parameter"},
    "package": {"zh": "软件包", "en": "Package"},
    "version": {"zh": "版本", "en": "Version"},
    "code_version": {"zh": "代码版本", "en": "Code version"},
    "no_reports": {"zh": "尚无数据质量报告", "en": "no data-quality reports yet"},
    "s_scorecard": {"zh": "1. KPI 记分卡", "en": "1. KPI scorecard"},
    "index_scorecard": {"zh": "本月 KPI 记分卡", "en": "KPI scorecard of the month"},
    "s_ppm": {"zh": "2. 客诉PPM", "en": "2. Complaint PPM"},
    "s_otd": {"zh": "3. 准时交付与超额运费", "en": "3. On-time delivery and premium freight"},
    "s_causes": {"zh": "4. 客诉原因分析", "en": "4. Complaint causes"},
    "s_handling": {"zh": "5. 客诉处理", "en": "5. Complaint handling"},
    "s_satisfaction": {"zh": "6. 顾客满意度", "en": "6. Customer satisfaction"},
    "s_property": {
        "zh": "7. 顾客财产与环境投诉（季度）",
        "en": "7. Customer property and environmental complaints (quarter)",
    },
    "s_actions": {"zh": "8. 行动计划", "en": "8. Action list"},
    "s_dq_link": {"zh": "9. 数据质量与追溯", "en": "9. Data quality and lineage"},
    "dq_link_text": {
        "zh": "数据来源文件、隔离数据、警告与运行清单见数据质量页：",
        "en": "Files, quarantined rows, warnings and the run manifest are "
        "on the data-quality page:",
    },
}


def t(key: str, lang: str, **values: object) -> str:
    """The label `key` in `lang`, with {placeholders} filled; unknown languages fall back to zh."""
    entry = TEXT[key]
    text = entry.get(lang) or entry["zh"]
    return text.format(**values) if values else text


def kpi_name(kpi: str, lang: str) -> str:
    return KPI_NAMES[kpi].get(lang, KPI_NAMES[kpi]["zh"])


def kpi_unit(kpi: str, lang: str) -> str:
    return KPI_UNITS[kpi].get(lang, KPI_UNITS[kpi]["zh"])


def label(table: dict[str, dict[str, str]], code: str | None, lang: str) -> str:
    """A code's label from one of the tables above; the code itself when it is unknown."""
    if code is None:
        return ""
    entry = table.get(code)
    return entry.get(lang, entry["zh"]) if entry else str(code)


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; use zh or en")
    return lang
