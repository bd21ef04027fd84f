"""Resolve: the site graph, with every cross-reference checked in one place.

Muscle ids, routine steps, duplicate slugs, colliding addresses, images and
Markdown links are all resolved here, and Markdown bodies are rendered with
their links rewritten to page URLs.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Generic
from urllib.parse import urlsplit

from . import markup, urls
from .errors import Problem, did_you_mean
from .models import Document, M, Muscle, Page, Routine, SiteConfig, Stretch
from .validate import Validated

IMAGES = "images/"


@dataclass(frozen=True)
class Entry(Generic[M]):
    """A document placed in the site: its address and its rendered body."""

    doc: Document[M]
    route: str
    html: str
    steps: int

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
    primary: Mapping[str, tuple[str, ...]]  # muscle id -> slugs of stretches aimed at it
    secondary: Mapping[str, tuple[str, ...]]  # muscle id -> slugs of stretches also reaching it
    assets: Mapping[str, bytes]  # 'images/x.svg' -> bytes


ROUTE_OF_KIND = {
    "stretches": urls.stretch,
    "muscles": urls.muscle,
    "routines": urls.routine,
    "pages": urls.page,
}

# Routes the site makes itself; a page can't take their address.
FIXED_ROUTES = (urls.HOME, urls.STRETCHES, urls.MUSCLES, urls.ROUTINES, "worksheets/",
                "static/", IMAGES)


@dataclass(frozen=True)
class _LinkTargets:
    """Everything a Markdown link may point at, and how to write its address."""

    base: urls.Base
    by_source: Mapping[str, str]  # 'stretches/cat-cow.md' -> 'stretches/cat-cow/'
    routes: frozenset[str]  # every page route
    assets: Mapping[str, bytes]  # 'images/x.svg' -> bytes
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
            known = ["/" + route for route in sorted(self.routes)]
        else:  # a source file, relative to this one
            target = posixpath.normpath(posixpath.join(folder, path))
            if target in self.by_source:
                return self.base.href(self.by_source[target]) + fragment, None
            if target in self.assets:
                return self.base.href(target), None
            if target in self.drafts:
                return url, f"link to '{path}' points at a draft; it is left out of the " \
                            "site unless built with --drafts"
            known = [posixpath.relpath(source, folder or ".")
                     for source in [*sorted(self.by_source), *sorted(self.assets)]]
        return url, f"link to '{path}' points at no page or file" + did_you_mean(path, known)


def resolve(validated: Validated, base_url: str | None, drafts: bool) -> tuple[Site | None,
                                                                                list[Problem]]:
    """Build the site graph; return it with every cross-reference problem found."""
    problems: list[Problem] = []
    config = validated.config
    docs = validated.documents

    # Drafts are left out before anything refers to them.
    draft_sources: dict[str, str] = {}
    published: dict[str, list[Document]] = {}
    for kind, items in docs.items():
        published[kind] = []
        for doc in items:
            if getattr(doc.meta, "draft", False) and not drafts:
                draft_sources[doc.rel] = doc.slug
            else:
                published[kind].append(doc)

    # Addresses: one owner per slug and per route.
    by_source: dict[str, str] = {}
    owner_of_route: dict[str, Document] = {}
    for kind in sorted(published):
        seen: dict[str, Document] = {}
        for doc in published[kind]:
            if doc.slug in seen:
                problems.append(Problem(doc.name, 1, "", f"duplicate slug '{doc.slug}': "
                                        f"{seen[doc.slug].name} has the same file name; "
                                        "rename one of them"))
                continue
            seen[doc.slug] = doc
            route = ROUTE_OF_KIND[kind](doc.slug)
            if route in FIXED_ROUTES or route in owner_of_route:
                taken_by = owner_of_route[route].name if route in owner_of_route else \
                    "the site's own section"
                problems.append(Problem(doc.name, 1, "", f"address '/{route}' is already "
                                        f"taken by {taken_by}; rename this file"))
                continue
            owner_of_route[route] = doc
            by_source[doc.rel] = route

    base = None
    if config is not None:
        try:
            base = urls.Base(urls.normalize_base_url(base_url or config.base_url))
        except ValueError as exc:
            problems.append(Problem("--base-url", 0, "", str(exc)))

    muscles = {d.slug: d for d in published["muscles"] if by_source.get(d.rel)}
    stretches = {d.slug: d for d in published["stretches"] if by_source.get(d.rel)}
    routines = {d.slug: d for d in published["routines"] if by_source.get(d.rel)}
    pages = {d.slug: d for d in published["pages"] if by_source.get(d.rel)}
    draft_stretches = {slug for rel, slug in draft_sources.items()
                       if rel.startswith("stretches/")}

    problems += _check_muscle_refs(stretches, muscles, validated.invalid["muscles"])
    problems += _check_routine_steps(routines, stretches, draft_stretches,
                                     validated.invalid["stretches"])
    problems += _check_images(stretches, validated)

    if config is None or base is None or validated.problems:
        return None, problems

    targets = _LinkTargets(
        base=base,
        by_source=by_source,
        routes=frozenset({*by_source.values(), urls.HOME, urls.STRETCHES, urls.MUSCLES,
                          urls.ROUTINES, *(urls.worksheet(slug) for slug in routines)}),
        assets=validated.assets,
        drafts=frozenset(draft_sources),
    )

    def render(doc: Document) -> tuple[str, int]:
        """Markdown to HTML with links rewritten; problems point at the line of the link."""
        found: list[markup.Unsafe] = []

        def rewrite(url: str) -> str:
            new_url, problem = targets.rewrite(url, posixpath.dirname(doc.rel))
            if problem:
                found.append(markup.Unsafe((f"]({url}", f'="{url}', f"='{url}", url), problem))
            return new_url

        result = markup.render(doc.body, rewrite)
        for item in [*found, *result.unsafe]:
            line = markup.line_of(doc.body, item.needles, doc.body_line)
            problems.append(Problem(doc.name, line, "", item.message))
        return result.html, result.steps

    def entries(items: dict[str, Document]) -> dict[str, Entry]:
        out = {}
        for slug in sorted(items):
            html, steps = render(items[slug])
            out[slug] = Entry(items[slug], by_source[items[slug].rel], html, steps)
        return out

    stretch_entries = entries(stretches)
    for entry in stretch_entries.values():
        if entry.steps == 0:
            problems.append(Problem(entry.doc.name, entry.doc.body_line, "body",
                                    "no steps found; write the steps as a numbered list "
                                    "('1. ...', '2. ...')"))

    disclaimer_doc = Document("disclaimer", validated.config_name, "site.yaml", config,
                              config.disclaimer, validated.config_source.value_line(
                                  ("disclaimer",)), validated.config_source)
    disclaimer_html, _ = render(disclaimer_doc)

    primary: dict[str, list[str]] = {slug: [] for slug in muscles}
    secondary: dict[str, list[str]] = {slug: [] for slug in muscles}
    for slug, doc in sorted(stretches.items()):
        for index, muscle_id in enumerate([*doc.meta.muscles, *doc.meta.secondary_muscles]):
            if muscle_id in muscles:
                (primary if index == 0 else secondary)[muscle_id].append(slug)

    site = Site(
        config=config,
        base=base,
        disclaimer_html=disclaimer_html,
        stretches=stretch_entries,
        muscles=entries(muscles),
        routines=entries(routines),
        pages=entries(pages),
        primary={k: tuple(v) for k, v in sorted(primary.items())},
        secondary={k: tuple(dict.fromkeys(v)) for k, v in sorted(secondary.items())},
        assets=dict(sorted(validated.assets.items())),
    )
    return site, problems


def _check_muscle_refs(stretches: Mapping[str, Document[Stretch]],
                       muscles: Mapping[str, Document[Muscle]],
                       invalid: set[str]) -> list[Problem]:
    problems = []
    by_alias = {}
    for slug, muscle in muscles.items():
        for alias in (muscle.meta.name, *muscle.meta.aliases):
            by_alias[alias.lower()] = slug
    for doc in stretches.values():
        seen: dict[str, str] = {}
        for key in ("muscles", "secondary_muscles"):
            for index, muscle_id in enumerate(getattr(doc.meta, key)):
                field = f"{key}[{index}]"
                line = doc.line_of(key, index)
                if muscle_id in invalid:
                    continue  # its own file's problems are reported already
                if muscle_id not in muscles:
                    if muscle_id.lower() in by_alias:
                        hint = f" (did you mean '{by_alias[muscle_id.lower()]}'? " \
                               f"'{muscle_id}' is one of its names)"
                    else:
                        hint = did_you_mean(muscle_id, muscles)
                    problems.append(Problem(doc.name, line, field,
                                            f"unknown muscle '{muscle_id}'{hint}"))
                elif muscle_id in seen:
                    problems.append(Problem(doc.name, line, field, f"'{muscle_id}' is already "
                                            f"listed in {seen[muscle_id]}; list it once"))
                else:
                    seen[muscle_id] = field
    return problems


def _check_routine_steps(routines: Mapping[str, Document[Routine]],
                         stretches: Mapping[str, Document[Stretch]],
                         drafts: set[str], invalid: set[str]) -> list[Problem]:
    problems = []
    for doc in routines.values():
        for index, step in enumerate(doc.meta.steps):
            if step.stretch in stretches or step.stretch in invalid:
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


def _check_images(stretches: Mapping[str, Document[Stretch]],
                  validated: Validated) -> list[Problem]:
    problems = []
    for doc in stretches.values():
        image = doc.meta.image
        if image is None:
            continue
        target = posixpath.normpath(posixpath.join(IMAGES, image))
        line = doc.line_of("image")
        if not target.startswith(IMAGES) or image.startswith("/"):
            problems.append(Problem(doc.name, line, "image", f"'{image}' is outside "
                                    "content/images/; give a file name inside that folder"))
        elif target not in validated.assets:
            names = [a.removeprefix(IMAGES) for a in validated.assets if a.startswith(IMAGES)]
            problems.append(Problem(doc.name, line, "image", f"no file content/{target}"
                                    + did_you_mean(image, names)))
    return problems
