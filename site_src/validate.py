"""Parse and validate: source files -> typed documents, with every problem collected."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from . import parallel, urls
from .cache import memo
from .digest import digest
from .errors import Problem
from .frontmatter import Parsed, ParseError, Positions, parse, parse_yaml
from .load import SourceFile, Sources
from .models import DETAILS, SCHEMAS, Document, SiteConfig, posable, validate


@dataclass(frozen=True)
class Validated:
    config: SiteConfig | None
    config_name: str  # display path of site.yaml
    config_source: Parsed | None
    documents: dict[str, list[Document]]  # kind -> documents, in path order
    assets: dict[str, bytes]
    problems: list[Problem] = field(default_factory=list)
    # kind -> source paths ('stretches/x.md') of files that failed validation;
    # references to them are not reported again as dangling
    invalid: dict[str, set[str]] = field(default_factory=dict)
    # the documents that had no problem of their own, by what they were made from
    clean: dict[tuple[str, ...], Document] = field(default_factory=dict)


def _config(source: SourceFile, problems: list[Problem]) -> tuple[SiteConfig | None,
                                                                   Parsed | None]:
    try:
        data, positions = parse_yaml(source.text, first_line=1)
    except ParseError as exc:
        problems.append(Problem(source.name, exc.line, "", exc.message))
        return None, None
    if not isinstance(data, dict):
        problems.append(Problem(source.name, 1, "", "site settings must be 'key: value' lines"))
        return None, None
    parsed = Parsed(data, "", 0, positions)
    config, found = validate(SiteConfig, data, source.name, parsed)
    problems.extend(found)
    return config, parsed


@memo("front-matter")  # reading YAML is most of the time a file takes here
def _parsed(text: str, details: str) -> dict[str, Any]:
    """The file as plain data (Parsed.plain), and fingerprints of its fields as written: of
    those not in `details` (names, one per line), and of those in it; or where it can't be
    read, and why."""
    try:
        plain = parse(text).plain()
    except ParseError as exc:
        return {"error": [exc.line, exc.message]}
    named = set(details.splitlines())
    return {"plain": plain,
            "listed": digest({k: v for k, v in plain["data"].items() if k not in named}),
            "details": digest({k: v for k, v in plain["data"].items() if k in named})}


def _refusal(source: SourceFile, max_kb: int, others: dict[str, str]) -> Problem | None:
    """Why a content file is not even read, if it isn't; others: every file's path ->
    display name."""
    size = len(source.text.encode("utf-8"))
    if size > max_kb * 1024:
        return Problem(source.name, 0, "", f"is {-(-size // 1024)} KB; a file may be at most "
                       f"{max_kb} KB (max_file_kb in site.yaml): split it, or move pictures "
                       "into content/images/")
    slug = PurePosixPath(source.rel).stem
    if slug in urls.RESERVED_SLUGS:
        return Problem(source.name, 0, "", f"'{slug}.md' is a name the site keeps for itself; "
                       "give the file the name of what it is about")
    if not urls.SLUG.match(slug):
        suggestion = urls.suggest_slug(slug) or "stretch"
        twin = PurePosixPath(source.rel).with_name(f"{suggestion}.md").as_posix()
        if twin in others:  # 'Cat-Cow.md' beside 'cat-cow.md': one file on Windows and Macs
            return Problem(source.name, 0, "", f"differs only in case from {others[twin]}; "
                           "keep one of the two")
        return Problem(source.name, 0, "", f"file name '{slug}.md' can't be a web address; "
                       "use lower-case letters, digits and dashes, e.g. "
                       f"'{suggestion}.md'")
    return None


def _read_call(source: SourceFile) -> tuple[str, str]:
    """The arguments of _parsed for a file."""
    return source.text, "\n".join(DETAILS.get(source.kind, ()))


def _document(source: SourceFile, read: dict[str, Any],
              problems: list[Problem]) -> Document | None:
    """One content file, as _parsed read it, as a typed document."""
    if "error" in read:
        problems.append(Problem(source.name, read["error"][0], "", read["error"][1]))
        return None
    slug = PurePosixPath(source.rel).stem
    parsed = Parsed.from_plain(read["plain"], source.text)
    meta, found = validate(SCHEMAS[source.kind], parsed.data, source.name, parsed)
    problems.extend(found)
    if meta is None:
        meta = _salvage(SCHEMAS[source.kind], parsed, found)
    if meta is None:
        return None
    return Document(slug, source.name, source.rel, meta, parsed.body, parsed.body_line, parsed,
                    read["listed"], read["details"])


def _salvage(model: type, parsed: Parsed, found: list[Problem]) -> object | None:
    """The document without the fields it has problems with, if it is valid so: so that its
    other mistakes (a muscle that doesn't exist, a stretch a routine can't find) are reported
    in the same run, not after the first ones are fixed. The build fails either way."""
    bad = {re.split(r"[.\[]", problem.field)[0] for problem in found}
    if "" in bad:
        return None
    kept = {key: value for key, value in parsed.data.items() if key not in bad}
    clean = Parsed(kept, parsed.body, parsed.body_line,
                   Positions(parsed.positions.keys, parsed.positions.values))
    meta, again = validate(model, kept, "", clean)
    return meta if not again else None


_SVG_ACTIVE = re.compile(rb"<script|<foreignobject|\son[a-z]+\s*=|javascript:", re.I)


def _check_pictures(assets: dict[str, bytes], content_name: str) -> list[Problem]:
    """An SVG is a document that can run script on the site's origin; refuse active ones."""
    return [
        Problem(f"{content_name}/{path}", 0, "", "this SVG contains script or event handlers; "
                "export it as a plain picture")
        for path, data in sorted(assets.items())
        if path.lower().endswith(".svg") and _SVG_ACTIVE.search(data)
    ]


def validate_sources(sources: Sources,
                     previous: Mapping[tuple[str, ...], Document] | None = None,
                     jobs: int = 1, progress: parallel.Progress | None = None) -> Validated:
    """Parse every file and validate it against its model; collect all problems.

    `previous` is the `clean` of an earlier run: a file whose text (and size limit) is as
    it was then is not parsed again (the preview's rebuilds). The others' front-matter is
    read on up to `jobs` processes, unless the cache has it, and so are their poses
    checked; `progress` hears ('front-matter', done, total) and ('poses checked', ...)."""
    problems: list[Problem] = list(sources.problems)
    config, config_source = (_config(sources.config, problems) if sources.config
                             else (None, None))
    documents: dict[str, list[Document]] = {kind: [] for kind in SCHEMAS}
    invalid: dict[str, set[str]] = {kind: set() for kind in SCHEMAS}
    max_kb = config.max_file_kb if config else SiteConfig.model_fields["max_file_kb"].default
    clean: dict[tuple[str, ...], Document] = {}
    limit = str(max_kb)
    keys = [(source.kind, source.rel, source.name, source.text, limit)
            for source in sources.documents]
    known = [None] * len(keys) if not previous else list(map(previous.get, keys))
    new = [source for source, document in zip(sources.documents, known, strict=True)
           if document is None]
    others = {source.rel: source.name for source in sources.documents} if new else {}
    refused = {source.rel: _refusal(source, max_kb, others) for source in new}
    to_read = [source for source in new if refused[source.rel] is None]
    reads = dict(zip([source.rel for source in to_read],
                     _parsed.many([_read_call(source) for source in to_read], jobs, progress),
                     strict=True))
    read_now: dict[str, tuple[Document, tuple[str, ...]]] = {}  # the stretches not as they
    # were, by path: each with its key
    for source, key, document in zip(sources.documents, keys, known, strict=True):
        if document is None:
            before = len(problems)
            refusal = refused[source.rel]
            if refusal:
                problems.append(refusal)
            else:
                document = _document(source, reads[source.rel], problems)
            if document is not None and len(problems) == before:
                clean[key] = document
            if document is not None and source.kind == "stretches":
                read_now[source.rel] = document, key
        else:
            clean[key] = document
        if document is not None:
            documents[source.kind].append(document)
        else:
            invalid[source.kind].add(source.rel)
    for document, problem in posable([document for document, _key in read_now.values()],
                                     jobs, progress):
        problems.append(problem)
        clean.pop(read_now[document.rel][1], None)
    problems += _check_pictures(sources.assets, sources.content)
    config_name = sources.config.name if sources.config else f"{sources.content}/site.yaml"
    return Validated(config, config_name, config_source, documents, sources.assets, problems,
                     invalid, clean)
