"""The build cache: what was expensive to make, kept between builds.

Entries live in one SQLite file (`cache.sqlite3` in the cache folder, by default
`.limber-cache/`). Each is found by a key that is a digest of everything the
value was made from, always including this code's own fingerprint, so a cache
written by another version of Limber simply never matches. A value is JSON, and
an entry may carry files beside it as they are (pages, drawings: bytes that JSON
would have to escape and a build would have to decode again). Every entry has a
checksum: one that doesn't check out, or a file that isn't a database, is
ignored and made again, never trusted. Writes happen in one transaction at
the end of a build, so two builds sharing a cache can't corrupt it. After a build
that takes it past `max_bytes`, the entries used longest ago go, until it is within
four fifths of that.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import hashlib
import importlib
import importlib.metadata
import json
import sqlite3
import time
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextvars import ContextVar
from pathlib import Path
from typing import Any, Generic, TypeVar

from . import parallel
from .digest import digest
from .errors import SiteError

T = TypeVar("T")
V = TypeVar("V")

_ACTIVE: ContextVar[Cache | None] = ContextVar("limber_cache", default=None)

FILE_NAME = "cache.sqlite3"
MAX_BYTES = 2 * 1024 * 1024 * 1024  # a 10,000-stretch library needs about 450 MB a base URL
# New entries are written in batches of about this much, so that a cold build holds few
# of the pages it made at once (batches of 16 MB added as much to a big library's peak).
FLUSH_BYTES = 4 * 1024 * 1024
BATCH = 500  # keys asked for in one query
_FILES = ", files, files_checksum"  # the columns read with_files
PRUNE_TO = 0.8  # a prune leaves this part of the bound, so the next builds needn't prune
RECENT = 3600  # seconds: an entry used this lately is kept before any that wasn't
# An entry's value (and the names and sizes of its files) apart from the files' bytes, so
# that the value is read without them: a build asks what 10,000 pages link to, and needs the
# bytes of only the few that changed. Each has its checksum.
_SCHEMA = ("CREATE TABLE IF NOT EXISTS item (key TEXT PRIMARY KEY, value BLOB NOT NULL, "
           "files BLOB NOT NULL, checksum TEXT NOT NULL, files_checksum TEXT NOT NULL, "
           "used REAL NOT NULL)")
_RETIRED = "DROP TABLE IF EXISTS entry"  # where earlier versions kept both in one


# The libraries whose versions can change what a build makes.
SHAPING = ("markdown", "nh3", "jinja2", "markupsafe", "pyyaml", "pydantic", "segno",
           "pagefind-bin", "weasyprint")


def _version(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "-"


@functools.cache
def code_fingerprint() -> str:
    """A digest of Limber's own source and the libraries that shape its output: a cache
    made by other code is never used."""
    package = Path(__file__).parent
    code = hashlib.sha256(" ".join(f"{name} {_version(name)}" for name in SHAPING).encode())
    for path in sorted(package.rglob("*.py")):
        code.update(str(path.relative_to(package)).encode() + b"\0" + path.read_bytes())
    return code.hexdigest()


def _checksum(value: bytes) -> str:
    # Against damage, not attack: a CRC finds a torn or changed entry, at the speed of a
    # copy (a big library's rebuild reads half a gigabyte of entries).
    return f"{zlib.crc32(value):08x}{len(value):x}"


def _pack(value: Any, files: Mapping[str, bytes] | None) -> tuple[bytes, bytes]:
    """An entry: its value as JSON, a line, and with files their names and sizes as JSON
    (compact JSON never holds a line break); and the files' bytes, one after another."""
    head = json.dumps(value, separators=(",", ":")).encode("utf-8")
    if not files:
        return head, b""
    sizes = json.dumps([[name, len(data)] for name, data in files.items()],
                       separators=(",", ":")).encode("utf-8")
    return head + b"\n" + sizes, b"".join(files.values())


def _unpack(head: bytes, body: bytes | None) -> tuple[Any, dict[str, bytes]]:
    """An entry's value and, if its files' bytes are given, its files; ValueError if it is
    no entry."""
    end = head.find(b"\n")
    if end < 0:
        return json.loads(head.decode("utf-8")), {}
    value = json.loads(head[:end].decode("utf-8"))
    files: dict[str, bytes] = {}
    if body is not None:
        start = 0
        for name, size in json.loads(head[end + 1:].decode("utf-8")):
            files[name] = body[start:start + size]
            start += size
        if start != len(body):
            raise ValueError("the files are not the sizes the entry lists")
    return value, files


class Cache:
    """get/put of JSON values by key; a Cache(None) keeps them in memory only, for the
    life of the object (the preview's rebuilds)."""

    def __init__(self, folder: Path | None, max_bytes: int = MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self.hits = self.misses = 0
        self._new: dict[str, tuple[bytes, bytes]] = {}
        self._pending = 0  # bytes in _new not yet written
        self._unwritable = False  # a write failed: new entries stay in memory
        self._used: set[str] = set()
        self._grown = False  # entries were written since the last prune
        # At most what the values take, as this process last added them up, and what it
        # wrote since: a preview that saves after each rebuild adds them up once, not each time.
        self._total: int | None = None
        self._db: sqlite3.Connection | None = None
        if folder is not None:
            self._db = self._open(folder / FILE_NAME)

    @staticmethod
    def _open(path: Path) -> sqlite3.Connection | None:
        """The database at path; a broken one is set aside and a new one started."""
        for attempt in range(2):
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(path, timeout=30, isolation_level=None)
                db.execute("PRAGMA journal_mode=WAL")
                db.execute(_RETIRED)
                db.execute(_SCHEMA)
                db.execute("SELECT count(*) FROM item").fetchone()
                return db
            except sqlite3.DatabaseError:  # not a database, or a damaged one
                if attempt == 0:
                    for stale in path.parent.glob(FILE_NAME + "*"):
                        stale.unlink(missing_ok=True)
            except OSError:
                return None  # nowhere to keep it: build without
        return None

    @staticmethod
    def key(*parts: Any) -> str:
        if all(isinstance(part, str) for part in parts):  # most keys: names and digests,
            key = hashlib.sha256(b"text\0" + code_fingerprint().encode())  # taken as they
            for part in parts:  # are (a digest of the JSON would write them out first)
                data = part.encode("utf-8")
                key.update(b"%d:%s" % (len(data), data))
            return key.hexdigest()
        return digest([code_fingerprint(), *parts])

    def get(self, key: str) -> Any | None:
        """The value stored under key, or None."""
        found = self.get_many([key])[0]
        return None if found is None else found[0]

    def get_files(self, key: str) -> tuple[Any, dict[str, bytes]] | None:
        """The value stored under key and the files kept with it, or None."""
        return self.get_many([key], with_files=True)[0]

    def get_many(self, keys: Sequence[str], with_files: bool = False
                 ) -> list[tuple[Any, dict[str, bytes]] | None]:
        """(value, files) or None for each key, read a few hundred at a time (a big
        library's build asks for tens of thousands); without with_files, files are {}."""
        found: dict[str, tuple[Any, dict[str, bytes]] | None] = {}
        wanted = sorted({key for key in keys if key not in self._new})
        for start in range(0, len(wanted), BATCH):
            chunk = wanted[start:start + BATCH]
            rows: dict[str, tuple[Any, ...]] = {}
            if self._db is not None:
                with contextlib.suppress(sqlite3.DatabaseError):  # then none is found
                    rows = {row[0]: row[1:] for row in self._db.execute(
                        f"SELECT key, value, checksum, used{_FILES if with_files else ''} "
                        f"FROM item WHERE key IN ({','.join('?' * len(chunk))})", chunk)}
            found.update((key, self._check(key, rows.get(key), with_files)) for key in chunk)
        out = []
        for key in keys:
            if key in self._new:
                head, body = self._new[key]
                out.append(_unpack(head, body if with_files else None))
            else:
                out.append(found[key])
            self.hits += out[-1] is not None
            self.misses += out[-1] is None
        return out

    def _check(self, key: str, row: tuple[Any, ...] | None,
               with_files: bool) -> tuple[Any, dict[str, bytes]] | None:
        """The entry in a row (value, checksum, used[, files, files' checksum]), if it
        checks out."""
        if row is None:
            return None
        parts = [(row[0], row[1]), *([(row[3], row[4])] if with_files else [])]
        if not all(isinstance(data, bytes) and _checksum(data) == checksum
                   for data, checksum in parts):
            return None
        try:
            found = _unpack(row[0], row[3] if with_files else None)
        except (ValueError, TypeError):  # not an entry this code wrote
            return None
        # Marked as used only if it wasn't lately: a big library's build reads tens of
        # thousands of entries, and marking each is a write.
        if not isinstance(row[2], float | int) or row[2] < time.time() - RECENT:
            self._used.add(key)
        return found

    def put(self, key: str, value: Any, files: Mapping[str, bytes] | None = None) -> None:
        """Keep value, and any files with it, under key (get finds no value None)."""
        self._new[key] = head, body = _pack(value, files)
        self._pending += len(head) + len(body)
        if self._pending > FLUSH_BYTES:
            self._flush()

    def _flush(self) -> None:
        """Write the new entries in one transaction, and forget them here (a big build
        needn't hold them all in memory). Where they can't be written, they are kept here
        for this build: it may be reading back pages it let go of (Stored)."""
        if self._db is None or self._unwritable or not self._new:
            return
        now = time.time()
        try:
            with _transaction(self._db):
                self._db.executemany(
                    "INSERT OR REPLACE INTO item VALUES (?, ?, ?, ?, ?, ?)",
                    ((key, head, body, _checksum(head), _checksum(body), now)
                     for key, (head, body) in sorted(self._new.items())))
        except sqlite3.DatabaseError:
            self._unwritable = True  # a cache that can't be written is only a slower
            return  # next build
        self._grown = True
        if self._total is not None:
            self._total += self._pending
        self._new.clear()
        self._pending = 0

    def save(self) -> None:
        """Write the new entries, mark the used ones, and prune if the cache grew."""
        if self._db is None or self._unwritable:
            return
        self._flush()
        try:
            with _transaction(self._db):
                self._db.executemany("UPDATE item SET used = ? WHERE key = ?",
                                     ((time.time(), k) for k in sorted(self._used)))
                if self._grown:
                    self._prune()
            self._grown = False
        except sqlite3.DatabaseError:
            self._total = None
        self._used.clear()

    def _prune(self) -> None:
        # The pages the database uses hold every value and then some: while they fit, so do
        # the values, and that is known without reading them (a big cache is a gigabyte).
        pages, free, size = (self._db.execute(f"PRAGMA {name}").fetchone()[0]
                             for name in ("page_count", "freelist_count", "page_size"))
        if (pages - free) * size <= self.max_bytes:
            return
        if self._total is None or self._total > self.max_bytes:  # a second or so at 2 GB
            self._total = self._db.execute("SELECT coalesce(sum(length(value) + length(files)"
                                           "), 0) FROM item").fetchone()[0]
        if self._total <= self.max_bytes:  # adding up is quicker than sorting them all
            return
        total = kept = 0
        doomed = []
        for key, size in self._db.execute(
                "SELECT key, length(value) + length(files) FROM item ORDER BY used DESC, key"):
            total += size
            if total > self.max_bytes * PRUNE_TO:
                doomed.append((key,))
            else:
                kept = total
        self._db.executemany("DELETE FROM item WHERE key = ?", doomed)
        self._total = kept

    @contextlib.contextmanager
    def active(self) -> Iterator[None]:
        """Within this block, functions marked @memo keep their results here."""
        token = _ACTIVE.set(self)
        try:
            yield
        finally:
            _ACTIVE.reset(token)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


class CacheLost(SiteError):
    """A page the build let go of, to be read back from its cache, is no longer there."""

    def __init__(self, path: str):
        super().__init__(f"the build cache lost {path} while the site was being built (another "
                         "build pruned it, or its disk failed); build again, or build with "
                         "--no-cache")


class Stored(Mapping[str, bytes]):
    """A site's files, path -> bytes, some held here and the others kept in a build's cache,
    each as the file `name` of the entry `key` (kept: path -> (key, name)): those are read
    only when asked for, and not held after. So a big library's build needn't hold its
    pages, and the build after an edit reads only those it writes. Many are best read with
    `read` (a few hundred at once)."""

    def __init__(self, cache: Cache, held: Mapping[str, bytes],
                 kept: Mapping[str, tuple[str, str]] | None = None,
                 known: Mapping[str, str] | None = None) -> None:
        self._cache, self._held = cache, dict(held)
        self._kept = dict(_without(kept or {}, self._held))  # its own: with_files shares it
        self._paths = sorted([*self._held, *self._kept])
        self._all = set(self._paths)
        # path -> write.fingerprint of its bytes, where it was made when they were
        known = known or {}
        self.known = dict(known) if known.keys() <= self._all else \
            {path: digest for path, digest in known.items() if path in self._all}

    @property
    def held(self) -> Mapping[str, bytes]:
        """The files held here, not in the cache: path -> bytes."""
        return self._held

    def __getitem__(self, path: str) -> bytes:
        if path in self._held:
            return self._held[path]
        return self.read([path])[path]

    def __contains__(self, path: object) -> bool:
        return path in self._all

    def get(self, path: str, default: Any = None) -> Any:  # as Mapping's, in one step
        if path in self._held:
            return self._held[path]
        return self[path] if path in self._all else default

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)

    def with_files(self, more: Mapping[str, bytes],
                   known: Mapping[str, str] | None = None) -> Stored:
        """These files and `more`, held (in place of any of the same path), with `known` the
        fingerprints of some of those. Made in about the time `more` takes, not the site:
        the preview swaps in a search index, and the pages an edit changed, so."""
        new = copy.copy(self)
        new._held = {**self._held, **more}
        new._kept = _without(self._kept, more)
        added = [path for path in more if path not in self._all]
        if added:
            new._paths = sorted([*self._paths, *added])
            new._all = self._all.union(added)
        new.known = _without(self.known, more)
        if known:
            new.known = {**new.known, **known}
        return new

    def read(self, paths: Sequence[str]) -> dict[str, bytes]:
        """path -> bytes of each of paths, the kept ones read in one go; KeyError for a path
        that isn't one of these files, CacheLost for one the cache no longer has."""
        wanted = [path for path in paths if path not in self._held]
        entries = self._cache.get_many([self._kept[path][0] for path in wanted], True)
        found: dict[str, bytes] = {}
        for path, entry in zip(wanted, entries, strict=True):
            data = None if entry is None else entry[1].get(self._kept[path][1])
            if data is None:
                raise CacheLost(path)
            found[path] = data
        return {path: found[path] if path in found else self._held[path] for path in paths}


def _without(entries: Mapping[str, V], paths: Mapping[str, Any]) -> dict[str, V]:
    """entries without any of paths: the same dict where it has none of them (Stored's dicts
    aren't changed once made, so one may be shared), else a copy."""
    if isinstance(entries, dict) and entries.keys().isdisjoint(paths):
        return entries
    rest = dict(entries)
    for path in paths:
        rest.pop(path, None)
    return rest


def read(files: Mapping[str, bytes], paths: Sequence[str]) -> Iterator[tuple[str, bytes]]:
    """(path, bytes) for each of paths, in order; from Stored files, read a few hundred at a
    time and let go of after."""
    for start in range(0, len(paths), BATCH):
        chunk = paths[start:start + BATCH]
        if isinstance(files, Stored):
            yield from files.read(chunk).items()
        else:
            yield from ((path, files[path]) for path in chunk)


class Memo(Generic[T]):
    """A pure function of plain-data arguments, with a JSON result, worth keeping: while a
    build runs (Cache.active), its results are kept in that build's cache."""

    def __init__(self, kind: str, fn: Callable[..., T]):
        self.kind, self.fn = kind, fn
        functools.update_wrapper(self, fn)

    def __call__(self, *args: Any) -> T:
        return self.many([args])[0]

    def __reduce__(self) -> tuple[Callable[[str, str], Any], tuple[str, str]]:
        """To a worker process it goes by name, as the function it wraps would."""
        return _named, (self.fn.__module__, self.fn.__qualname__)

    def many(self, calls: Sequence[tuple[Any, ...]], jobs: int = 1,
             progress: parallel.Progress | None = None) -> list[T]:
        """[fn(*args) for args in calls], those not in the cache made on up to `jobs`
        processes (where fn must not raise: it returns the problem instead); `progress`
        hears (kind, done, total)."""
        store = _ACTIVE.get()
        keys = [store.key(self.kind, *args) for args in calls] if store else []
        hits = store.get_many(keys) if store else [None] * len(calls)
        todo = [index for index, hit in enumerate(hits) if hit is None]
        made = parallel.ordered_map(self._call, [calls[index] for index in todo], jobs,
                                    parallel.counter(self.kind, len(calls),
                                                     len(calls) - len(todo), progress))
        out: list[Any] = [hit[0]["value"] if hit else None for hit in hits]
        for index, value in zip(todo, made, strict=True):
            out[index] = value
            if store:
                store.put(keys[index], {"value": value})
        return out

    def _call(self, args: tuple[Any, ...]) -> T:
        return self.fn(*args)


def _named(module: str, name: str) -> Any:
    """What a module holds under `name`: a Memo, on its way to a worker (Memo.__reduce__)."""
    return getattr(importlib.import_module(module), name)


def memo(kind: str) -> Callable[[Callable[..., T]], Memo[T]]:
    """Mark a function as a Memo of this kind (the kind is part of its keys)."""
    return lambda fn: Memo(kind, fn)


class _transaction:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: type | None, *_: object) -> None:
        self.db.execute("COMMIT" if kind is None else "ROLLBACK")

