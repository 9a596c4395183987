"""SPEC §8's views and KPIs on a small hand-made data set, every number worked out here.

Data (files written below), months January to April 2025 (the last month with data: April,
deliveries D3 and cost Q3):
- complaints: C1 2025-03-03 甲 cracking 5 defects, claim 1000; C2 2025-03-10 乙 logistics 2,
  claim 500; C3 2025-03-12 甲 rejected, claim 9999 (never counted).
- deliveries: D1 甲 10000 parts shipped 03-05, promised 03-06, delivered 03-06 (on time);
  D2 乙 5000 shipped 03-07, promised 03-08, delivered 03-10 (late); D3 甲 10000 in April.
  -> PPM March 甲 = 5 / 10000 x 1e6 = 500; 乙: logistics is not ours -> 0. OTD 甲 100 %, 乙 0 %.
- freight: F1 03-06 甲 800 premium; F2 03-08 乙 100 not premium.
- actions (deadlines d3 1, d4 10, d6 30, d8 60 days; customer 丁 has d3_days = 0):
  A1 for C1 (customer from the complaint: 甲), opened 03-03, D3 03-04 (due 03-04: on its due
     day), D4 03-13 (due 03-13), D6 04-02 (due 04-02), D8 not yet (due 05-02: after April,
     in no month of the scorecard).
  A2 for C2 (乙), opened 03-10, D3 03-12 (due 03-11: a day late), owner 王工.
  A3 丙, no complaint, opened 03-20, D3 never (due 03-21: late), owner 李工.
  A4 丁, opened 03-25, D3 03-26 (丁's due date 03-25: late; with the default it would be on
     time), owner 李工.
  A5 opened 03-15 with D3 03-14, before it was opened: quarantined.
  A6 甲, opened 01-15, D3 01-16 (due 01-16), D4 01-20 (due 01-25), D6 02-10 (due 02-14),
     D8 03-10 (due 03-16): all on time.
  -> containment_on_time: January A6 1/1 = 100 %; March A1 on time, A2, A3, A4 late: 1/4 =
     25 % (target 100: missed). closure_on_time: March A6 1/1 = 100 % (target 90: met);
     January and February no D8 due: 0/0, no value.
- quality_costs: Q1 03-05 scrap 300 甲; Q2 03-20 rework 200; Q3 04-10 sorting 50.
  -> COPQ March = claims 1000 + 500 + premium freight 800 + scrap 300 + rework 200 = 2800;
     April = sorting 50; January, February 0.
- risks: R12 S3 x O2 = 6 medium (file: 较高), causes 开裂、仓库出货错误(错发、漏发);
  R14 3 x 1 = 3 low, cracking; R20 2 x 2 = 4 low (the low bound itself), 物流原因;
  R21 1 x 5 = 5 medium (just above 4); R22 3 x 3 = 9 medium (the medium bound);
  R23 2 x 5 = 10 high; R24 3 x 4 = 12 high; R25 3 x 5 = 15 critical (above 14).
  -> signals March: cracking (C1, 5 defects) for R12 and R14; logistics (C2, 2) for R20.
- customer_scorecards: 甲 2025-03 ppm 510 vs ours 500: difference 10, at the tolerance 10:
  agrees; 甲 2025年3月 otd 99.5% vs 100: -0.5, at the tolerance 0.5: agrees; 乙 2025-03 otd 1 vs
  0: 1 > 0.5: disagrees; 丙 2025-03 ppm 0: we have no PPM for 丙: agrees NULL.
"""

from __future__ import annotations

from datetime import date

import pytest
from kpi_support import make_project, read_only, rows

from pipelines.ingest_pipeline import ingest_paths

FILES = {
    "complaints.csv": "complaint_id,received_date,customer,part_no,defect_qty,cause,status,"
    """claim_amount
C1,2025-03-03,甲,P1,5,cracking,,1000
C2,2025-03-10,乙,P2,2,logistics,,500
C3,2025-03-12,甲,P1,9,cracking,rejected,9999
""",
    "deliveries.csv": """delivery_id,customer,part_no,qty,ship_date,promised_date,delivered_date
D1,甲,P1,10000,2025-03-05,2025-03-06,2025-03-06
D2,乙,P2,5000,2025-03-07,2025-03-08,2025-03-10
D3,甲,P1,10000,2025-04-02,2025-04-03,2025-04-03
""",
    "freight.csv": """freight_id,ship_date,customer,amount,premium,reason
F1,2025-03-06,甲,800,true,加急
F2,2025-03-08,乙,100,false,
""",
    "actions.csv": "action_id,opened_date,complaint_id,customer,owner,containment_date,"
    """root_cause_date,corrective_action_date,closed_date
A1,2025-03-03,C1,,张工,2025-03-04,2025-03-13,2025-04-02,
A2,2025-03-10,C2,,王工,2025-03-12,,,
A3,2025-03-20,,丙,李工,,,,
A4,2025-03-25,,丁,李工,2025-03-26,,,
A5,2025-03-15,,甲,张工,2025-03-14,,,
A6,2025-01-15,,甲,张工,2025-01-16,2025-01-20,2025-02-10,2025-03-10
""",
    "quality_costs.csv": """cost_id,cost_date,category,amount,customer
Q1,2025-03-05,scrap,300,甲
Q2,2025-03-20,rework,200,
Q3,2025-04-10,sorting,50,
""",
    "risks.csv": """risk_id,description,severity,likelihood,level,causes
R12,客诉处理不及时,3,2,较高,开裂、仓库出货错误(错发、漏发)
R14,包装破损,3,1,可接受,cracking
R20,物流延误,2,2,,物流原因
R21,r21,1,5,,
R22,r22,3,3,,
R23,r23,2,5,,
R24,r24,3,4,,
R25,r25,3,5,,
""",
    "customer_scorecards.csv": """customer,month,kpi,value,status
甲,2025-03,ppm,510,green
甲,2025年3月,otd,99.5%,green
乙,2025-03,otd,1,red
丙,2025-03,ppm,0,
""",
}


@pytest.fixture(scope="module")
def loop(tmp_path_factory):
    folder = tmp_path_factory.mktemp("loop")
    settings = make_project(folder, '[customer_action_days."丁"]\nd3_days = 0\n')
    inbox = folder / "inbox"
    inbox.mkdir()
    for name, text in FILES.items():
        (inbox / name).write_text(text, encoding="utf-8")
    outcomes = {o.path.name: o for o in ingest_paths(settings, sorted(inbox.iterdir()))}
    assert {n: o.status for n, o in outcomes.items()} == dict.fromkeys(FILES, "loaded")
    # A5's D3 before it was opened is the only row held back
    assert {n: o.rows_quarantined for n, o in outcomes.items() if o.rows_quarantined} == {
        "actions.csv": 1
    }
    return settings


def query(settings, sql: str) -> list[dict]:
    with read_only(settings) as con:
        return rows(con, sql)


def test_action_steps_have_their_due_dates_and_verdicts(loop):
    got = {
        (r["action_id"], r["step"]): (r["customer"], r["due_date"], r["done_date"], r["on_time"])
        for r in query(loop, "select * from action_steps")
    }
    assert got[("A1", "d3")] == ("甲", date(2025, 3, 4), date(2025, 3, 4), True)  # on the day
    assert got[("A2", "d3")] == ("乙", date(2025, 3, 11), date(2025, 3, 12), False)  # a day late
    assert got[("A3", "d3")] == ("丙", date(2025, 3, 21), None, False)  # never done
    assert got[("A4", "d3")] == ("丁", date(2025, 3, 25), date(2025, 3, 26), False)  # 丁: 0 days
    assert got[("A1", "d8")] == ("甲", date(2025, 5, 2), None, False)
    assert got[("A6", "d8")] == ("甲", date(2025, 3, 16), date(2025, 3, 10), True)
    assert {a for a, _ in got} == {"A1", "A2", "A3", "A4", "A6"}  # A5 is quarantined
    assert len(got) == 5 * 4


def test_the_loop_kpis_are_in_the_scorecard(loop):
    got = {
        (r["kpi"], r["period_start"]): (r["numerator"], r["denominator"], r["value"], r["met"])
        for r in query(loop, "select * from kpi_scorecard where kpi in "
                       "('containment_on_time', 'closure_on_time', 'copq')")
    }
    jan, feb, mar, apr = (date(2025, m, 1) for m in (1, 2, 3, 4))
    assert got[("containment_on_time", jan)] == (1, 1, 100.0, True)
    assert got[("containment_on_time", mar)] == (1, 4, 25.0, False)
    assert got[("closure_on_time", mar)] == (1, 1, 100.0, True)
    assert got[("closure_on_time", jan)] == (0, 0, None, None)
    # A1's D8 is due 2025-05-02, after April: in no month
    assert got[("closure_on_time", apr)] == (0, 0, None, None)
    # copq has no default target: no verdict
    assert got[("copq", mar)] == (2800, None, 2800.0, None)
    assert got[("copq", apr)] == (50, None, 50.0, None)
    assert got[("copq", feb)] == (0, None, 0.0, None)
    assert len(got) == 3 * 4


def test_copq_monthly_has_every_component_every_month(loop):
    march = {r["component"]: r["amount"] for r in query(
        loop, "select * from copq_monthly where month = date '2025-03-01'")}
    assert march == {"claims": 1500.0, "premium_freight": 800.0, "scrap": 300.0,
                     "rework": 200.0, "sorting": 0.0, "warranty": 0.0, "field_service": 0.0,
                     "other": 0.0}
    assert query(loop, "select count(*) as n from copq_monthly") == [{"n": 4 * 8}]


def test_copq_customers_of_the_month_largest_first(loop):
    # March: 甲 claim 1000 + premium freight 800 + scrap 300 = 2100; 乙 claim 500; Q2's rework
    # (200) has no customer and is left out. April: only Q3's sorting (50), without a customer.
    from pipelines.report.pages.queries import loop_query

    with read_only(loop) as con:
        march = loop_query(con, "copq_customers", date(2025, 3, 1)).rows()
        april = loop_query(con, "copq_customers", date(2025, 4, 1)).rows()
    assert march == [("甲", 2100.0), ("乙", 500.0)]
    assert april == []


def test_risk_levels_at_every_boundary(loop):
    got = {r["risk_id"]: (r["score"], r["computed_level"], r["level"])
           for r in query(loop, "select * from risk_register")}
    assert got == {
        "R12": (6, "medium", "较高"), "R14": (3, "low", "可接受"), "R20": (4, "low", None),
        "R21": (5, "medium", None), "R22": (9, "medium", None), "R23": (10, "high", None),
        "R24": (12, "high", None), "R25": (15, "critical", None),
    }


def test_risk_signals_link_complaints_to_risks(loop):
    got = [(r["month"], r["risk_id"], r["cause_code"], r["complaints"], r["defect_qty"])
           for r in query(loop, "select * from risk_signals_monthly")]
    march = date(2025, 3, 1)
    assert got == [(march, "R12", "cracking", 1, 5), (march, "R14", "cracking", 1, 5),
                   (march, "R20", "logistics", 1, 2)]


def test_scorecard_reconciliation_at_the_tolerance(loop):
    got = {(r["customer"], r["kpi"]): (r["customer_value"], r["our_value"], r["agrees"])
           for r in query(loop, "select * from scorecard_reconciliation")}
    assert got == {
        ("甲", "ppm"): (510.0, 500.0, True),
        ("甲", "otd"): (99.5, 100.0, True),
        ("乙", "otd"): (1.0, 0.0, False),
        ("丙", "ppm"): (0.0, None, None),
    }


def test_section_8_views_have_the_spec_columns(loop):
    expected = {
        "action_steps": ["action_id", "customer", "step", "due_date", "done_date", "on_time"],
        "copq_monthly": ["month", "component", "amount"],
        "risk_signals_monthly": ["month", "risk_id", "cause_code", "complaints", "defect_qty"],
        "scorecard_reconciliation": ["month", "customer", "kpi", "customer_value", "our_value",
                                     "difference", "agrees", "status"],
    }
    with read_only(loop) as con:
        for view, columns in expected.items():
            assert con.sql(f"select * from {view} limit 0").columns == columns, view
        register = con.sql("select * from risk_register limit 0").columns
    assert {"risk_id", "kind", "severity", "likelihood", "level", "causes", "score",
            "computed_level"} <= set(register)




# --- the pack's closing-the-loop sections, March 2025 ------------------------------------
# At 03-31: overdue A2 D4 (due 03-10 + 10 = 03-20: 11 days), A3 D3 (03-21: 10 days), A3 D4
# (03-30: 1 day); A4's D3 was late but done by then; A1's D6 (04-02) is not due yet.
# COPQ by customer: 甲 claims 1000 + premium freight 800 + scrap 300 = 2,100; 乙 claims 500
# (Q2 rework has no customer). No escalation candidate in March (C1 has 5 defects).
# Low risks R14 and R20 drew 1 complaint each in January to March (< 3): none to re-assess.


@pytest.fixture(scope="module")
def packs(loop):
    from pipelines.report.pack.build import build_pack

    return {lang: build_pack(loop, date(2025, 3, 1), lang=lang,
                             out=loop.project_dir / "reports" / f"2025-03-{lang}")
            for lang in ("zh", "en")}


def cells(page: str, heading: str) -> list[list[str]]:
    """The rows of the table under `heading` on `page`, as cell texts."""
    import re

    block = page.split(f"<h3>{heading}</h3>", 1)[1].split("<h3>", 1)[0]
    if "<table" not in block:
        return []
    body = block.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [[re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]
            for row in body.split("</tr>") if "<td" in row]


def test_the_pack_shows_the_loop_sections(packs):
    zh = (packs["zh"] / "review.html").read_text(encoding="utf-8")
    en = (packs["en"] / "review.html").read_text(encoding="utf-8")
    for page, words in ((zh, ("8. 纠正措施(8D)及时性", "9. 质量成本(COPQ)", "10. 风险与机遇",
                              "11. 客户评分卡核对", "12. 行动计划")),
                        (en, ("8. Corrective actions (8D): timeliness",
                              "9. Cost of poor quality", "10. Risks and opportunities",
                              "11. Customer scorecards", "12. Action list"))):
        assert all(word in page for word in words)
    assert cells(en, "8D steps due this month: on-time rate")[0] == [
        "D3 containment", "4", "1", "25.0 %"]
    assert [(r[0], r[1], r[3], r[6]) for r in cells(en, "8D steps overdue at the month&#x27;s end")
            ] == [("A2", "D4 root cause", "王工", "11"), ("A3", "D3 containment", "李工", "10"),
                  ("A3", "D4 root cause", "李工", "1")]
    assert "Every escalation candidate of the month has a corrective action." in en
    assert cells(en, "Customers with the highest cost of poor quality this month") == [
        ["甲", "2,100"], ["乙", "500"]]
    assert [r[0] for r in cells(en, "Risks whose causes drew complaints this month")] == [
        "R12", "R14", "R20"]
    assert "No low-rated risk needs re-assessing." in en
    assert cells(en, "Customer scorecards that disagree with our numbers") == [
        ["乙", "On-time delivery (OTD)", "1.0 %", "0.0 %", "red"]]
    assert [r[0] for r in cells(zh, "客户评分卡中的特殊状态")] == ["乙"]
    # the KPIs in the scorecard, and the missed containment in the action list
    assert "8D围堵及时率" in (packs["zh"] / "index.html").read_text(encoding="utf-8")
    assert any("Containment (8D D3) on time" in row[0] and "25.0 %" in row[2]
               for row in cells(en, "Action list for missed targets"))


def test_the_action_list_is_the_review_s_action_plan(loop):
    # Open at 03-31: A1 (甲, next step D6 due 04-02), A2 (乙, D4 due 03-20), A3 (丙, D3 due
    # 03-21), A4 (丁, D4 due 04-04); A6 is closed.
    # Lines in March: containment 25 % missed (company; late D3s of 乙 A2, 丙 A3, 丁 A4 ->
    # contributors 乙, 丙, 丁 and owners 李工 (A3, A4) 2, 王工 1): addressed by A2, A3, A4.
    # PPM 甲 500 > 200 (a customer line): addressed by A1. OTD 乙 0 % < 98: by A2. The
    # scorecard 乙 OTD (portal 1 %, ours 0 %) disagrees: by A2.
    from pipelines.metrics.actions import action_list

    with read_only(loop) as con:
        table = action_list(con, date(2025, 3, 1))
    lines = {(r["kpi"], r["scope"], r["line"]): r for r in table.to_dicts()}
    containment = lines[("containment_on_time", "all", "missed")]
    assert containment["top_causes"] == "李工 (2), 王工 (1)"
    assert [a["action_id"] for a in containment["open_actions"]] == ["A2", "A3", "A4"]
    assert [a["action_id"] for a in lines[("ppm", "甲", "missed")]["open_actions"]] == ["A1"]
    scorecard = lines[("otd", "乙", "scorecard")]
    assert (scorecard["value"], scorecard["target"]) == (0.0, 1.0)
    assert [(a["action_id"], a["next_step"], a["next_due"]) for a in scorecard["open_actions"]
            ] == [("A2", "d4", date(2025, 3, 20))]
