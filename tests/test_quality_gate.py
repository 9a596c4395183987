"""The quality gate on small hand-made files: where each row goes and why.

Each case is a real CSV read by the real reader and checked by the real GX suite; the
expected counts are worked out by hand in the case's comment.
"""

from __future__ import annotations

import json

import pytest
from quality_support import check_text, project_gate

from pipelines.quality import QualityGate


@pytest.fixture(scope="module")
def gate() -> QualityGate:
    return project_gate()




CASES = {
    # 3 rows read; C-2 has an unparseable date -> 1 quarantined, 2 loaded, 0 skipped.
    "unparseable_date": (
        "complaints.csv",
        "complaint_id,received_date,customer,defect_qty\n"
        "C-1,2024-09-03,A,1\nC-2,2024-13-45,A,1\nC-3,2024-09-04,B,2\n",
        (3, 2, 1, 0),
        {3: 'received_date: unparseable date "2024-13-45"'},
    ),
    # 2 rows read; C-2 lacks its customer -> 1 quarantined, 1 loaded.
    "missing_required": (
        "complaints.csv",
        "complaint_id,received_date,customer,defect_qty\nC-1,2024-09-03,A,1\nC-2,2024-09-03,,1\n",
        (2, 1, 1, 0),
        {3: "customer: required value missing"},
    ),
    # 2 rows read; defect_qty -2 is out of range -> 1 quarantined.
    "negative_defect_qty": (
        "complaints.csv",
        "complaint_id,received_date,customer,defect_qty\nC-1,2024-09-03,A,-2\nC-2,2024-09-03,A,0\n",
        (2, 1, 1, 0),
        {2: 'defect_qty: out of range "-2", must be at least 0'},
    ),
    # 4 rows read: C-1 twice with different dates (both quarantined), C-2 identical twice
    # (the repeat is skipped) -> loaded 1 (C-2), quarantined 2, skipped 1.
    "duplicate_key": (
        "complaints.csv",
        "complaint_id,received_date,customer,defect_qty\n"
        "C-1,2024-09-03,A,1\nC-1,2024-09-04,A,1\nC-2,2024-09-05,B,1\nC-2,2024-09-05,B,1\n",
        (4, 1, 2, 1),
        {
            2: 'complaint_id: duplicate key "C-1" in this file',
            3: 'complaint_id: duplicate key "C-1" in this file',
        },
    ),
    # 2 rows read; qty 0 is not > 0 -> 1 quarantined.
    "zero_qty": (
        "deliveries.csv",
        "delivery_id,customer,qty,ship_date,promised_date\n"
        "D-1,A,0,2024-09-01,2024-09-05\nD-2,A,10,2024-09-01,2024-09-05\n",
        (2, 1, 1, 0),
        {2: 'qty: out of range "0", must be greater than 0'},
    ),
    # 2 rows read; amount -5 and premium "maybe" on F-1 -> 1 quarantined with both reasons.
    "freight_amount_and_bool": (
        "freight.csv",
        "freight_id,ship_date,customer,amount,premium\n"
        "F-1,2024-09-01,A,-5,maybe\nF-2,2024-09-01,A,100,yes\n",
        (2, 1, 1, 0),
        {
            2: 'premium: unparseable yes/no value "maybe"; '
            'amount: out of range "-5.00", must be at least 0'
        },
    ),
    # 3 rows read; scores 11 and 0 are outside 1-10 -> 2 quarantined, 1 loaded.
    "score_range": (
        "surveys.csv",
        "response_id,survey_date,customer,score\n"
        "S-1,2024-09-01,A,11\nS-2,2024-09-01,A,0\nS-3,2024-09-01,A,10\n",
        (3, 1, 2, 0),
        {
            2: 'score: out of range "11", must be between 1 and 10',
            3: 'score: out of range "0", must be between 1 and 10',
        },
    ),
    # 2 rows read; P-1 has more intact than checked -> 1 quarantined.
    "intact_above_checked": (
        "property_checks.csv",
        "check_id,check_date,customer,qty_checked,qty_intact\n"
        "P-1,2024-09-01,A,10,12\nP-2,2024-09-01,A,10,10\n",
        (2, 1, 1, 0),
        {2: 'qty_intact: "12" is more than qty_checked "10"'},
    ),
    # 3 rows read, 1 total row ("合计") skipped -> 2 loaded, 0 quarantined.
    "total_row_skipped": (
        "complaints.csv",
        "complaint_id,received_date,customer,defect_qty\n"
        "C-1,2024-09-03,A,1\nC-2,2024-09-03,A,2\n合计,,,3\n",
        (3, 2, 0, 1),
        {},
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_rows_are_split_by_the_error_checks(gate, tmp_path, case):
    name, text, (read, loaded, quarantined, skipped), reasons = CASES[case]
    gated = check_text(gate, tmp_path, name, text)
    assert gated.read.rows_read == read
    assert gated.clean.height == loaded
    assert gated.quarantine.height == quarantined
    assert gated.read.rows_skipped == skipped
    assert read == loaded + quarantined + skipped
    found = dict(zip(gated.quarantine["row_number"], gated.quarantine["reasons"], strict=True))
    assert found == reasons


def test_warnings_load_the_row_and_record_the_finding(gate, tmp_path):
    # D-1 delivered (08-30) before shipped (09-01): warning, row loads. D-2 is fine.
    # 2 read, 2 loaded, 0 quarantined; 1 row warned; plus 1 file-level unknown column.
    gated = check_text(
        gate,
        tmp_path,
        "deliveries.csv",
        "delivery_id,customer,qty,ship_date,promised_date,delivered_date,司机\n"
        "D-1,A,5,2024-09-01,2024-09-05,2024-08-30,王\n"
        "D-2,A,5,2024-09-01,2024-09-05,2024-09-04,李\n",
    )
    assert (gated.clean.height, gated.quarantine.height, gated.rows_warned) == (2, 0, 1)
    rows = gated.warnings.sort("row_number", nulls_last=True).to_dicts()
    assert rows[0]["row_number"] == 2
    assert (
        rows[0]["message"] == 'delivered_date: "2024-08-30" is earlier than ship_date "2024-09-01"'
    )
    assert rows[1]["row_number"] is None
    assert rows[1]["check_name"] == "unknown_columns"
    assert rows[1]["column_name"] == "司机"


def test_unmapped_cause_is_a_warning_and_the_record_keeps_the_file_headers(gate, tmp_path):
    # 客诉编号 K-1: cause 螺丝松动 is not in the taxonomy -> loads, 1 warning.
    # K-2: unparseable 数量 "十" -> quarantined; its record uses the Chinese headers.
    gated = check_text(
        gate,
        tmp_path,
        "客诉.csv",
        "客诉编号,接收日期,客户,不良数量,原因\nK-1,2024-09-03,一汽,1,螺丝松动\nK-2,2024-09-03,一汽,十,开裂\n",
    )
    assert (gated.clean.height, gated.quarantine.height, gated.rows_warned) == (1, 1, 1)
    assert gated.warnings["message"][0] == (
        'cause: "螺丝松动" is not in the cause taxonomy (kept as unmapped)'
    )
    record = json.loads(gated.quarantine["record"][0])
    assert record == {
        "客诉编号": "K-2",
        "接收日期": "2024-09-03",
        "客户": "一汽",
        "不良数量": "十",
        "原因": "开裂",
    }
    assert gated.quarantine["reasons"][0] == 'defect_qty: unparseable number "十"'
