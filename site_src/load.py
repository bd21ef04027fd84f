"""Load: read everything the build needs from disk, and nothing else.

This is the only stage that reads files. It knows where things live in
content/ and templates/, but not what they mean.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from .errors import Problem, did_you_mean

# content/<folder>/ -> the kind of document it holds
DOCUMENT_FOLDERS = ("muscles", "pages", "partials", "routines", "stretches")
ASSET_FOLDERS = ("images",)
IMAGE_SUFFIXES = (".avif", ".gif", ".jpeg", ".jpg", ".png", ".svg", ".webp")
CONFIG_NAME = "site.yaml"
READ_LIMIT = 16 * 1024 * 1024  # bytes; no text file is read past this, whatever site.yaml says
Stamp = tuple[int, int, int, int]  # a file's inode, size, modified and changed times (ns)


def display_path(path: Path) -> str:
    """The path as an author would type it: relative to the working folder when inside it."""
    try:
        return Path(os.path.relpath(path)).as_posix() if _inside_cwd(path) else path.as_posix()
    except ValueError:  # another drive on Windows
        return path.as_posix()


def _inside_cwd(path: Path) -> bool:
    cwd = Path.cwd().resolve()
    resolved = path.resolve()
    return resolved == cwd or cwd in resolved.parents


@dataclass(frozen=True)
class SourceFile:
    """One text file: where it came from and what it says."""

    kind: str  # 'site', 'template', or one of DOCUMENT_FOLDERS
    name: str  # display path, used in every message about this file
    rel: str  # path inside its root folder: 'stretches/cat-cow.md'
    text: str


@dataclass(frozen=True)
class Sources:
    """Everything read from disk for one build."""

    content: str  # display path of the content folder
    config: SourceFile | None
    documents: tuple[SourceFile, ...]
    assets: dict[str, bytes]  # 'images/cat-cow.svg' -> bytes, copied to the site as they are
    templates: dict[str, SourceFile]  # 'stretch.html' -> its source
    static: dict[str, bytes]  # 'style.css' -> bytes, served under /static/
    problems: tuple[Problem, ...] = field(default=())
    # each file read -> its stamp and what was read, for the next load to reuse
    read: Mapping[str, tuple[Stamp, SourceFile | bytes]] = field(default_factory=dict)

    def lean(self) -> Sources:
        """These sources without the documents' texts, which only validation reads (and the
        next load, which compares them); for a build that won't load again."""
        return replace(self, documents=(), read={})

    def digest(self) -> str:
        """A fingerprint of everything read: any change to any file changes it."""
        whole = hashlib.blake2b(self.content.encode() + b"\0", digest_size=20)

        def add(*parts: str | bytes) -> None:
            for part in parts:
                data = part.encode() if isinstance(part, str) else part
                whole.update(len(data).to_bytes(8, "little") + data)

        for source in (self.config, *self.documents, *self.templates.values()):
            if source is not None:
                add(source.kind, source.name, source.rel, source.text)
        for kind, files in (("asset", self.assets), ("static", self.static)):
            for name in sorted(files):
                add(kind, name, files[name])
        for problem in self.problems:
            add(str(problem))
        return whole.hexdigest()


def _ignored(name: str) -> bool:
    """Editor leftovers and hidden files are never content."""
    return name.startswith((".", "#")) or name.endswith("~")


def _entries(folder: str, parts: tuple[str, ...],
             found: list[tuple[tuple[str, ...], os.DirEntry[str]]]) -> None:
    """(path parts below the root, os.DirEntry) of everything below folder, hidden names
    left out; folders are entered, links to folders are listed, not followed."""
    with os.scandir(folder) as listing:
        for entry in listing:
            if _ignored(entry.name):
                continue
            inner = (*parts, entry.name)
            found.append((inner, entry))
            if entry.is_dir(follow_symlinks=False):
                _entries(entry.path, inner, found)


def _files(root: Path, problems: list[Problem]) -> list[tuple[str, str]]:
    """Every file below root as (path, path inside root), sorted, skipping hidden files and
    folders.

    A link to a file outside the folder is refused: it would publish a file
    from elsewhere on the machine.
    """
    if not root.is_dir():
        return []
    listed: list[tuple[tuple[str, ...], os.DirEntry]] = []
    _entries(str(root), (), listed)
    found = []
    inside = root.resolve()
    for parts, entry in sorted(listed, key=lambda item: item[0]):
        if entry.is_symlink():
            path = Path(entry.path)
            if entry.is_dir():
                target, folder = path.resolve(), path.parent.resolve()
                where = "back into the folder it is in, a loop" if target == folder or \
                    target in folder.parents else f"to a folder outside {display_path(root)}"
                problems.append(Problem(display_path(path), 0, "", f"is a link {where}; "
                                        "content takes real files and folders: copy them in "
                                        "instead"))
                continue
            if entry.is_file() and inside not in path.resolve().parents:
                problems.append(Problem(display_path(path), 0, "", "is a link to a file "
                                        f"outside {display_path(root)}; copy the file in "
                                        "instead"))
                continue
        if entry.is_file():
            found.append((entry.path, "/".join(parts)))
    return found


class _Reader:
    """Reads files, and keeps what it read with each file's stamp: a later load is given
    it and takes a file whose stamp is the same as it was (the preview's rebuilds). On
    POSIX systems a save changes the file's change time, which nothing can set back; on
    others that time is when the file was made, so every file is read again there."""

    def __init__(self, earlier: Mapping[str, tuple[Stamp, SourceFile | bytes]]) -> None:
        self.earlier = earlier
        self.read: dict[str, tuple[Stamp, SourceFile | bytes]] = {}

    def _again(self, path: str) -> tuple[Stamp, SourceFile | bytes | None]:
        found = os.stat(path)
        stamp = (found.st_ino, found.st_size, found.st_mtime_ns, found.st_ctime_ns)
        before = self.earlier.get(path)
        if before is not None and before[0] == stamp and os.name == "posix":
            self.read[path] = before
            return stamp, before[1]
        return stamp, None

    def data(self, path: str) -> bytes:
        stamp, data = self._again(path)
        if not isinstance(data, bytes):
            with open(path, "rb") as file:
                data = file.read()
            self.read[path] = (stamp, data)
        return data

    def text(self, path: str, shown: str, rel: str, kind: str,
             problems: list[Problem]) -> SourceFile | None:
        stamp, source = self._again(path)
        if isinstance(source, SourceFile) and (source.kind, source.name, source.rel) == \
                (kind, shown, rel):
            return source
        if stamp[1] > READ_LIMIT:  # not even read: the build's memory stays bounded
            problems.append(Problem(shown, 0, "", f"is {stamp[1] // 1024 // 1024} MB; "
                                    f"a content file may be at most "
                                    f"{READ_LIMIT // 1024 // 1024} MB of text"))
            return None
        with open(path, "rb") as file:
            data = file.read()
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            bom = 3 if data.startswith(b"\xef\xbb\xbf") else 0  # utf-8-sig counts past it
            line = data[:exc.start + bom].count(b"\n") + 1
            problems.append(Problem(shown, line, "", f"is not UTF-8 text: byte "
                                    f"0x{data[exc.start + bom]:02x} ({exc.reason}); save the "
                                    "file with UTF-8 encoding"))
            return None
        source = SourceFile(kind, shown, rel, text)
        self.read[path] = (stamp, source)
        return source


def _shown(root: Path) -> Callable[[str], str]:
    """How files below root are named in messages: display_path of each, worked out once."""
    base = display_path(root)
    return lambda rel: rel if base == "." else f"{base.rstrip('/')}/{rel}"


def _read_again(content_dir: Path, templates_dir: Path, previous: Sources,
                changed: Collection[str]) -> Sources | None:
    """`previous` with the files at the paths `changed` read again, if each is a file it
    read (an editor's leftovers aside); None if not, or if a file is now wrong."""
    if previous.problems:
        return None
    roots = [(os.path.abspath(root), str(root)) for root in (content_dir, templates_dir)]
    reader = _Reader({})  # which reads each file: its stamp may be as it was
    new: dict[int, SourceFile | None] = {}  # id of each text file read before -> as now
    assets, static = dict(previous.assets), dict(previous.static)
    problems: list[Problem] = []
    for path in changed:
        full = os.path.abspath(path)
        found = [(absolute, given) for absolute, given in roots
                 if full.startswith(absolute + os.sep)]
        if not found:
            return None
        absolute, given = found[0]
        parts = full[len(absolute) + 1:].split(os.sep)
        if any(map(_ignored, parts)):
            continue
        key = os.path.join(given, *parts)
        before = previous.read.get(key)
        if before is None or os.path.islink(key) or not os.path.isfile(key):
            return None  # added, deleted, renamed or not a file: the folders are listed again
        old = before[1]
        if isinstance(old, SourceFile):
            new[id(old)] = reader.text(key, old.name, old.rel, old.kind, problems)
            continue
        rel = "/".join(parts)
        held = assets if given == roots[0][1] else static
        name = rel if held is assets else rel.removeprefix("static/")
        if name not in held:
            return None
        held[name] = reader.data(key)
    if problems or None in new.values():
        return None
    return replace(
        previous,
        config=new.get(id(previous.config), previous.config),
        documents=tuple(new.get(id(source), source) for source in previous.documents)
        if new else previous.documents,
        templates={rel: new.get(id(source), source)  # type: ignore[misc]
                   for rel, source in previous.templates.items()},
        assets=assets, static=static, read={**previous.read, **reader.read})


def load(content_dir: Path, templates_dir: Path, previous: Sources | None = None,
         changed: Collection[str] | None = None) -> Sources:
    """Read content/ and templates/ into memory; a file as it was when `previous` was
    loaded is taken from there, not read again. With `changed`, the paths a watcher saw
    change since `previous` was loaded: if they are all files it read, only they are read
    again, and the folders aren't listed (the preview of a big library saves a tenth of
    a second so)."""
    if previous is not None and changed is not None:
        again = _read_again(content_dir, templates_dir, previous, changed)
        if again is not None:
            return again
    problems: list[Problem] = []
    reader = _Reader(previous.read if previous else {})
    content_dir = Path(content_dir)
    templates_dir = Path(templates_dir)

    if not content_dir.is_dir():
        problems.append(Problem(display_path(content_dir), 0, "",
                                "content folder not found; pass --content DIR"))
    if not templates_dir.is_dir():
        problems.append(Problem(display_path(templates_dir), 0, "",
                                "templates folder not found; pass --templates DIR"))

    config_path = content_dir / CONFIG_NAME
    config = None
    shown = _shown(content_dir)
    if config_path.is_file():
        config = reader.text(str(config_path), shown(CONFIG_NAME), CONFIG_NAME, "site",
                             problems)
    elif content_dir.is_dir():
        problems.append(Problem(display_path(config_path), 0, "",
                                "site settings not found; create it with title, base_url "
                                "and disclaimer"))

    documents: list[SourceFile] = []
    assets: dict[str, bytes] = {}
    if content_dir.is_dir():
        for entry in sorted(content_dir.iterdir()):
            if _ignored(entry.name) or entry == config_path:
                continue
            known = DOCUMENT_FOLDERS + ASSET_FOLDERS
            if not entry.is_dir() or entry.name not in known:
                hint = did_you_mean(entry.name, known)
                problems.append(Problem(
                    display_path(entry), 0, "",
                    f"not part of the content model{hint}; content/ holds site.yaml and the "
                    f"folders {', '.join(known)}"))
        for folder in DOCUMENT_FOLDERS:
            for path, rel in _files(content_dir / folder, problems):
                rel = f"{folder}/{rel}"
                if not path.endswith(".md"):
                    problems.append(Problem(shown(rel), 0, "",
                                            "only Markdown files (.md) belong here"))
                    continue
                source = reader.text(path, shown(rel), rel, folder, problems)
                if source:
                    documents.append(source)
        for folder in ASSET_FOLDERS:
            for path, rel in _files(content_dir / folder, problems):
                if os.path.splitext(path)[1].lower() not in IMAGE_SUFFIXES:
                    problems.append(Problem(shown(f"{folder}/{rel}"), 0, "", "only pictures "
                                            f"belong here ({', '.join(IMAGE_SUFFIXES)})"))
                    continue
                assets[f"{folder}/{rel}"] = reader.data(path)

    templates: dict[str, SourceFile] = {}
    static: dict[str, bytes] = {}
    shown = _shown(templates_dir)
    for path, rel in _files(templates_dir, problems):
        if rel.startswith("static/"):
            static[rel.removeprefix("static/")] = reader.data(path)
        else:
            source = reader.text(path, shown(rel), rel, "template", problems)
            if source:
                templates[rel] = source

    return Sources(display_path(content_dir), config, tuple(documents), assets, templates,
                   static, tuple(problems), reader.read)
