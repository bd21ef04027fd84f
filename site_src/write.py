"""Write: the only stage that changes the disk.

The site is written into a temporary folder beside the output folder and
swapped in only when every file is written, so a failed build leaves the
previous site exactly as it was, and no half-built site is ever served.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

from .errors import SiteError

MARKER = ".nojekyll"  # every Limber build writes it; a folder without it is not ours


class UnsafeOutput(SiteError):
    pass


def _guard(out: Path, protected: list[Path]) -> None:
    out = out.resolve()
    for path in [Path.cwd(), *protected]:
        path = path.resolve()
        if out == path or out in path.parents:
            raise UnsafeOutput(f"refusing to write the site to {out}: it would replace "
                               f"{path}; choose another --out folder such as _site")
    if out.exists() and not out.is_dir():
        raise UnsafeOutput(f"refusing to write the site to {out}: it is a file")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).exists():
        raise UnsafeOutput(f"refusing to replace {out}: it is not empty and was not built by "
                           "Limber (no .nojekyll); choose an empty or new --out folder")


def write_site(out: Path, files: Mapping[str, bytes], protected: list[Path]) -> None:
    """Atomically replace `out` with exactly `files` (output path -> bytes)."""
    out = Path(out).absolute()
    _guard(out, protected)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".limber-build-", dir=out.parent))
    old = None
    try:
        staging.chmod(0o755)
        for rel in sorted(files):
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(files[rel])
        if out.exists():
            old = Path(tempfile.mkdtemp(prefix=".limber-old-", dir=out.parent))
            os.replace(out, old / "site")
        os.replace(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if old is not None and not out.exists() and (old / "site").exists():
            os.replace(old / "site", out)  # put the previous site back
        raise
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
