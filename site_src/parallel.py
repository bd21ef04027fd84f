"""Work spread over the CPUs: a pure function over a list, in order, on forked workers.

The workers are forked after the work is set out, so they start with the list,
the function and everything it reads already in memory: only chunk bounds go
to them and only results come back. Each worker keeps what a process keeps
(one Markdown converter, compiled templates) from one item to the next. Where
forking isn't safe or the list is short, the items are done here, in order;
the results are the same either way.

A worker that reads an object of this process's memory copies the page of memory
it is on, because reading it changes its count of references: work that reads a
little of everything (a page of the site reads its stretch, its muscles, its
neighbours) would leave each worker with a copy of most of it. Such work is made
here and `sent`: the items go to the workers in chunks, a few ahead of the
results, and the workers read only what they are sent.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
from collections import deque
from collections.abc import Callable, Generator, Iterable, Sequence
from typing import Any

MIN_ITEMS = 64  # fewer than this aren't worth starting workers for
CHUNKS_PER_WORKER = 8  # small enough to share out evenly, big enough to cost little
# A chunk's results cross as one message, held whole on both sides while they do: at 10,000
# stretches a sixteenth of the pages is 20 to 40 MB.
MAX_CHUNK = 64
SENT_BYTES = 1024 * 1024  # a chunk of work sent is closed at this much, as its items weigh it
AHEAD = 2  # chunks sent per worker before the first of them comes back

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


def _sent_chunk(items: list[Any]) -> list[Any]:
    assert _work is not None
    fn, _items = _work
    return [fn(item) for item in items]


def ordered_map(fn: Callable[[Any], Any], items: Sequence[Any], jobs: int,
                done: Callable[[int], None] | None = None) -> list[Any]:
    """[fn(item) for item in items], on up to `jobs` processes; `done(n)` after every n
    finished. fn must not raise: return the problem instead."""
    return list(ordered_results(fn, items, jobs, done))


def ordered_results(fn: Callable[[Any], Any], items: Sequence[Any], jobs: int,
                    done: Callable[[int], None] | None = None) -> Generator[Any, None, None]:
    """fn(item) for each item, in order, as they come: the caller can let each go before
    the next (a big library's pages need not all be in memory at once)."""
    global _work
    jobs = min(jobs, len(items) // MIN_ITEMS)
    if not _forks(jobs):
        for item in items:
            yield fn(item)
            if done:
                done(1)  # Progress redraws at most ten times a second
        return
    size = min(MAX_CHUNK, max(1, -(-len(items) // (jobs * CHUNKS_PER_WORKER))))
    chunks = [(start, min(start + size, len(items))) for start in range(0, len(items), size)]
    _work = (fn, items)
    try:
        with _pool(jobs) as pool:
            for part in pool.imap(_chunk, chunks):
                if done:
                    done(len(part))
                yield from part
    finally:
        _work = None


def sent(fn: Callable[[Any], Any], items: Iterable[Any], jobs: int,
         weigh: Callable[[Any], int] = lambda _item: 1,
         done: Callable[[int], None] | None = None
         ) -> Generator[tuple[Any, Any], None, None]:
    """(item, fn(item)) for each item, in order, as they come, for items made here as they
    are asked for: each chunk of them (MAX_CHUNK items, or SENT_BYTES as `weigh` weighs
    them) is sent to a worker, AHEAD chunks per worker before the first comes back. The
    caller says whether the items are worth `jobs` workers; it can close this generator to
    stop them (a page that ran out of time says the rest would too)."""
    global _work
    if not _forks(jobs):
        for item in items:
            yield item, fn(item)
            if done:
                done(1)
        return
    _work = (fn, ())
    try:
        with _pool(jobs) as pool:
            flying: deque[tuple[list[Any], Any]] = deque()
            for chunk in _chunks(items, weigh):
                flying.append((chunk, pool.apply_async(_sent_chunk, (chunk,))))
                while len(flying) >= jobs * AHEAD:
                    yield from _landed(*flying.popleft(), done)
            while flying:
                yield from _landed(*flying.popleft(), done)
    finally:
        _work = None


def _chunks(items: Iterable[Any], weigh: Callable[[Any], int]) -> Iterable[list[Any]]:
    chunk: list[Any] = []
    weight = 0
    for item in items:
        chunk.append(item)
        weight += weigh(item)
        if len(chunk) >= MAX_CHUNK or weight >= SENT_BYTES:
            yield chunk
            chunk, weight = [], 0
    if chunk:
        yield chunk


def _landed(chunk: list[Any], result: Any, done: Callable[[int], None] | None
            ) -> Iterable[tuple[Any, Any]]:
    results = result.get()
    if done:
        done(len(results))
    return zip(chunk, results, strict=True)


def _forks(jobs: int) -> bool:
    # fork is the only start method that shares the work without pickling it; it is safe
    # on Linux, and not on macOS (system libraries) or Windows (no fork).
    return jobs > 1 and sys.platform.startswith("linux")


def _pool(jobs: int) -> Any:
    # A worker's collector leaves what it was forked with alone: visiting those objects
    # would write to their pages, and each worker would end up with a copy of them all.
    return multiprocessing.get_context("fork").Pool(jobs, initializer=gc.freeze)
