"""Work on the next items of a list in threads while the caller handles the current one.

Reading a small file is mostly polars and the csv module, which release the GIL for much of
their work: with two cores, the next files are read while this one is checked and landed.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


def ahead(work: Callable[[Item], Result], items: Iterable[Item], *, threads: int = 2,
          window: int = 8) -> Iterator[Result]:
    """`work(item)` for each item, yielded in the items' order, with up to `window` of the
    next items worked on meanwhile (so at most `window` results are held at once). An
    exception of `work` is raised at its item's turn; closing the iterator early cancels
    what has not started and waits for what has."""
    pending: deque[Future[Result]] = deque()
    remaining = iter(items)
    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="read-ahead") as pool:
        try:
            for item in remaining:
                pending.append(pool.submit(work, item))
                if len(pending) >= window:
                    break
            while pending:
                result = pending.popleft().result()
                for item in remaining:  # one more, to keep the window full
                    pending.append(pool.submit(work, item))
                    break
                yield result
        finally:
            for future in pending:
                future.cancel()
