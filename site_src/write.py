"""Write: the only stage that changes the disk.

The site is written into a temporary folder beside the output folder and
swapped in only when every file is written, so a failed build leaves the
previous site exactly as it was. On Linux the swap is one atomic
renameat2(RENAME_EXCHANGE): a reader sees the old site or the new one,
never neither. Elsewhere it is two renames in quick succession.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import os
import shutil
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

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


def fill(staging: Path, files: Mapping[str, bytes], old: Path | None) -> None:
    """Write files into the folder staging. A file `old` has with the same bytes is linked
    from there instead: on most disks a link costs a fraction of writing a file, and the
    old site is deleted after the swap, so nothing else ever sees the two share it."""
    folders: set[str] = set()
    for rel in sorted(files):
        folder = os.path.dirname(rel)
        if folder not in folders:
            (staging / folder).mkdir(parents=True, exist_ok=True)
            folders.add(folder)
        data = files[rel]
        if old is not None:
            try:
                before = old / rel
                if before.stat().st_size == len(data) and before.read_bytes() == data:
                    os.link(before, staging / rel)
                    continue
            except OSError:  # not there, or no links across disks here: write it
                pass
        (staging / rel).write_bytes(data)


def write_site(out: Path, files: Mapping[str, bytes], protected: list[Path]) -> None:
    """Replace `out` with exactly `files` (output path -> bytes), all at once."""
    out = Path(out).absolute()
    _guard(out, protected)
    staging = None
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f"{TEMP_PREFIX}build-", dir=out.parent))
        staging.chmod(0o755)
        fill(staging, files, out if out.is_dir() else None)
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
    except OSError as exc:
        raise WriteFailed(f"could not write the site to {out}: {exc.strerror or exc}; the "
                          "previous site is unchanged") from None
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)


def state(out: Path) -> str:
    """A fingerprint of the folder as it stands: each file's path, size, modification time
    and inode. Writing, replacing, adding or deleting a file changes it; reading does not.
    '' when there is no such folder."""
    entries: list[str] = []

    def walk(folder: str, prefix: str) -> None:
        with os.scandir(folder) as listing:
            for entry in listing:
                if entry.is_dir(follow_symlinks=False):
                    walk(entry.path, f"{prefix}{entry.name}/")
                else:
                    st = entry.stat(follow_symlinks=False)
                    entries.append(f"{prefix}{entry.name}\0{st.st_size} {st.st_mtime_ns} "
                                   f"{st.st_ino}")
    try:
        walk(os.fspath(out), "")
    except OSError:
        return ""
    return hashlib.blake2b("\n".join(sorted(entries)).encode(), digest_size=20).hexdigest()


def update_site(out: Path, files: Mapping[str, bytes], before: Mapping[str, bytes]) -> int:
    """Bring `out` (which holds `before`) to exactly `files`, touching only what changed.

    For the preview server: each changed file is replaced in one rename, so a
    reader never sees half a file. Returns the number of files written.
    """
    written = 0
    try:
        for rel in sorted(files):
            if before.get(rel) == files[rel]:
                continue
            target = out / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(f"{TEMP_PREFIX}{target.name}")
            partial.write_bytes(files[rel])
            os.replace(partial, target)
            written += 1
        for rel in sorted(set(before) - set(files)):
            (out / rel).unlink(missing_ok=True)
            for folder in (out / rel).parents:  # drop folders the removal emptied
                if folder == out or any(folder.iterdir()):
                    break
                folder.rmdir()
    except OSError as exc:
        raise WriteFailed(f"could not update the preview in {out}: {exc.strerror or exc}") \
            from None
    return written
