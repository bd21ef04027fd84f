"""Work spread over the CPUs: a pure function over a list, in order, on worker processes.

The workers are new Python processes (`_Worker`), not forks of this one. A fork shares
this process's memory as it was when it was forked, page by page, until one of them
writes to a page: then the writer gets a copy. Reading an object writes its count of
references, and making the items and taking in the results reads and writes all over
this process's memory, so each page of it this process touched while forked workers
lived was held twice (at 10,000 stretches, 100 MB and more). A new process is sent the
function once, as pickle takes it, then the items in chunks, a few ahead of the
results; it holds only what it is sent, and hands back to the system what a chunk took
once it is done. Each keeps what a process keeps (one Markdown converter, compiled
templates) from one item to the next, and the same code runs on every system. Where the
list is short the items are done here, in order; the results are the same either way.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import queue
import signal
import subprocess
import sys
import tempfile
import threading
from collections import deque
from collections.abc import Callable, Generator, Iterable, Sequence
from typing import IO, Any

from . import memory
from .errors import SiteError

MIN_ITEMS = 64  # fewer than this aren't worth starting workers for
CHUNKS_PER_WORKER = 8  # small enough to share out evenly, big enough to cost little
# A chunk's results cross as one message, held whole on both sides while they do: at 10,000
# stretches a sixteenth of the pages is 20 to 40 MB.
MAX_CHUNK = 64
SENT_BYTES = 1024 * 1024  # a chunk of work sent is closed at this much, as its items weigh it
AHEAD = 2  # chunks sent per worker before the first of them comes back

Progress = Callable[[str, int, int], None]  # told (what, done, total)


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


def ordered_map(fn: Callable[[Any], Any], items: Sequence[Any], jobs: int,
                done: Callable[[int], None] | None = None) -> list[Any]:
    """[fn(item) for item in items], on up to `jobs` processes; `done(n)` after every n
    finished. fn must not raise: return the problem instead."""
    return list(ordered_results(fn, items, jobs, done))


def ordered_results(fn: Callable[[Any], Any], items: Sequence[Any], jobs: int,
                    done: Callable[[int], None] | None = None) -> Generator[Any, None, None]:
    """fn(item) for each item, in order, as they come: the caller can let each go before
    the next (a big library's pages need not all be in memory at once). A worker is
    started for every MIN_ITEMS items, up to `jobs`, each given about CHUNKS_PER_WORKER
    chunks."""
    jobs = max(1, min(jobs, len(items) // MIN_ITEMS))
    size = min(MAX_CHUNK, max(1, -(-len(items) // (jobs * CHUNKS_PER_WORKER))))
    for _item, result in sent(fn, items, jobs, done=done, size=size):
        yield result


def sent(fn: Callable[[Any], Any], items: Iterable[Any], jobs: int,
         weigh: Callable[[Any], int] = lambda _item: 1,
         done: Callable[[int], None] | None = None, size: int | None = None
         ) -> Generator[tuple[Any, Any], None, None]:
    """(item, fn(item)) for each item, in order, as they come, for items made here as they
    are asked for: each chunk of them (`size` items, MAX_CHUNK unless told, or SENT_BYTES
    as `weigh` weighs them) goes to the next worker free, AHEAD chunks per worker before
    the first comes back.
    The workers are new processes (_Worker), sent fn once as pickle takes it: a bound method
    goes as its object pickles itself, and module state this process changed does not go.
    The caller says whether the items are worth `jobs` workers; it can close this generator
    to stop them (a page that ran out of time says the rest would too)."""
    if jobs <= 1:
        for item in items:
            yield item, fn(item)
            if done:
                done(1)
        return
    todo: queue.SimpleQueue[tuple[int, list[Any]] | None] = queue.SimpleQueue()
    back: queue.SimpleQueue[tuple[int, list[Any] | WorkerLost]] = queue.SimpleQueue()
    workers: list[_Worker] = []
    flying: deque[tuple[int, list[Any]]] = deque()  # chunks sent, not yet taken back, in order
    landed: dict[int, list[Any]] = {}  # chunk number -> its results, come back early

    def oldest() -> Iterable[tuple[Any, Any]]:
        number, chunk = flying.popleft()
        while number not in landed:
            got, results = back.get()
            if isinstance(results, WorkerLost):
                raise results
            landed[got] = results
        results = landed.pop(number)
        if done:
            done(len(results))
        return zip(chunk, results, strict=True)

    try:
        workers += [_Worker(fn, todo, back) for _ in range(jobs)]
        for number, chunk in enumerate(_chunks(items, weigh, size or MAX_CHUNK)):
            todo.put((number, chunk))
            flying.append((number, chunk))
            while len(flying) >= jobs * AHEAD:
                yield from oldest()
        while flying:
            yield from oldest()
    finally:
        for worker in workers:
            worker.stop()


def _chunks(items: Iterable[Any], weigh: Callable[[Any], int], size: int
            ) -> Iterable[list[Any]]:
    chunk: list[Any] = []
    weight = 0
    for item in items:
        chunk.append(item)
        weight += weigh(item)
        if len(chunk) >= size or weight >= SENT_BYTES:
            yield chunk
            chunk, weight = [], 0
    if chunk:
        yield chunk


class WorkerLost(SiteError):
    """A worker process ended before it sent back what it was given."""

    def __init__(self, status: int | None, said: str):
        ended = "was killed" if status is not None and status < 0 else f"exited ({status})"
        super().__init__(f"a worker process {ended} before it finished"
                         + (f": {said}" if said else "") + "; build again, or build with "
                         "--jobs 1")


class _Worker:
    """A Python process of its own (not a fork of this one, which would keep a copy of this
    process's memory: see the module's docstring) that finds the modules this process finds,
    and a thread here that sends it fn, then each chunk it takes from `todo` once the last
    came back, and puts (chunk number, results) in `back`; WorkerLost if it ends."""

    def __init__(self, fn: Callable[[Any], Any],
                 todo: queue.SimpleQueue[tuple[int, list[Any]] | None],
                 back: queue.SimpleQueue[tuple[int, list[Any] | WorkerLost]]) -> None:
        self._said = tempfile.TemporaryFile()  # noqa: SIM115 (its standard error, as long
        # as it lives, for WorkerLost)
        start = f"import sys; sys.path[:] = {sys.path!r}; from {__name__} import _serve; " \
            "_serve()"
        self._process = subprocess.Popen([sys.executable, "-c", start], stdin=subprocess.PIPE,
                                         stdout=subprocess.PIPE, stderr=self._said)
        self._todo = todo
        self._stopping = False
        threading.Thread(target=self._run, args=(fn, back), daemon=True).start()

    def _run(self, fn: Callable[[Any], Any],
             back: queue.SimpleQueue[tuple[int, list[Any] | WorkerLost]]) -> None:
        given, results = self._process.stdin, self._process.stdout
        assert given is not None and results is not None
        try:
            _write(given, pickle.dumps(fn, pickle.HIGHEST_PROTOCOL))
            while (job := self._todo.get()) is not None:
                number, chunk = job
                _write(given, pickle.dumps(chunk, pickle.HIGHEST_PROTOCOL))
                data = _read(results)
                if data is None:
                    break
                back.put((number, pickle.loads(data)))
            else:
                return
        except OSError:  # it ended while it was sent something
            pass
        if not self._stopping:
            self._said.seek(0)
            said = self._said.read().decode("utf-8", "replace").strip().splitlines()
            back.put((-1, WorkerLost(self._process.wait(), said[-1] if said else "")))

    def stop(self) -> None:
        self._stopping = True
        self._todo.put(None)  # one for each worker: each thread takes one
        self._process.kill()
        self._process.wait()
        for stream in (self._process.stdin, self._process.stdout, self._said):
            with contextlib.suppress(OSError):
                if stream:
                    stream.close()


def _write(stream: IO[bytes], data: bytes) -> None:
    stream.write(len(data).to_bytes(8, "little"))
    stream.write(data)
    stream.flush()


def _read(stream: IO[bytes]) -> bytes | None:
    """The next message, or None at the end of the stream."""
    head = stream.read(8)
    if len(head) < 8:
        return None
    size = int.from_bytes(head, "little")
    data = stream.read(size)
    return data if len(data) == size else None


def _serve() -> None:
    """A worker's life (_Worker): read fn, then each chunk, and send back its results."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the build, which stops us
    given, back = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # anything fn prints must not go into the results
    memory.lean()
    data = _read(given)
    fn = None if data is None else pickle.loads(data)
    while fn is not None and (data := _read(given)) is not None:
        _write(back, pickle.dumps([fn(item) for item in pickle.loads(data)],
                                  pickle.HIGHEST_PROTOCOL))
        # A chunk's contexts and pages are garbage now; a chunk of the pages that list
        # every stretch is tens of MB, which malloc would keep for the next.
        del data
        memory.hand_back()
