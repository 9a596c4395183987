"""The months of the KPI views: first to last month with data in any source, by each source's
own date (received, ship, survey, check); a promise date alone opens no month."""

from __future__ import annotations

from kpi_support import make_project, read_only, rows

from pipelines.ingest_pipeline import ingest_paths


def test_a_line_promised_after_the_last_month_opens_no_month(tmp_path):
    settings = make_project(tmp_path)
    deliveries = tmp_path / "deliveries.csv"
    # D1 shipped and due in June; D2 shipped 30 June, due 2 July, delivered 1 July.
    deliveries.write_text(
        "delivery_id,customer,qty,ship_date,promised_date,delivered_date\n"
        "D1,A,100,2024-06-10,2024-06-12,2024-06-12\n"
        "D2,A,50,2024-06-30,2024-07-02,2024-07-01\n",
        encoding="utf-8",
    )
    ingest_paths(settings, [deliveries])
    with read_only(settings) as con:
        months = rows(con, "select distinct period_start from kpi_scorecard order by 1")
        otd = rows(con, "select month, numerator, denominator from kpi_by_customer_monthly "
                        "where kpi = 'otd' order by month")
    # data: ship dates in June only, so June is the one month (and Q2, H1)
    assert [str(r["period_start"]) for r in months] == ["2024-01-01", "2024-04-01", "2024-06-01"]
    # June OTD: D1 due 06-12, delivered 06-12 (on time) -> 1 of 1; D2's July is not shown
    assert [(str(r["month"]), r["numerator"], r["denominator"]) for r in otd] == [
        ("2024-06-01", 1.0, 1.0)
    ]
