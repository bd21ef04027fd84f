"""Resolve: the site graph, with every cross-reference checked in one place.

Slugs and addresses get one owner each; muscle ids, routine steps and images
must exist; Markdown bodies are rendered with their links rewritten to page
addresses and checked. Every problem is collected, even when validation has
already found some, so an author sees them all in one run.
"""

from __future__ import annotations

import functools
import hashlib
import posixpath
from collections.abc import Mapping
from dataclasses import dataclass, replace
from html.parser import HTMLParser
from typing import Any, Generic
from urllib.parse import urlsplit

from . import markup, parallel, timing, urls
from .cache import Cache
from .digest import digest
from .errors import Problem, closest, did_you_mean
from .frontmatter import Parsed, Positions
from .models import (
    PARTIALS,
    Document,
    M,
    Muscle,
    Page,
    Partial,
    Routine,
    RoutineTiming,
    SiteConfig,
    Stretch,
)
from .validate import Validated

ROUTE_OF_KIND = {
    "stretches": urls.stretch,
    "muscles": urls.muscle,
    "routines": urls.routine,
    "pages": urls.page,
}

# Every address a document takes: its page, and for a routine its worksheet too.
ROUTES_OF_KIND = {
    **{kind: (route,) for kind, route in ROUTE_OF_KIND.items()},
    "routines": (urls.routine, urls.worksheet),
    "partials": (),  # shown inside other pages, never on their own
}

# Addresses the site makes itself; no document can take them.
RESERVED_ROUTES = (urls.HOME, urls.STRETCHES, urls.MUSCLES, urls.ROUTINES, urls.WORKSHEETS,
                   urls.STATIC, urls.IMAGES, urls.CUSTOM_WORKSHEET, urls.FIGURES, urls.SEARCH,
                   urls.SEARCH_INDEX, *(urls.facet(name) for name in urls.FACET_NAMES))

# Used to check links while the real base URL is unknown (site.yaml has problems).
_PLACEHOLDER_BASE = urls.Base("https://example.invalid/")
_NO_SOURCE = Parsed({}, "", 0, Positions({}, {}))  # a lean document's front-matter (Site.lean)


@dataclass(frozen=True)
class Entry(Generic[M]):
    """A document placed in the site: its address and its rendered body."""

    doc: Document[M]
    route: str  # '' for a partial, which has no page of its own
    html: str
    html_key: str  # fingerprint of html

    @property
    def slug(self) -> str:
        return self.doc.slug

    @property
    def meta(self) -> M:
        return self.doc.meta


@dataclass(frozen=True)
class Site:
    """Everything the renderer needs, resolved and checked."""

    config: SiteConfig
    base: urls.Base
    disclaimer_html: str
    stretches: Mapping[str, Entry[Stretch]]  # by slug, sorted
    muscles: Mapping[str, Entry[Muscle]]
    routines: Mapping[str, Entry[Routine]]
    pages: Mapping[str, Entry[Page]]
    partials: Mapping[str, Entry[Partial]]  # by name: 'red-flags'
    primary: Mapping[str, tuple[str, ...]]  # muscle id -> stretches aimed at it (muscles[0])
    secondary: Mapping[str, tuple[str, ...]]  # muscle id -> stretches that also reach it
    durations: Mapping[str, int]  # routine slug -> seconds, worked out from its steps
    assets: Mapping[str, bytes]  # 'images/x.svg' -> bytes
    outline: str  # fingerprint of all it is made from but the bodies' words (_outline)
    listing: str  # the same, but for the documents' DETAILS fields too (_outline)
    bodies: Bodies  # how the Markdown was rendered, for the next resolve

    def lean(self) -> Site:
        """The graph as a build that won't resolve again needs it: its documents without
        their Markdown and their front-matter as written, which only resolve reads (for the
        next build, and for the lines of the problems it finds), and no record of the bodies
        rendered."""
        def lean(entries: Mapping[str, Entry[M]]) -> dict[str, Entry[M]]:
            return {slug: replace(entry, doc=replace(entry.doc, body="", source=_NO_SOURCE))
                    for slug, entry in entries.items()}
        return replace(self, stretches=lean(self.stretches), muscles=lean(self.muscles),
                       routines=lean(self.routines), pages=lean(self.pages),
                       partials=lean(self.partials), bodies=Bodies(self.bodies.targets, {}))


@dataclass(frozen=True)
class _Placed:
    """Published documents with their addresses."""

    docs: dict[str, dict[str, Document]]  # kind -> slug -> document, sorted by slug
    by_source: dict[str, str]  # 'stretches/cat-cow.md' -> 'stretches/cat-cow/'
    drafts: dict[str, set[str]]  # kind -> slugs of drafts left out of this build
    draft_sources: frozenset[str]  # their source paths


def _place(validated: Validated, drafts: bool, problems: list[Problem]) -> _Placed:
    """Leave out drafts, then give every slug and every address exactly one owner."""
    docs: dict[str, dict[str, Document]] = {}
    by_source: dict[str, str] = {}
    left_out: dict[str, set[str]] = {}
    draft_sources: set[str] = set()
    owner: dict[str, str] = {route: "the site's own section" for route in RESERVED_ROUTES}
    for kind in sorted(validated.documents):
        docs[kind], left_out[kind] = {}, set()
        for doc in validated.documents[kind]:
            if getattr(doc.meta, "draft", False) and not drafts:
                left_out[kind].add(doc.slug)
                draft_sources.add(doc.rel)
                continue
            if doc.slug in docs[kind]:
                problems.append(Problem(doc.name, 1, "", f"duplicate slug '{doc.slug}': "
                                        f"{docs[kind][doc.slug].name} has the same file name; "
                                        "rename one of them"))
                continue
            routes = [route_of(doc.slug) for route_of in ROUTES_OF_KIND[kind]]
            taken = [route for route in routes if route in owner]
            if taken:
                problems.append(Problem(doc.name, 1, "", f"address '/{taken[0]}' is already "
                                        f"taken by {owner[taken[0]]}; rename this file"))
                continue
            owner.update(dict.fromkeys(routes, doc.name))
            docs[kind][doc.slug] = doc
            if routes:
                by_source[doc.rel] = routes[0]
        docs[kind] = dict(sorted(docs[kind].items()))
    # Files that failed validation keep their address for links: their own
    # problems are reported already.
    for kind, rels in validated.invalid.items():
        for rel in rels if kind in ROUTE_OF_KIND else ():
            by_source.setdefault(rel, ROUTE_OF_KIND[kind](posixpath.basename(rel)[:-3]))
    return _Placed(docs, by_source, left_out, frozenset(draft_sources))


def _base(validated: Validated, base_url: str | None, problems: list[Problem]) -> urls.Base | None:
    config = validated.config
    if config is None:
        return None
    try:
        return urls.Base(urls.normalize_base_url(base_url or config.base_url))
    except ValueError as exc:
        if base_url:
            problems.append(Problem("--base-url", 0, "", str(exc)))
        else:
            problems.append(Problem(validated.config_name, validated.config_source.line_of(
                ("base_url",)), "base_url", str(exc)))
        return None


@dataclass(frozen=True)
class _LinkTargets:
    """Everything a Markdown link may point at, and how to write its address."""

    base: urls.Base
    by_source: Mapping[str, str]  # 'stretches/cat-cow.md' -> 'stretches/cat-cow/'
    routes: frozenset[str]  # every page route
    assets: frozenset[str]  # 'images/x.svg'
    drafts: frozenset[str]  # source paths of drafts left out of this build

    def rewrite(self, url: str, folder: str) -> tuple[str, str | None]:
        """The address to write for a link in a file in `folder`, and a problem or None."""
        parts = urlsplit(url)
        path = parts.path
        if parts.scheme or parts.netloc or not path:
            return url, None  # another site, mailto:, or '#anchor' on the same page
        fragment = f"#{parts.fragment}" if parts.fragment else ""
        if path.startswith("/"):  # an address on this site
            for route in (path[1:], path[1:] + "/"):
                if route in self.routes or route in self.assets:
                    return self.base.href(route) + fragment, None
            return url, f"link to '{path}' points at no page or file" + did_you_mean(
                path, ["/" + route for route in sorted(self.routes)])
        # Otherwise a source file, relative to this one.
        target = posixpath.normpath(posixpath.join(folder, path))
        if target in self.by_source:
            return self.base.href(self.by_source[target]) + fragment, None
        if target in self.assets:
            return self.base.href(target), None
        if target in self.drafts:
            return url, f"link to '{path}' points at a draft; it is left out of the " \
                        "site unless built with --drafts"
        # Suggest by file name: shared '../' prefixes say nothing about the intent.
        by_stem = {posixpath.splitext(posixpath.basename(source))[0]: source
                   for source in [*sorted(self.by_source), *sorted(self.assets)]}
        match = closest(posixpath.splitext(posixpath.basename(target))[0], by_stem)
        hint = f" (did you mean '{posixpath.relpath(by_stem[match], folder or '.')}'?)" \
            if match else ""
        return url, f"link to '{path}' points at no page or file{hint}"


@dataclass(frozen=True)
class Bodies:
    """Every Markdown text a resolve rendered, and the link targets it rendered them with:
    while the targets are the same, the same text renders the same (the preview's
    rebuilds reuse them)."""

    targets: _LinkTargets
    rendered: Mapping[str, tuple[str, markup.Markup]]  # source path -> (text, rendering)


class _VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.text = ""

    def handle_data(self, data: str) -> None:
        self.text += data


def _visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    return parser.text.strip()


def resolve(validated: Validated, base_url: str | None, drafts: bool,
            cache: Cache | None = None, timeout: float | None = markup.DEFAULT_TIMEOUT,
            jobs: int = 1, progress: parallel.Progress | None = None,
            previous: Site | None = None) -> tuple[Site | None, list[Problem]]:
    """Build the site graph; return it (None if it can't be built) with every problem found.

    Markdown rendered by the `previous` resolve or found in `cache` is reused; the rest
    is rendered on up to `jobs` processes, each document within `timeout` seconds.
    """
    cache = cache or Cache(None)
    outline, listing = _outline(validated, base_url, drafts)
    if previous is not None and previous.outline == outline and not validated.problems:
        return _new_words(previous, validated, cache, timeout, jobs, progress)
    problems: list[Problem] = []
    placed = _place(validated, drafts, problems)
    base = _base(validated, base_url, problems)
    docs = placed.docs
    problems += _check_muscle_refs(docs["stretches"], docs["muscles"],
                                   validated.invalid.get("muscles", set()))
    problems += _check_routine_steps(docs["routines"], docs["stretches"],
                                     placed.drafts["stretches"],
                                     validated.invalid.get("stretches", set()))
    durations, found = _routine_times(docs["routines"], docs["stretches"], validated.config)
    problems += found
    problems += _check_images(docs["stretches"], validated)
    problems += _check_body_map(docs["muscles"])
    problems += _check_partials(docs["partials"], validated)

    targets = _LinkTargets(
        base=base or _PLACEHOLDER_BASE,
        by_source=placed.by_source,
        routes=frozenset({*placed.by_source.values(), urls.HOME, urls.STRETCHES, urls.MUSCLES,
                          urls.ROUTINES, *(urls.worksheet(slug) for slug in docs["routines"])}),
        assets=frozenset(validated.assets),
        drafts=placed.draft_sources,
    )
    # Every Markdown text of the site: (text, source path, display name, first line).
    texts = [(doc.body, doc.rel, doc.name, doc.body_line)
             for items in docs.values() for doc in items.values()]
    config = validated.config
    if config is not None:
        texts.append((config.disclaimer, "site.yaml", validated.config_name,
                      validated.config_source.value_line(("disclaimer",))))
    before = previous.bodies if previous else None
    bodies = _render_all(texts, targets, cache, timeout, jobs, problems, progress,
                         before.rendered if before and before.targets == targets else {})
    entries = _entries(docs, placed.by_source, bodies, problems)

    config = validated.config
    if config is None or base is None:
        return None, problems
    disclaimer_line = validated.config_source.value_line(("disclaimer",))
    rendered = bodies.get("site.yaml")
    if rendered is None:
        return None, problems
    disclaimer = rendered.html
    if not _visible_text(disclaimer):
        problems.append(Problem(validated.config_name, disclaimer_line, "disclaimer",
                                "shows no text; write the disclaimer readers must see"))

    primary: dict[str, list[str]] = {slug: [] for slug in docs["muscles"]}
    secondary: dict[str, list[str]] = {slug: [] for slug in docs["muscles"]}
    for slug, doc in docs["stretches"].items():
        main, *others = doc.meta.muscles
        if main in primary:
            primary[main].append(slug)
        for muscle_id in [*others, *doc.meta.secondary_muscles]:
            if muscle_id in secondary:
                secondary[muscle_id].append(slug)

    site = Site(
        config=config,
        base=base,
        disclaimer_html=disclaimer,
        stretches=entries["stretches"],
        muscles=entries["muscles"],
        routines=entries["routines"],
        pages=entries["pages"],
        partials=entries["partials"],
        primary={k: tuple(v) for k, v in sorted(primary.items())},
        secondary={k: tuple(v) for k, v in sorted(secondary.items())},
        durations=durations,
        assets=dict(sorted(validated.assets.items())),
        outline=outline,
        listing=listing,
        bodies=Bodies(targets, {rel: (text, bodies[rel])
                                for text, rel, _name, _line in texts if rel in bodies}),
    )
    return site, problems


def _outline(validated: Validated, base_url: str | None, drafts: bool) -> tuple[str, str]:
    """A fingerprint of everything the site graph is made from but the words of the
    bodies: the settings, the pictures' names, and every document's path and fields.
    Addresses, the checks between documents, the routines' times and the link targets
    all follow from these. And the same without the documents' DETAILS fields, which
    only a few pages show (the listing)."""
    config = validated.config.model_dump(mode="json") if validated.config else None
    documents = [doc for kind in sorted(validated.documents)
                 for doc in validated.documents[kind]]
    # Each document's fields are fingerprinted already: these are added up as they are
    # (a path holds no NUL), not written out as JSON again (a tenth of a big preview's rebuild).
    listing = digest([config, base_url, drafts, sorted(validated.assets), hashlib.sha256(
        "\0".join(f"{doc.rel}\0{doc.listed}" for doc in documents).encode()).hexdigest()])
    return digest([listing, hashlib.sha256("\0".join(
        doc.details for doc in documents).encode()).hexdigest()]), listing


def _entries(docs: Mapping[str, Mapping[str, Document]], routes: Mapping[str, str],
             bodies: Mapping[str, markup.Markup],
             problems: list[Problem]) -> dict[str, dict[str, Entry]]:
    """kind -> slug -> entry, for every document whose body could be rendered; routes: source
    path -> address. A stretch's body must hold its steps."""
    entries: dict[str, dict[str, Entry]] = {}
    for kind, items in docs.items():
        entries[kind] = {}
        for slug, doc in items.items():
            result = bodies.get(doc.rel)
            if result is None:  # reported: it could not be rendered
                continue
            entries[kind][slug] = Entry(doc, routes.get(doc.rel, ""), result.html, result.key)
            if kind == "stretches" and result.steps == 0:
                problems.append(Problem(doc.name, doc.body_line, "body",
                                        "no steps found; write the steps as a numbered list "
                                        "('1. ...', '2. ...')"))
    return entries


def _new_words(previous: Site, validated: Validated, cache: Cache, timeout: float | None,
               jobs: int, progress: parallel.Progress | None) -> tuple[Site | None,
                                                                   list[Problem]]:
    """The previous site graph with the bodies rendered again, for documents whose fields
    are all as they were (the same outline): only what a body says may have changed, and
    everything else the graph holds was worked out, and checked, from the rest. A document
    that is the one the previous graph holds (validate_sources keeps those whose file is as
    it was) keeps its entry."""
    problems: list[Problem] = []
    kinds = {"stretches": previous.stretches, "muscles": previous.muscles,
             "routines": previous.routines, "pages": previous.pages,
             "partials": previous.partials}
    # The same files are published, in the same order: each takes its place in the graph.
    by_rel = {doc.rel: doc for items in validated.documents.values() for doc in items}
    docs = {kind: {slug: by_rel[entry.doc.rel] for slug, entry in before.items()
                   if by_rel[entry.doc.rel] is not entry.doc}
            for kind, before in kinds.items()}
    routes = {entry.doc.rel: entry.route for kind, before in kinds.items()
              for slug, entry in before.items() if slug in docs[kind]}
    texts = [(doc.body, doc.rel, doc.name, doc.body_line)
             for items in docs.values() for doc in items.values()]
    targets = previous.bodies.targets
    rendered = _render_all(texts, targets, cache, timeout, jobs, problems, progress,
                           previous.bodies.rendered)
    entries = _entries(docs, routes, rendered, problems)
    if any(len(entries[kind]) < len(docs[kind]) for kind in docs):
        return None, problems  # a body that could not be rendered: reported
    return replace(previous, **{kind: {**before, **entries[kind]}
                                for kind, before in kinds.items()},
                   assets=dict(sorted(validated.assets.items())),
                   bodies=Bodies(targets, {**previous.bodies.rendered,
                                           **{rel: (text, rendered[rel])
                                              for text, rel, _name, _line in texts}})), problems


def _render_one(targets: _LinkTargets, timeout: float | None, job: tuple[str, str]
                ) -> dict[str, Any]:
    """One Markdown text (and its source path), rendered with its links rewritten: plain
    data, for the cache and for crossing from a worker. 'links' records every address asked
    about and the answer, so a cached result is used only while each still gets the same
    answer."""
    text, rel = job
    links: list[tuple[str, str, str | None]] = []

    def rewrite(url: str) -> str:
        new_url, problem = targets.rewrite(url, posixpath.dirname(rel))
        links.append((url, new_url, problem))
        return new_url

    try:
        result = markup.render(text, rewrite, timeout)
    except markup.TooHard as exc:
        return {"too_hard": str(exc)}
    return {"html": result.html, "key": result.key, "steps": result.steps, "links": links,
            "unsafe": [(item.needles, item.message) for item in result.unsafe]}


def _render_all(texts: list[tuple[str, str, str, int]], targets: _LinkTargets, cache: Cache,
                timeout: float | None, jobs: int, problems: list[Problem],
                progress: parallel.Progress | None,
                before: Mapping[str, tuple[str, markup.Markup]]) -> dict[str, markup.Markup]:
    """Source path -> rendered Markdown for every text that could be rendered; problems
    point at the line of their cause. A text as it was `before` (rendered with the same
    targets, and clean, or the build would have failed) is rendered as it was then. Clean
    results go into the cache, and come out of it while the text and the answer for each
    of its links are unchanged."""
    bodies: dict[str, markup.Markup] = {}
    for text, rel, _name, _line in texts:
        old = before.get(rel)
        if old is not None and old[0] == text:
            bodies[rel] = old[1]
    texts = [item for item in texts if item[1] not in bodies]
    keys = [cache.key("markdown", rel, text) for text, rel, _name, _line in texts]
    results: dict[int, dict[str, Any]] = {}
    answers: dict[tuple[str, str], tuple[str, str | None]] = {}  # most links are to a few
    for index, (found, (_text, rel, _name, _line)) in enumerate(zip(cache.get_many(keys), texts,
                                                                    strict=True)):
        hit = None if found is None else found[0]
        if hit is None:
            continue
        folder = posixpath.dirname(rel)
        for url, new_url, _problem in hit["links"]:
            if (url, folder) not in answers:
                answers[url, folder] = targets.rewrite(url, folder)
            if answers[url, folder] != (new_url, None):
                break
        else:
            results[index] = hit
    todo = [index for index in range(len(texts)) if index not in results]
    # The workers are sent the link targets once, then the texts.
    fresh = parallel.ordered_map(
        functools.partial(_render_one, targets, timeout),
        [(texts[i][0], texts[i][1]) for i in todo], jobs,
        parallel.counter("Markdown", len(texts), len(results), progress))
    results.update(zip(todo, fresh, strict=True))
    fresh_ones = set(todo)
    for index, (text, rel, name, first_line) in enumerate(texts):
        result = results[index]
        if "too_hard" in result:
            problems.append(Problem(name, first_line, "body", result["too_hard"]))
            continue
        found = [markup.Unsafe((f"]({url}", f'="{url}', f"='{url}", url), problem)
                 for url, _new, problem in result["links"] if problem]
        unsafe = [markup.Unsafe(tuple(needles), message) for needles, message in result["unsafe"]]
        if found or unsafe:
            lines = markup.Lines(text, first_line)
            problems += [Problem(name, lines.of(item.needles), "", item.message)
                         for item in [*found, *unsafe]]
        if not found and not unsafe and index in fresh_ones:
            cache.put(keys[index], result)
        bodies[rel] = markup.Markup(result["html"], tuple(unsafe), result["steps"],
                                    result["key"])
    return bodies


def _check_partials(partials: Mapping[str, Document[Partial]],
                    validated: Validated) -> list[Problem]:
    """Every partial the templates show is there, and every file in partials/ is one of them."""
    folder = posixpath.join(posixpath.dirname(validated.config_name), "partials")
    problems = [Problem(doc.name, 0, "", f"is not a partial the site shows"
                        f"{did_you_mean(slug, PARTIALS)}; the partials are: "
                        f"{', '.join(f'{name}.md' for name in PARTIALS)}")
                for slug, doc in partials.items() if slug not in PARTIALS]
    failed = {posixpath.basename(rel)[:-3] for rel in validated.invalid.get("partials", ())}
    problems += [Problem(f"{folder}/{name}.md", 0, "", f"is missing: it holds {shown}; "
                         "create it with a title and the words (see AUTHORING.md)")
                 for name, shown in PARTIALS.items() if name not in partials and name not in failed]
    return problems


def _check_muscle_refs(stretches: Mapping[str, Document[Stretch]],
                       muscles: Mapping[str, Document[Muscle]],
                       invalid: set[str]) -> list[Problem]:
    problems = []
    invalid_ids = {posixpath.basename(rel)[:-3] for rel in invalid}
    by_name = {}
    for slug, muscle in muscles.items():
        for name in (muscle.meta.name, *muscle.meta.aliases):
            by_name[name.lower()] = slug
    for doc in stretches.values():
        seen: dict[str, str] = {}
        for key in ("muscles", "secondary_muscles"):
            for index, muscle_id in enumerate(getattr(doc.meta, key)):
                field = f"{key}[{index}]"
                if muscle_id in invalid_ids:
                    continue  # its own file's problems are reported already
                if muscle_id not in seen and muscle_id in muscles:
                    seen[muscle_id] = field
                    continue
                line = doc.line_of(key, index)
                if muscle_id not in muscles:
                    if muscle_id.lower() in by_name:
                        hint = f" (did you mean '{by_name[muscle_id.lower()]}'? " \
                               f"'{muscle_id}' is one of its names)"
                    else:
                        hint = did_you_mean(muscle_id, muscles)
                    problems.append(Problem(doc.name, line, field,
                                            f"unknown muscle '{muscle_id}'{hint}"))
                else:
                    problems.append(Problem(doc.name, line, field, f"'{muscle_id}' is already "
                                            f"listed in {seen[muscle_id]}; list it once"))
    return problems


def _check_routine_steps(routines: Mapping[str, Document[Routine]],
                         stretches: Mapping[str, Document[Stretch]],
                         drafts: set[str], invalid: set[str]) -> list[Problem]:
    problems = []
    invalid_slugs = {posixpath.basename(rel)[:-3] for rel in invalid}
    for doc in routines.values():
        for index, step in enumerate(doc.meta.steps):
            if step.stretch in stretches or step.stretch in invalid_slugs:
                continue
            field = f"steps[{index}].stretch"
            line = doc.line_of("steps", index, "stretch")
            if step.stretch in drafts:
                message = f"stretch '{step.stretch}' is a draft; publish it or build " \
                          "with --drafts"
            else:
                message = f"no stretch '{step.stretch}' in content/stretches/" + \
                          did_you_mean(step.stretch, stretches)
            problems.append(Problem(doc.name, line, field, message))
    return problems


def by_title(entry: Entry) -> tuple[str, str]:
    """The order lists of stretches and routines take: by title, then slug."""
    return entry.meta.title.casefold(), entry.slug


def dose(stretch: Stretch, hold: int | None = None, reps: int | None = None) -> timing.Dose:
    """A stretch as it is done: a routine's hold and reps where it gives them, else the
    stretch's own."""
    return timing.Dose(hold=hold or stretch.hold_seconds, reps=reps or stretch.reps or 1,
                       sets=stretch.sets or 1, sides=2 if stretch.each_side else 1)


def _routine_times(routines: Mapping[str, Document[Routine]],
                   stretches: Mapping[str, Document[Stretch]],
                   config: SiteConfig | None) -> tuple[dict[str, int], list[Problem]]:
    """Each routine's time in seconds, worked out from its steps; a problem where its
    stated minutes are far from that, or its title promises another number of stretches."""
    rules = (config.timing if config else RoutineTiming()).timing()
    seconds: dict[str, int] = {}
    problems = []
    for slug, doc in routines.items():
        meta = doc.meta
        promised = timing.promised_count(meta.title)
        if promised is not None and promised != len(meta.steps):
            problems.append(Problem(doc.name, doc.line_of("title"), "title",
                                    f"promises {promised} stretches but the routine has "
                                    f"{len(meta.steps)} steps; change the title or the steps"))
        if any(step.stretch not in stretches for step in meta.steps):
            continue  # reported by _check_routine_steps
        seconds[slug] = timing.routine_seconds(
            [dose(stretches[step.stretch].meta, step.hold_seconds, step.reps)
             for step in meta.steps], rules)
        wrong = meta.minutes and timing.stated_minutes_problem(meta.minutes, seconds[slug],
                                                                rules)
        if wrong:
            problems.append(Problem(doc.name, doc.line_of("minutes"), "minutes", wrong))
    return seconds, problems


def _check_images(stretches: Mapping[str, Document[Stretch]],
                  validated: Validated) -> list[Problem]:
    problems = []
    for doc in stretches.values():
        image = doc.meta.image
        if image is None:
            continue
        route = urls.image(image)
        line = doc.line_of("image")
        if route is None:
            problems.append(Problem(doc.name, line, "image", f"'{image}' is outside "
                                    "content/images/; give a file name inside that folder"))
        elif route not in validated.assets:
            names = [a.removeprefix(urls.IMAGES) for a in validated.assets]
            problems.append(Problem(doc.name, line, "image", f"no file content/{route}"
                                    + did_you_mean(image, names)))
    return problems


def _check_body_map(muscles: Mapping[str, Document[Muscle]]) -> list[Problem]:
    """A muscle's first body-map area is its own: the index map links it to that muscle."""
    problems = []
    owner: dict[str, Document[Muscle]] = {}
    for doc in muscles.values():
        area = doc.meta.body_map[0]
        if area in owner:
            problems.append(Problem(doc.name, doc.line_of("body_map", 0), "body_map[0]",
                                    f"'{area}' is already the first area of "
                                    f"{owner[area].name}; each muscle's first area is its own "
                                    "on the body map, so list another area first"))
        else:
            owner[area] = doc
    return problems
