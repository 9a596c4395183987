"""Codes and facts of the metrics turned into the pack's language.

The metrics speak in codes (cause `packaging`, owner `after_sales`, rule `repeat`, scope
`all`) and return the facts behind each escalation as columns; the quality gate stores the
facts of each finding (column, check code, values) beside its English sentence. A manager
reads names and sentences: cause names come from the taxonomy (`causes.name_zh` /
`name_en`), column names from the sources (in Chinese, their first Chinese alias), the other
labels and the sentence templates from the label files (`pipelines.labels`).
"""

from __future__ import annotations

import string

import polars as pl

from pipelines import kpis, labels
from pipelines.report.render import markup
from pipelines.sources import SOURCES, Column


# KPIs whose action-list contributors are labelled by cause code (the others by freight
# reason or property item, which are free text).
def cause_labelled() -> list[str]:
    """The KPIs whose action-list drivers are cause codes (the registry's driver = cause); the
    others' are free text (freight reason, property item) or names (owners)."""
    return [code for code, k in kpis.registry().items() if k.driver == "cause"]


def lateness_labelled() -> list[str]:
    """The KPIs whose drivers are 'part|lateness' codes (the registry's driver = part_lateness)."""
    return [code for code, k in kpis.registry().items() if k.driver == "part_lateness"]


def fill(template: str, **columns: pl.Expr) -> pl.Expr:
    """`template` ('{n} complaints ...') with each {name} taken from the given expression."""
    parts = list(string.Formatter().parse(template))
    pattern = "".join(text + ("{}" if field else "") for text, field, _, _ in parts)
    return pl.format(pattern, *[columns[field] for _, field, _, _ in parts if field])


def by_code(code: pl.Expr, values: dict[str, pl.Expr]) -> pl.Expr:
    """Per row, the expression `values` holds for its `code`; null for a code not there."""
    chosen = pl.lit(None, dtype=pl.String)
    for key, value in values.items():
        chosen = pl.when(code == key).then(value).otherwise(chosen)
    return chosen


def cause_label(names: pl.DataFrame, lang: str) -> pl.DataFrame:
    """`names` (code, name_zh, name_en) as code -> name in `lang`."""
    return names.select(
        pl.col("code"), pl.col("name_zh" if lang == "zh" else "name_en").alias("cause_name")
    )


def cause_names(frame: pl.DataFrame, names: pl.DataFrame, lang: str) -> pl.DataFrame:
    """`frame` with `cause_name`: its `cause_code` named in `lang` (the code where the
    taxonomy has none)."""
    return (
        frame.join(cause_label(names, lang), left_on="cause_code", right_on="code", how="left")
        .with_columns(cause_name=pl.coalesce("cause_name", "cause_code"))
    )


def escalations(frame: pl.DataFrame, names: pl.DataFrame, lang: str) -> pl.DataFrame:
    """Escalation candidates with cause name, owner, rule and explanation (`detail`) in `lang`.

    The explanation is composed from the facts the query returns for each rule (the text
    `detail_<rule>` of the label files), the batch rule's threshold too: the query's
    `batch_qty`, read from kpi_settings like every threshold. A rule the label files do not
    name is LabelMissing, never a blank.
    """
    rules = frame["rule"].unique(maintain_order=True).to_list()
    rule_names = {rule: labels.label("rule", rule, lang) for rule in rules}
    facts = _rule_facts()
    details = {rule: fill(labels.template(f"detail_{rule}", lang), **facts[rule])
               for rule in rules}
    return (
        cause_names(frame, names, lang)
        .with_columns(
            detail=by_code(pl.col("rule"), details),
            rule=pl.col("rule").replace(rule_names),
            phase=pl.col("phase").replace(labels.names("phase_owner", lang)),
        )
    )


def _rule_facts() -> dict[str, dict[str, pl.Expr]]:
    """The fact columns filling each rule's explanation, by the placeholders of its text."""
    cause = pl.col("cause_name")
    part = pl.col("part_no").fill_null("")
    return {
        "batch": {"qty": pl.col("defect_qty"), "threshold": pl.col("batch_qty")},
        "repeat": {"n": pl.col("related_count"), "part": part, "cause": cause,
                   "start": _day("window_start"), "end": _day("window_end")},
        "recurrence": {"cause": cause, "part": part, "days": pl.col("gap_days"),
                       "earlier": pl.col("earlier_complaint_id"),
                       "closed": _day("earlier_closed_date")},
    }


def _day(column: str) -> pl.Expr:
    return pl.col(column).dt.strftime("%Y-%m-%d")


def actions(
    frame: pl.DataFrame, names: pl.DataFrame, lang: str
) -> pl.DataFrame:
    """The action list with names in `lang`: company-wide lines first, then customers with the
    biggest shortfall first; values and targets with the KPI's unit."""
    order = {code: k.order for code, k in kpis.registry().items()}
    causes = dict(cause_label(names, lang).iter_rows())
    company = pl.col("scope") == "all"
    rows = frame.with_row_index("_row")
    lateness = labels.names("lateness", lang)
    split = pl.col("code").str.split_exact("|", 1)
    part, late = split.struct.field("field_0"), split.struct.field("field_1")
    coded = pl.col("kpi").is_in(cause_labelled()) | pl.col("kpi").is_in(lateness_labelled())
    localized_causes = (
        rows.filter(coded & pl.col("top_causes").is_not_null())
        .select("_row", "kpi", part=pl.col("top_causes").str.split(", "))
        .explode("part")
        .with_columns(pl.col("part").str.extract_groups(r"^(?<code>.+) \((?<amount>[^()]+)\)$"))
        .unnest("part")
        .with_columns(name=pl.when(pl.col("kpi").is_in(lateness_labelled()))
                      .then(pl.format("{} {}", part, late.replace(lateness)).str.strip_chars())
                      .otherwise(pl.col("code").replace(causes)))
        .select("_row", item=pl.format("{} ({})", pl.col("name"), pl.col("amount")))
        .group_by("_row", maintain_order=True)
        .agg(pl.col("item").str.join(", ").alias("_causes"))
    )
    scorecard = pl.col("line") == "scorecard"
    return (
        rows.join(localized_causes, on="_row", how="left")
        .with_columns(
            top_causes=pl.coalesce("_causes", "top_causes"),
            # a customer's own line names that customer; repeating it adds nothing
            top_customers=pl.when(company).then(pl.col("top_customers")),
            scope=pl.when(company).then(pl.lit(labels.t("scope_all", lang))).otherwise("scope"),
            owner=pl.col("owner").replace(labels.names("owner", lang)),
            value_text=_texts(frame, lambda r: markup.kpi_value(
                r["kpi"], r["value"], lang, None if r["line"] == "scorecard" else r["target"])),
            # a scorecard line's "target" is what the customer's portal reports
            target_text=pl.when(scorecard).then(_texts(frame, lambda r: labels.t(
                "portal_value", lang, value=markup.kpi_value(r["kpi"], r["target"], lang))))
            .otherwise(_texts(frame, lambda r: markup.target_text(r["kpi"], r["target"], lang))),
            open_actions_text=_texts(frame, lambda r: _open_actions_text(r["open_actions"], lang)),
            _company=~company,
            _kpi=pl.col("kpi").replace_strict(order, default=len(order)),
            _gap=(pl.col("value") - pl.col("target")).abs(),
        )
        .sort(["_company", "_kpi", "_gap", "scope"], descending=[False, False, True, False])
        .with_columns(kpi=pl.col("kpi").replace(labels.names("kpi", lang)))
        .drop("_row", "_causes", "_company", "_kpi", "_gap")
    )


def _texts(frame: pl.DataFrame, text) -> pl.Series:
    """One text per row of `frame`, from a function of the row (a dict)."""
    return pl.Series([text(row) for row in frame.iter_rows(named=True)], dtype=pl.String)


SHOWN_ACTIONS = 3


def _open_actions_text(actions: list[dict] | None, lang: str) -> str:
    """'A1 (张工, D6 due 2025-04-02); ...' for the soonest due, with how many there are in
    all, or that the line needs an action."""
    if not actions:
        return labels.t("needs_action", lang)
    text = "; ".join(
        labels.t("action_due", lang, action=a["action_id"], owner=a["owner"] or "–",
                 step=labels.label("step", a["next_step"], lang).split(" ")[0],
                 due=f"{a['next_due']:%Y-%m-%d}")
        for a in actions[:SHOWN_ACTIONS]
    )
    if len(actions) > SHOWN_ACTIONS:
        text += " " + labels.t("more_actions", lang, n=len(actions))
    return text


# The facts of one quality-gate finding, as `quarantine.findings` stores them.
FINDING_FIELDS = ("column", "check", "value", "other", "other_column")
FINDINGS_DTYPE = pl.List(pl.Struct({name: pl.String for name in FINDING_FIELDS}))


def _chinese_name(column: Column) -> str:
    """A column's first Chinese alias (its name in the users' own files), else its code."""
    chinese = (a for a in column.aliases if any("\u4e00" <= ch <= "\u9fff" for ch in a))
    return next(chinese, column.name)


def column_labels(lang: str) -> pl.DataFrame:
    """(source, column, label): every source column's name in `lang`."""
    rows = [
        (source.name, column.name, _chinese_name(column) if lang == "zh" else column.name)
        for source in SOURCES.values()
        for column in source.columns
    ]
    return pl.DataFrame(rows, schema=["source", "column", "label"], orient="row")


def _quoted(column: str) -> pl.Expr:
    return pl.format('"{}"', pl.col(column).fill_null(""))


def worded_findings(facts: pl.DataFrame, lang: str) -> pl.Series:
    """One sentence in `lang` per finding of `facts` (source, column, check, value, other,
    other_column); null where the pack has no wording for the check's code."""
    columns = column_labels(lang)
    named = facts.select("source", *FINDING_FIELDS).join(
        columns.rename({"label": "_column"}), on=["source", "column"], how="left",
        maintain_order="left",
    ).join(
        columns.rename({"column": "other_column", "label": "_other"}),
        on=["source", "other_column"], how="left", maintain_order="left",
    )
    parts = {
        "column": pl.coalesce("_column", "column").fill_null(""),
        "other_column": pl.coalesce("_other", "other_column").fill_null(""),
        "value": _quoted("value"),
        "other": _quoted("other"),
        "bound": pl.col("other").fill_null(""),
        "source": pl.col("source").replace(labels.names("source", lang)),
    }
    sentences = {code: fill(text, **parts)
                 for code, text in labels.names("finding", lang).items()}
    return named.select(by_code(pl.col("check"), sentences).alias("sentence")).to_series()


def quarantine_reasons(frame: pl.DataFrame, lang: str) -> pl.DataFrame:
    """`frame` (source, reasons, findings as JSON text) with its reasons worded in `lang`.

    A row keeps the gate's English reasons when it has no facts (held before they were
    stored) or one of its findings has a code the pack cannot word.
    """
    rows = frame.with_row_index("_row")
    facts = (
        rows.filter(pl.col("findings").is_not_null())
        .select("_row", "source", pl.col("findings").str.json_decode(FINDINGS_DTYPE))
        .explode("findings")
        .unnest("findings")
    )
    worded = (
        facts.with_columns(worded_findings(facts, lang))
        .group_by("_row", maintain_order=True)
        .agg(
            pl.when(pl.col("sentence").is_null().any())
            .then(pl.lit(None, dtype=pl.String))
            .otherwise(pl.col("sentence").str.join("; "))
            .alias("_reasons")
        )
    )
    return (
        rows.join(worded, on="_row", how="left", maintain_order="left")
        .with_columns(reasons=pl.coalesce("_reasons", "reasons"))
        .drop("_row", "_reasons")
    )


def warning_texts(facts: pl.DataFrame, lang: str) -> pl.DataFrame:
    """Warnings (source, column_name, check_name, code, value, other, other_column, message)
    with `message` worded in `lang`, `check_name` as the code's short name and `column_name`
    as the column's name; a warning without a code the pack knows keeps the gate's English."""
    worded = worded_findings(facts.rename({"column_name": "column", "code": "check"}), lang)
    names = facts.join(
        column_labels(lang), left_on=["source", "column_name"], right_on=["source", "column"],
        how="left", maintain_order="left",
    )["label"]
    return facts.with_columns(
        column_name=pl.coalesce(names, pl.col("column_name")),
        message=pl.coalesce(worded, pl.col("message")),
        check_name=pl.coalesce(
            pl.col("code").replace_strict(
                labels.names("check", lang), default=None, return_dtype=pl.String
            ),
            pl.col("check_name"),
        ),
    )
