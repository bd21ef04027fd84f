"""Work spread over the CPUs: a pure function over a list, in order, on forked workers.

The workers are forked after the work is set out, so they start with the list,
the function and everything it reads already in memory: only chunk bounds go
to them and only results come back. Each worker keeps what a process keeps
(one Markdown converter, compiled templates) from one item to the next. Where
forking isn't safe or the list is short, the items are done here, in order;
the results are the same either way.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
from collections.abc import Callable, Generator, Sequence
from typing import Any

MIN_ITEMS = 64  # fewer than this aren't worth starting workers for
CHUNKS_PER_WORKER = 8  # small enough to share out evenly, big enough to cost little
# A chunk's results cross as one message, held whole on both sides while they do: at 10,000
# stretches a sixteenth of the pages is 20 to 40 MB.
MAX_CHUNK = 64

Progress = Callable[[str, int, int], None]  # told (what, done, total)

_work: tuple[Callable[[Any], Any], Sequence[Any]] | None = None


def cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def counter(what: str, total: int, done: int, progress: Progress | None
            ) -> Callable[[int], None] | None:
    """A `done` callback for ordered_map that tells `progress` the running count, starting
    from the `done` already done another way (found in the cache)."""
    if progress is None:
        return None
    progress(what, done, total)

    def more(count: int) -> None:
        nonlocal done
        done += count
        progress(what, done, total)
    return more


def _chunk(bounds: tuple[int, int]) -> list[Any]:
    assert _work is not None
    fn, items = _work
    return [fn(items[i]) for i in range(*bounds)]


def ordered_map(fn: Callable[[Any], Any], items: Sequence[Any], jobs: int,
                done: Callable[[int], None] | None = None) -> list[Any]:
    """[fn(item) for item in items], on up to `jobs` processes; `done(n)` after every n
    finished. fn must not raise: return the problem instead."""
    return list(ordered_results(fn, items, jobs, done))


def ordered_results(fn: Callable[[Any], Any], items: Sequence[Any], jobs: int,
                    done: Callable[[int], None] | None = None,
                    min_items: int | None = None) -> Generator[Any, None, None]:
    """fn(item) for each item, in order, as they come: the caller can let each go before
    the next (a big library's pages need not all be in memory at once), and close it to
    stop the workers (a page that ran out of time says the rest would too). Workers start for
    at least `min_items` items each (MIN_ITEMS): a caller that knows its items are big can
    say fewer."""
    global _work
    jobs = min(jobs, len(items) // (min_items or MIN_ITEMS))
    # fork is the only start method that shares the work without pickling it; it is safe
    # on Linux, and not on macOS (system libraries) or Windows (no fork).
    if jobs <= 1 or not sys.platform.startswith("linux"):
        for item in items:
            yield fn(item)
            if done:
                done(1)  # Progress redraws at most ten times a second
        return
    size = min(MAX_CHUNK, max(1, -(-len(items) // (jobs * CHUNKS_PER_WORKER))))
    chunks = [(start, min(start + size, len(items))) for start in range(0, len(items), size)]
    _work = (fn, items)
    try:
        # A worker's collector leaves what it was forked with alone: visiting those objects
        # would write to their pages, and each worker would end up with a copy of them all.
        with multiprocessing.get_context("fork").Pool(jobs, initializer=gc.freeze) as pool:
            for part in pool.imap(_chunk, chunks):
                if done:
                    done(len(part))
                yield from part
    finally:
        _work = None
