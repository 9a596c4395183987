"""A commit that loses a race to another writer is retried from a fresh read, bounded, then
one sentence (pipelines.lake.catalog.with_retries). The races are real: a second handle on the
same Iceberg table commits between our read and our commit, and Iceberg's own optimistic check
refuses ours (CommitFailedException)."""

from __future__ import annotations

import pyarrow as pa
import pytest

from pipelines.lake.catalog import LakeBusy, locate, open_catalog, with_retries
from pipelines.lake.tables import plant_table

ROWS = pa.schema([("plant", pa.string()), ("n", pa.int64())])


def one_row(plant: str, n: int) -> pa.Table:
    return pa.Table.from_pylist([{"plant": plant, "n": n}], schema=ROWS)


@pytest.fixture
def table_catalog(tmp_path):
    catalog = open_catalog(locate(str(tmp_path / "lake")), create=True)
    table = plant_table(catalog, "races", ROWS)
    # pyiceberg's own in-commit retries off: every lost race reaches with_retries
    with table.transaction() as tx:
        tx.set_properties({"commit.retry.num-retries": "0"})
    return catalog


def racing_attempt(catalog, losses: int, calls: list[str]):
    """An attempt that reads the table, lets another writer commit first for the first
    `losses` calls, then commits its own row."""

    def attempt() -> int:
        ours = catalog.load_table("aftersales.races")
        if len(calls) < losses:
            catalog.load_table("aftersales.races").append(one_row("BJ02", len(calls)))
        calls.append("attempt")
        ours.append(one_row("SH01", len(calls)))
        return len(calls)

    return attempt


def rows(catalog) -> list[tuple[str, int]]:
    found = catalog.load_table("aftersales.races").scan().to_arrow().to_pylist()
    return sorted((r["plant"], r["n"]) for r in found)


def test_a_lost_commit_is_retried_and_lands(table_catalog):
    calls: list[str] = []
    waits: list[float] = []
    result = with_retries(racing_attempt(table_catalog, 2, calls), "publishing races",
                          sleep=waits.append)
    # two losses (the other writer's rows 0 and 1 landed), our third attempt landed
    assert result == 3
    assert rows(table_catalog) == [("BJ02", 0), ("BJ02", 1), ("SH01", 3)]
    # backing off: the second wait is drawn from twice the first's range (0.1 s then 0.2 s,
    # each × 0.5 to 1.5)
    assert len(waits) == 2 and 0.05 <= waits[0] <= 0.15 and 0.1 <= waits[1] <= 0.3


def test_a_commit_that_keeps_losing_gives_up_in_one_sentence(table_catalog):
    calls: list[str] = []
    with pytest.raises(LakeBusy) as raised:
        with_retries(racing_attempt(table_catalog, 99, calls), "publishing races of plant SH01",
                     attempts=3, sleep=lambda _: None)
    assert len(calls) == 3
    assert str(raised.value) == (
        "Publishing races of plant SH01 lost 3 commits in a row to other publishes writing the "
        "same tables; run the command again when they are done."
    )
    assert rows(table_catalog) == [("BJ02", 0), ("BJ02", 1), ("BJ02", 2)]
