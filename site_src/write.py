"""Write: the only stage that changes the disk.

The site is written into a temporary folder beside the output folder and
swapped in only when every file is written, so a failed build leaves the
previous site exactly as it was. On Linux the swap is one atomic
renameat2(RENAME_EXCHANGE): a reader sees the old site or the new one,
never neither. Elsewhere it is two renames in quick succession.

With a build cache, the site the swap takes out is kept there (a `Spare`), and
the next build brings that one up to date instead of filling a new folder: it
writes the files that differ from it and deletes the ones it no longer has,
and neither makes nor deletes the tens of thousands of others a big library has.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import hashlib
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from .cache import Stored, read
from .errors import SiteError

MARKER = ".nojekyll"  # every Limber build writes it; a folder without it is not ours
TEMP_PREFIX = ".limber-"


class WriteFailed(SiteError):
    pass


def _guard(out: Path, protected: list[Path]) -> None:
    out = out.resolve()
    for path in [Path.cwd(), *protected]:
        path = path.resolve()
        if out == path or out in path.parents:
            raise WriteFailed(f"refusing to write the site to {out}: it would replace "
                              f"{path}; choose another --out folder such as _site")
    for path in protected:
        if path.resolve() in out.parents:
            raise WriteFailed(f"refusing to write the site to {out}: it is inside {path}, "
                              "which the build reads; choose a folder outside it")
    if out.exists() and not out.is_dir():
        raise WriteFailed(f"refusing to write the site to {out}: it is a file")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).exists():
        raise WriteFailed(f"refusing to replace {out}: it is not empty and was not built by "
                          "Limber (no .nojekyll); choose an empty or new --out folder")


def guard(out: Path, protected: list[Path], cache: Path | None) -> None:
    """Refuse, before anything is built, an output folder that write_site would refuse, and
    a build cache inside it, which every build replaces."""
    _guard(Path(out).absolute(), protected)
    if cache is None:
        return
    out, cache = Path(out).resolve(), Path(cache).resolve()
    if cache == out or out in cache.parents:
        raise WriteFailed(f"refusing to keep the build cache in {cache}: it is inside {out}, "
                          "which every build replaces; keep it elsewhere with --cache-dir, "
                          "e.g. --cache-dir .limber-cache")


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two folders; False where the system can't."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    done = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    return done == 0


def fill(staging: Path, files: Mapping[str, bytes], old: Path | None,
         paths: Iterable[str] | None = None,
         same: Callable[[str], bool | None] = lambda rel: None) -> None:
    """Write files (or those of `paths`) into the folder staging. A file `old` has with the
    same bytes is linked from there instead: on most disks a link costs a fraction of
    writing a file, and the old site is deleted after the swap, so nothing else ever sees
    the two share it. `same(rel)` tells, where it is known, whether old's file has the
    same bytes: then neither is read to find out."""
    folders: set[str] = set()
    todo = []
    for rel in sorted(files if paths is None else paths):
        folder = os.path.dirname(rel)
        if folder not in folders:
            (staging / folder).mkdir(parents=True, exist_ok=True)
            folders.add(folder)
        if old is not None and same(rel):
            with contextlib.suppress(OSError):  # no links across disks here: write it
                os.link(old / rel, staging / rel)
                continue
        todo.append(rel)
    for rel, data in read(files, todo):
        if old is not None and same(rel) is None:
            try:
                before = old / rel
                if before.stat().st_size == len(data) and before.read_bytes() == data:
                    os.link(before, staging / rel)
                    continue
            except OSError:  # not there, or no links across disks here: write it
                pass
        (staging / rel).write_bytes(data)


@dataclass(frozen=True)
class Spare:
    """Where a replaced site is kept, and what was written there: `recall` tells, from the
    `state` of a folder, the `fingerprint` of each file a build wrote into it (as
    write_site returned them), or None when no build left it so."""

    folder: Path
    recall: Callable[[str], Mapping[str, str] | None]


def fingerprint(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:32]


def _claim(spare: Spare, near: Path) -> tuple[Path, Mapping[str, str], dict[str, str]] | None:
    """The spare site, moved beside `near` and now this build's alone (of two builds that
    try, one moves it), with what it holds and its listing; None if there is none to
    trust."""
    if not spare.folder.is_dir():
        return None
    claimed = near / f"{TEMP_PREFIX}build-{os.urandom(6).hex()}"
    try:
        os.rename(spare.folder, claimed)
    except OSError:  # another build took it, or it is on another disk
        return None
    listing = _listing(claimed)
    held = None if listing is None else spare.recall(_state_of(listing))
    if held is None or listing is None:  # changed since, or written by no build this cache
        shutil.rmtree(claimed, ignore_errors=True)  # remembers
        return None
    return claimed, held, listing


def _update(folder: Path, files: Mapping[str, bytes], gone: Iterable[str],
            written: list[str]) -> list[str]:
    """Bring `folder`, which holds `files` but for the files `written`, to exactly `files`:
    delete the files `gone` (and the folders that leaves empty), then write each of
    `written`, replacing it in one rename, so a reader never sees half a file and a file
    linked from elsewhere (see fill) is left as it was. Returns `written`."""
    for rel in sorted(gone, reverse=True):
        (folder / rel).unlink(missing_ok=True)
        for parent in (folder / rel).parents:
            if parent == folder or any(parent.iterdir()):
                break
            parent.rmdir()
    for rel, data in read(files, written):
        target = folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f"{TEMP_PREFIX}{target.name}")
        partial.write_bytes(data)
        os.replace(partial, target)
    return written


def write_site(out: Path, files: Mapping[str, bytes], protected: list[Path],
               spare: Spare | None = None, known: Mapping[str, str] | None = None
               ) -> tuple[dict[str, str], str]:
    """Replace `out` with exactly `files` (output path -> bytes), all at once; keep the site
    it replaces as `spare`, if given. `known`: the fingerprints of some of the files, made
    already. Returns each file's fingerprint (with a spare), and the `state` the folder was
    left in."""
    out = Path(out).absolute()
    _guard(out, protected)
    known = known or {}
    digests = {rel: known.get(rel) or fingerprint(files[rel]) for rel in files} if spare else {}
    staging: Path | None = None
    listing: dict[str, str] | None = None  # of the new site, where it is known without a walk
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        claimed = _claim(spare, out.parent) if spare else None
        if claimed:
            staging, held, listing = claimed
            try:  # held: path -> fingerprint of what the kept site has
                gone = held.keys() - set(files)
                for rel in [*gone, *_update(staging, files, gone, [
                        rel for rel, digest in digests.items() if held.get(rel) != digest])]:
                    listing.pop(rel, None)
                    if rel in files:
                        listing[rel] = _stat(os.stat(staging / rel))
            except OSError:  # a file where the site now has a folder, or the like
                shutil.rmtree(staging, ignore_errors=True)
                claimed = listing = None
        if not claimed:
            staging = Path(tempfile.mkdtemp(prefix=f"{TEMP_PREFIX}build-", dir=out.parent))
            staging.chmod(0o755)
            before = out if out.is_dir() else None
            # What each file of the site there holds, if a build left it as it is.
            had = spare.recall(state(before)) if spare and before else None
            fill(staging, files, before,
                 same=(lambda rel: had.get(rel) == digests[rel]) if had else lambda rel: None)
        if not out.exists():
            os.replace(staging, out)
            staging = None
        elif not _exchange(staging, out):  # staging now holds the old site
            old = staging.with_name(staging.name.replace("build-", "old-"))
            os.replace(out, old)
            try:
                os.replace(staging, out)
            except OSError:
                os.replace(old, out)
                raise
            staging = old
        if staging is not None and _keep(staging, spare):  # the old site
            staging = None
    except OSError as exc:
        raise WriteFailed(f"could not write the site to {out}: {exc.strerror or exc}; the "
                          "previous site is unchanged") from None
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
    # Moving a folder changes nothing state sees of the files in it.
    return digests, _state_of(listing) if listing is not None else state(out)


def _keep(site: Path, spare: Spare | None) -> bool:
    """Move the replaced site to be the spare; False where it can't be."""
    if spare is None or spare.folder.exists() or not (site / MARKER).exists():
        return False
    try:
        spare.folder.parent.mkdir(parents=True, exist_ok=True)
        os.rename(site, spare.folder)
    except OSError:  # on another disk, or another build kept its own there first
        return False
    return True


def state(out: Path) -> str:
    """A fingerprint of the folder as it stands: each file's path, size, modification time
    and inode. Writing, replacing, adding or deleting a file changes it; reading does not.
    '' when there is no such folder."""
    listing = _listing(out)
    return "" if listing is None else _state_of(listing)


def _stat(st: os.stat_result) -> str:
    return f"{st.st_size} {st.st_mtime_ns} {st.st_ino}"


def _listing(out: Path) -> dict[str, str] | None:
    """Path -> size, modification time and inode of every file in the folder; None when
    there is no such folder."""
    entries: dict[str, str] = {}

    def walk(folder: str, prefix: str) -> None:
        with os.scandir(folder) as listing:
            for entry in listing:
                if entry.is_dir(follow_symlinks=False):
                    walk(entry.path, f"{prefix}{entry.name}/")
                else:
                    entries[f"{prefix}{entry.name}"] = _stat(entry.stat(follow_symlinks=False))
    try:
        walk(os.fspath(out), "")
    except OSError:
        return None
    return entries


def _state_of(listing: Mapping[str, str]) -> str:
    return hashlib.blake2b("\n".join(f"{rel}\0{listing[rel]}" for rel in sorted(listing))
                           .encode(), digest_size=20).hexdigest()


def update_site(out: Path, files: Mapping[str, bytes], before: Mapping[str, bytes]) -> int:
    """Bring `out` (which holds `before`) to exactly `files`, touching only what changed.

    For the preview server: each changed file is replaced in one rename, so a
    reader never sees half a file. Returns the number of files written.
    """
    # Compared as dicts where both hold the bytes (a preview's rebuild compares 40,000 files
    # at 10,000 stretches), or else as read.
    now, then = (found.held if isinstance(found, Stored) else found for found in (files, before))
    written = sorted([rel for rel, data in now.items() if then.get(rel) != data and (
        rel in then or before.get(rel) != data)] + [
        rel for rel in (files if len(now) < len(files) else ())
        if rel not in now and before.get(rel) != files[rel]])
    try:
        return len(_update(out, files, set(before) - set(files), written))
    except OSError as exc:
        raise WriteFailed(f"could not update the preview in {out}: {exc.strerror or exc}") \
            from None
