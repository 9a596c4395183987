"""`ahead` works on the next items in threads and yields the results in the items' order."""

from __future__ import annotations

import threading
import time

import pytest

from pipelines.read_ahead import ahead


def test_results_come_in_order_whatever_finishes_first() -> None:
    # item i sleeps (5 - i) ms: the later items finish first, yet come out in order
    results = list(ahead(lambda i: (time.sleep((5 - i) / 1000), i * i)[1], range(6)))
    assert results == [0, 1, 4, 9, 16, 25]


def test_no_more_than_the_window_is_held_ahead() -> None:
    started: list[int] = []
    lock = threading.Lock()

    def work(i: int) -> int:
        with lock:
            started.append(i)
        return i

    items = ahead(work, range(100), threads=2, window=3)
    assert next(items) == 0
    time.sleep(0.05)  # the threads had time to start whatever was submitted
    # item 0 taken, then one more submitted to keep three in flight: items 0 to 3 at most
    assert max(started) <= 3
    items.close()


def test_an_error_is_raised_at_its_items_turn() -> None:
    def work(i: int) -> int:
        if i == 2:
            raise ValueError("item 2")
        return i

    items = ahead(work, range(5))
    assert [next(items), next(items)] == [0, 1]
    with pytest.raises(ValueError, match="item 2"):
        next(items)
