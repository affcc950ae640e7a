"""Map a function over items across forked worker processes, results in order.

Workers are forked, so they inherit the shared state (the site model, the config) as it
is: nothing large is pickled, only the items and the results.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from typing import Any

CHUNK = 25  # items per task: few round trips, and still an even spread

_shared: tuple[Callable[[Any, Any], Any], Any] | None = None


def _run_chunk(chunk: list[Any]) -> list[Any]:
    assert _shared is not None
    function, shared = _shared
    return [function(shared, item) for item in chunk]


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def fork_map(
    function: Callable[[Any, Any], Any],
    shared: Any,
    items: list[Any],
    jobs: int,
    min_per_worker: int = 50,
) -> Iterator[Any]:
    """``function(shared, item)`` for each item, in order.

    Runs in this process when there are too few items to be worth a worker each
    (``min_per_worker``), when ``jobs`` < 2, or where processes cannot be forked.
    """
    global _shared
    jobs = min(jobs, len(items) // min_per_worker)
    if jobs < 2:
        yield from (function(shared, item) for item in items)
        return
    import multiprocessing  # only here: a rebuild of a few pages needs no pool

    if "fork" not in multiprocessing.get_all_start_methods():
        yield from (function(shared, item) for item in items)
        return
    chunks = [items[i : i + CHUNK] for i in range(0, len(items), CHUNK)]
    _shared = (function, shared)
    try:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            for results in pool.imap(_run_chunk, chunks):
                yield from results
    finally:
        _shared = None


def with_progress(
    results: Iterable[Any], count: int, progress: Callable[[Iterable, int], Iterable] | None
) -> Iterable[Any]:
    return results if progress is None else progress(results, count)
