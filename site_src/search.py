"""The search index: a Pagefind bundle made from the rendered pages.

Pagefind (https://pagefind.app) is static search: a program reads built HTML pages and writes
an index in small files, with the JavaScript that searches it in the browser. This stage
writes the site's HTML pages into a temporary folder, runs the program on them and returns
what it wrote, as more output files under pagefind/, before the build writes anything.
A big library is indexed in parts, so that an edit indexes one part again; the search page
merges them in the browser, as Pagefind does for several sites.

The program comes in a wheel (pip install 'pagefind[bin]'), in its pagefind_bin package. Once
any page has an element marked data-pagefind-body, only those elements are indexed; filters
come from data-pagefind-filter and result metadata from data-pagefind-meta.

In the browser the bundle finds itself: pagefind-ui.js loads pagefind.js from beside its own
<script src>, and pagefind.js puts whatever comes before 'pagefind/' in its own address in
front of the root-relative URLs the index stores, so the same index works under /limber/;
so do the parts in pagefind/part-N/, whose addresses search.js reads from pagefind/parts.json.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import subprocess
import tempfile
from collections import OrderedDict
from collections.abc import Collection, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, NamedTuple

from . import parallel, urls
from .cache import Cache
from .errors import SiteError
from .write import TEMP_PREFIX, fill, fingerprint

FOLDER = urls.SEARCH_INDEX.rstrip("/")  # where the bundle lives; the browser code expects it
INSTALL_HINT = "install it with: python -m pip install -e ., or build with --no-search"
SKIP_HINT = "build with --no-search to leave search out"
UNREADABLE = "Pagefind wrote an index file in a form Limber does not know"
# Pagefind's other interfaces, which the search page does not load (some 240 KB).
UNUSED = ("pagefind-component-ui.", "pagefind-modular-ui.", "pagefind-highlight.")


class SearchUnavailable(SiteError):
    """Pagefind is missing, cannot run, failed or took too long; the message says which."""

    def __init__(self, problem: str, hint: str = SKIP_HINT):
        super().__init__(f"the search index could not be built: {problem}; {hint}")


def binary() -> Path:
    """The Pagefind program that the pagefind-bin wheel installed for this platform."""
    try:
        from pagefind_bin import get_executable

        return get_executable()
    except (ImportError, FileNotFoundError) as exc:
        raise SearchUnavailable(f"the Pagefind binary is missing ({exc})", INSTALL_HINT) from None


# How many pages one part of the index holds, about: an edit to a page indexes its part
# again, not the whole site, and no one run of Pagefind needs the memory of them all.
PART_PAGES = 1000
PARTS = f"{FOLDER}/parts.json"  # the folders of the parts after the first, for search.js
# Pagefind holds what it reads of every page of its part until it writes the index, some
# 150 KB a page: two runs at once were a big library's peak of memory (two parts of 640
# pages, 200 MB). It runs on every core already, so one at a time costs a build of 10,000
# stretches a few seconds; the next part's pages are copied meanwhile.
RUNS = 1

# The last parts made, by a digest of their pages and the program that indexed them: the
# preview rebuilds with most pages unchanged, and tests build the same pages again.
_MADE: OrderedDict[str, dict[str, bytes]] = OrderedDict()
_KEEP = 64

Filters = dict[str, dict[str, set[str]]]  # language -> filter -> its values

BODY = b"data-pagefind-body"  # on the element of a page that is indexed


class Known(NamedTuple):
    """What is known of a page without reading it."""

    fingerprint: str  # write.fingerprint of its bytes
    searchable: bool  # BODY is in it


def _digest(program: Path, pages: Mapping[str, bytes], part: list[str],
            known: Mapping[str, Known]) -> str:
    """Everything a part depends on: the program, and every page's path and bytes (by their
    fingerprint)."""
    digest = hashlib.sha256(str(program).encode() + b"\0")
    for path in part:
        digest.update(f"{path}\0{_known(pages, path, known).fingerprint}\n".encode())
    return digest.hexdigest()


def known_of(data: bytes) -> Known:
    """What is known of a page, from its bytes."""
    return Known(fingerprint(data), BODY in data)


def _known(pages: Mapping[str, bytes], path: str, known: Mapping[str, Known]) -> Known:
    return known[path] if path in known else known_of(pages[path])


def parts(paths: Collection[str], part_pages: int) -> list[list[str]]:
    """The pages split into parts of about part_pages: the fewest that is a power of two,
    each page in the part its path's hash picks. So a page stays in its part while the
    library grows, until the count doubles, and an edit touches one part."""
    count = 1
    while len(paths) > count * part_pages:
        count *= 2
    split: list[list[str]] = [[] for _ in range(count)]
    for path in sorted(paths):
        pick = int.from_bytes(hashlib.blake2b(path.encode(), digest_size=8).digest(), "big")
        split[pick % count].append(path)
    return [part for part in split if part]


def index(files: Mapping[str, bytes], *, timeout: float = 120, cache: Cache | None = None,
          beside: Path | None = None, progress: parallel.Progress | None = None,
          known: Mapping[str, Known] | None = None) -> dict[str, bytes]:
    """{output path: bytes} of the whole site -> {'pagefind/...': bytes}, its search bundle.

    Only the .html files are indexed, in parts (see `parts`): the first part is the bundle
    Pagefind makes, in pagefind/, with its browser code; every other part is an index of its
    own in pagefind/part-N/, which the search page merges in (Pagefind's mergeIndex), as
    PARTS lists them. The same pages give the same bytes, every run; a part made from the
    same pages before comes from this process or from the cache, and the others are made
    one after another (see RUNS); `progress` hears ('search index parts', done, total).
    `beside`: the site as last built, whose unchanged pages Pagefind may read. `known`: what
    is known of some of the pages already, so that only the pages of parts made anew are
    read (cache.Stored).
    """
    known = known or {}
    pages = [path for path in files if path.endswith(".html")]
    # Where some pages mark their body for the index (the stretch, muscle, routine and
    # free pages do), Pagefind leaves out every other page; so it needn't read them, and
    # the lists, which grow with the site, are most of the bytes.
    marked = [path for path in pages if _known(files, path, known).searchable]
    pages = marked or pages
    if not pages:  # Pagefind refuses to make an empty index, and nothing would search it
        return {}
    program = binary()
    split = parts(pages, PART_PAGES)
    keys = [_digest(program, files, part, known) for part in split]
    made = {key: _recall(key, cache) for key in keys}
    todo = [(key, part) for key, part in zip(keys, split, strict=True) if made[key] is None]
    more = parallel.counter("search index parts", len(keys), len(keys) - len(todo), progress)
    old = beside if beside is not None and beside.is_dir() else None
    # Each part's pages are copied (or linked, from the old site) into a folder here, where
    # they can be read, and Pagefind runs on the folders in turn, on a thread of its own,
    # while the next ones are filled.
    with contextlib.ExitStack() as staged, \
            ThreadPoolExecutor(RUNS) as pool:  # ends first
        running = []
        for key, part in todo:
            site = Path(staged.enter_context(tempfile.TemporaryDirectory(
                prefix=f"{TEMP_PREFIX}search-", dir=old.parent if old else None)))
            try:
                fill(site, files, old, part)
            except OSError as exc:  # a full or read-only temporary folder
                raise SearchUnavailable(f"the pages could not be copied to {site} for "
                                        f"Pagefind ({exc.strerror or exc})") from None
            running.append((key, pool.submit(_index, program, site, timeout)))
        try:
            for key, future in running:
                made[key] = bundle = future.result()
                if more:
                    more(1)
                if cache:
                    cache.put(cache.key("search", key), {}, bundle)
        except SearchUnavailable:
            for _key, future in running:  # one part failed: start no more
                future.cancel()
            raise
    for key in keys:
        _MADE[key] = made[key]
        _MADE.move_to_end(key)
    while len(_MADE) > _KEEP:
        _MADE.popitem(last=False)
    bundles = [made[key] for key in keys]
    if len(bundles) > 1:  # so each part's filters name every value, in the same order:
        every: Filters = {}  # merged, the first part's order is the one shown
        for found in map(_filters, bundles):
            for language, filters in found.items():
                for name, values in filters.items():
                    every.setdefault(language, {}).setdefault(name, set()).update(values)
        bundles = [_sort_filters(part, every) for part in bundles]
    out = dict(bundles[0])
    folders = [f"part-{number}/" for number in range(1, len(bundles))]
    for folder, part in zip(folders, bundles[1:], strict=True):
        out.update({f"{FOLDER}/{folder}{path[len(FOLDER) + 1:]}": data
                    for path, data in part.items() if _of_the_index(path)})
    out[PARTS] = json.dumps(folders).encode("utf-8")
    return dict(sorted(out.items()))


def _recall(key: str, cache: Cache | None) -> dict[str, bytes] | None:
    """A part made before, in this process or kept in the cache."""
    if key in _MADE:
        return _MADE[key]
    stored = cache.get_files(cache.key("search", key)) if cache else None
    return None if stored is None else stored[1]


def _of_the_index(path: str) -> bool:
    """Whether a file of a bundle belongs to its index (the entry, the metadata, the word,
    filter and page files), not to the browser code every bundle carries."""
    name = path[len(FOLDER) + 1:]
    return "/" in name or name == "pagefind-entry.json" or name.endswith(".pf_meta")


def bundle(files: Mapping[str, bytes]) -> dict[str, bytes]:
    """The search bundle among a site's files."""
    return {path: files[path] for path in files if path.startswith(f"{FOLDER}/")}


def _index(program: Path, site: Path, timeout: float) -> dict[str, bytes]:
    """The bundle Pagefind makes of the pages in the folder site."""
    # '.', from inside: Pagefind passes over a site whose path has a hidden folder in it
    _run([str(program), "--site", ".", "--output-subdir", FOLDER, "--silent"], site, timeout)
    bundle = {path.relative_to(site).as_posix(): path.read_bytes()
              for path in (site / FOLDER).rglob("*")
              if path.is_file() and not path.name.startswith(UNUSED)}
    return dict(sorted(_sort_filters(bundle).items()))


def _run(command: list[str], cwd: Path, timeout: float) -> None:
    """Run Pagefind; on a timeout subprocess.run kills it before raising."""
    try:
        done = subprocess.run(command, cwd=cwd, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise SearchUnavailable(f"Pagefind took longer than {timeout:g} s and was stopped",
                                "build again, or build with --no-search") from None
    except OSError as exc:  # not there, not executable, or built for another platform
        raise SearchUnavailable(f"the Pagefind binary {command[0]} cannot run "
                                f"({exc.strerror or exc})", INSTALL_HINT) from None
    if done.returncode != 0:
        said = (done.stderr or done.stdout).decode("utf-8", "replace").splitlines()
        last = list(dict.fromkeys(line.strip() for line in said if line.strip()))[-3:]
        raise SearchUnavailable(f"Pagefind exited with status {done.returncode}: "
                                + (" ".join(last) or "it printed nothing"))


# Pagefind 1.5 writes the values of each filter, and the filters in each language's
# metadata file, in the order of a Rust hash map, which is seeded at random on every run.
# So the same pages give filter files with their values in another order, hence other
# names, another metadata file and another pagefind-entry.json (Pagefind issue #638).
# Pagefind 1.6, not on PyPI yet, sorts them: filters by name, values by value (Python
# sorts str as Rust sorts UTF-8 bytes). We do the same and encode and name those files
# again as Pagefind does, so on 1.6's output this step gives 1.6's own file names; delete
# it once pagefind-bin 1.6 is the floor. We always do it, even when the order is already
# right, so the bytes never depend on the luck of the draw: our gzip (Python's zlib, no
# time stamp) is not Pagefind's. In the browser the order means nothing: filters are read
# into objects and their values shown sorted. Everything else Pagefind writes is already
# stable: tests/test_search.py indexes the same pages again and compares every byte.

def _sort_filters(bundle: dict[str, bytes], every: Filters | None = None) -> dict[str, bytes]:
    """The bundle with every filter file and metadata file in sorted, stable form; with
    `every`, each filter of each language also lists every value there (none on its pages)."""
    out = dict(bundle)
    entry_path = f"{FOLDER}/pagefind-entry.json"
    entry = out[entry_path].decode("utf-8")
    for language, about in sorted(json.loads(entry)["languages"].items()):
        old = about["hash"]
        meta = _unpack(out.pop(f"{FOLDER}/pagefind.{old}.pf_meta"))
        present = dict(meta[3])  # the metadata's [version, pages, words, filters, sorts, fields]
        wanted = (every or {}).get(language, {})
        filters: list[list[str]] = []
        for name in sorted(set(present) | set(wanted)):
            packed = _unpack(out.pop(f"{FOLDER}/filter/{present[name]}.pf_filter")) \
                if name in present else [name, []]  # [filter, [[value, [pages]], ...]]
            packed[1] += [[value, []] for value in
                          sorted(set(wanted.get(name, ())) - {value for value, _ in packed[1]})]
            packed[1].sort(key=lambda value: value[0])
            body = _cbor(packed)
            short = _name(language, body, 7, taken={f[1] for f in filters})
            out[f"{FOLDER}/filter/{short}.pf_filter"] = _gzip(body)
            filters.append([name, short])
        meta[3] = filters
        body = _cbor(meta)
        new = _name(language, body, len(language) + 8)
        out[f"{FOLDER}/pagefind.{new}.pf_meta"] = _gzip(body)
        entry = entry.replace(f'"hash":"{old}"', f'"hash":"{new}"')
    out[entry_path] = entry.encode("utf-8")
    return out


def _filters(bundle: Mapping[str, bytes]) -> Filters:
    """language -> filter -> its values, in a bundle."""
    found: Filters = {}
    for language, about in json.loads(bundle[f"{FOLDER}/pagefind-entry.json"])[
            "languages"].items():
        meta = _unpack(bundle[f"{FOLDER}/pagefind.{about['hash']}.pf_meta"])
        found[language] = {name: {value for value, _ in _unpack(
            bundle[f"{FOLDER}/filter/{short}.pf_filter"])[1]} for name, short in meta[3]}
    return found


def _name(language: str, body: bytes, length: int, taken: Collection[str] = ()) -> str:
    """Pagefind's file name for body: the language, then the start of its SHA-1 in hex,
    written as Pagefind writes it (each byte without a leading zero), longer if taken."""
    digest = "".join(f"{byte:x}" for byte in hashlib.sha1(body).digest())
    while f"{language}_{digest[:length]}" in taken and length < len(digest):
        length += 1
    return f"{language}_{digest[:length]}"


# Pagefind's index files are gzip of b"pagefind_dcd" and a CBOR value, written by Rust's
# minicbor with the shortest form of every length. Filters and metadata use only unsigned
# integers, text and arrays, so these few lines read and write them byte for byte.

MAGIC = b"pagefind_dcd"


def _unpack(data: bytes) -> Any:
    raw = gzip.decompress(data)
    if not raw.startswith(MAGIC):
        raise SearchUnavailable(UNREADABLE, INSTALL_HINT)
    value, end = _uncbor(raw, len(MAGIC))
    if end != len(raw):
        raise SearchUnavailable(UNREADABLE, INSTALL_HINT)
    return value


def _gzip(body: bytes) -> bytes:
    return gzip.compress(MAGIC + body, compresslevel=9, mtime=0)  # mtime=0: no time stamp


def _uncbor(data: bytes, at: int) -> tuple[Any, int]:
    """The CBOR value at data[at:], and where it ends."""
    major, info = data[at] >> 5, data[at] & 31
    at += 1
    if info >= 24:
        if info > 27:
            raise SearchUnavailable(UNREADABLE, INSTALL_HINT)
        size = 1 << (info - 24)
        info, at = int.from_bytes(data[at:at + size], "big"), at + size
    if major == 0:  # unsigned integer
        return info, at
    if major == 3:  # text
        return data[at:at + info].decode("utf-8"), at + info
    if major == 4:  # array
        items = []
        for _ in range(info):
            item, at = _uncbor(data, at)
            items.append(item)
        return items, at
    raise SearchUnavailable(UNREADABLE, INSTALL_HINT)


def _cbor(value: Any) -> bytes:
    if isinstance(value, int):
        return _head(0, value)
    if isinstance(value, str):
        text = value.encode("utf-8")
        return _head(3, len(text)) + text
    return _head(4, len(value)) + b"".join(_cbor(item) for item in value)


def _head(major: int, number: int) -> bytes:
    if number < 24:
        return bytes([major << 5 | number])
    size = next(size for size in (1, 2, 4, 8) if number < 1 << (8 * size))
    return bytes([major << 5 | (24 + size.bit_length() - 1)]) + number.to_bytes(size, "big")
