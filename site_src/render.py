"""Render: view dicts -> Jinja -> bytes per output path.

Templates come from memory (load.py read them), autoescape is on, and an
undefined name is an error that points at the template file and line.
"""

from __future__ import annotations

import functools
import hashlib
import re
import sys
import traceback
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, NamedTuple

import jinja2
from markupsafe import Markup

from . import markup, parallel, search, urls
from .cache import Cache
from .digest import digest, measured
from .errors import Problem
from .load import SourceFile
from .tags import tags

if TYPE_CHECKING:  # a worker that renders pages needn't import the site's models
    from .views import PageSpec

LINK_ATTRIBUTES = {"href", "src", "action", "poster", "data"}
# Seconds one page may take to render. The longest, the build-your-own sheet, which holds
# every stretch, takes about one at 10,000 stretches: a template that runs for a minute
# loops over far too much (every stretch for every stretch), or forever.
PAGE_TIMEOUT = 60.0
STOPPED = "and was stopped; look for a loop here"
DISCLAIMER_PARTIAL = "partials/disclaimer.html"  # its output is on every HTML page (checks.py)


@dataclass(frozen=True)
class RenderedPage:
    path: str  # output path, relative to the site folder
    route: str
    template: str  # display path of the template, for messages
    data: bytes | None  # None: let go of, and kept in the cache as the file 'page' of `kept`
    key: str  # fingerprint of everything the page was rendered from: template and context
    links: tuple[str, ...] = ()  # every address the page refers to (HTML pages)
    # what its context was made from: the renderer's fingerprint, and the page's spec (its
    # route, template and inputs)
    made_from: tuple[str, PageSpec] | tuple[()] = ()
    digest: str = ""  # write.fingerprint(data), made once, where the page is rendered
    searchable: bool = False  # it marks a body for the search index (search.known_of)
    disclaimed: bool = False  # the disclaimer partial's output is in it, unchanged
    kept: str = ""  # the key of the cache entry that holds it

    @property
    def known(self) -> search.Known:
        """What the search index needs to know of the page without reading it."""
        return search.Known(self.digest, self.searchable)

    @functools.cached_property
    def identity(self) -> str:
        """What the checks know it by (checks.Passed): its key, which covers the templates,
        the disclaimer and the context, and its route, where its relative links start from
        (a route has no spaces). Made once: a rebuild looks at every page."""
        return f"{self.key} {self.route}"


class _Todo(NamedTuple):
    """A page to render, with its context: what goes to a worker."""

    index: int  # in the build's list of page specs
    key: str
    template: str
    route: str
    context: dict[str, Any]
    size: int  # of the context, as JSON


class _Loader(jinja2.BaseLoader):
    """Templates from memory, named by their file path so errors point at the file."""

    def __init__(self, templates: Mapping[str, SourceFile]):
        self.templates = templates

    def get_source(self, environment: jinja2.Environment, template: str):
        source = self.templates.get(template)
        if source is None:
            raise jinja2.TemplateNotFound(template)
        return source.text, source.name, lambda: True

    def list_templates(self) -> list[str]:
        return sorted(self.templates)


def template_problem(exc: Exception, templates: Mapping[str, SourceFile],
                     fallback: str) -> Problem:
    """Locate a Jinja error in the template file (and line) that caused it."""
    files = {source.name for source in templates.values()}
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename in files:
        return Problem(exc.filename, exc.lineno or 0, "", f"template error: {exc.message}")
    # Jinja rewrites tracebacks so that template frames carry the template's file and line.
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename in files]
    path, line = (frames[-1].filename, frames[-1].lineno or 0) if frames else (fallback, 0)
    if isinstance(exc, jinja2.TemplateNotFound):
        return Problem(path, line, "", f"template '{exc.name}' not found in the templates folder")
    return Problem(path, line, "", f"template error: {exc}")


def css_string(value: object) -> Markup:
    """A quoted CSS string, safe inside <style>: for @page margin boxes."""
    safe = "".join(c if c.isascii() and (c.isalnum() or c in " .,:;!?'()-_/&@#+=*%")
                   else f"\\{ord(c):x} " for c in str(value))
    return Markup(f'"{safe}"')


@functools.lru_cache(maxsize=1)
def _environment(templates: tuple[tuple[str, SourceFile], ...]) -> jinja2.Environment:
    """A Jinja environment over these templates, which compiles each once: the preview's
    rebuilds share it while the templates stay as they were."""
    env = jinja2.Environment(
        loader=_Loader(dict(templates)),
        autoescape=jinja2.select_autoescape(["html", "xml"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["css_string"] = css_string
    return env


class Renderer:
    """A Jinja environment over the loaded templates; every template sees `site`."""

    def __init__(self, templates: Mapping[str, SourceFile], site: dict[str, Any],
                 timeout: float | None = None):
        self.templates = templates
        self.site = site
        self.timeout = PAGE_TIMEOUT if timeout is None else timeout  # seconds a page may take
        self.env = _environment(tuple(sorted(templates.items())))
        # Everything every page depends on: all templates and the `site` context.
        self.fingerprint = digest([sorted((n, t.text) for n, t in templates.items()), site])
        self._stopped: Problem | None = None  # a page that ran out of time, on this process

    def __reduce__(self) -> tuple[type[Renderer], tuple[Any, ...]]:
        """What it is made from, as it goes to a worker (parallel.sent): some tens of KB.
        The worker compiles the templates it is asked for."""
        return Renderer, (self.templates, self.site, self.timeout)

    @functools.cached_property
    def disclaimer(self) -> tuple[str | None, Problem | None]:
        """The disclaimer partial's output, which every HTML page must hold, or the problem
        that stopped it; (None, None) where there is no such partial (checks.py says so)."""
        if DISCLAIMER_PARTIAL not in self.templates:
            return None, None
        return self.render(DISCLAIMER_PARTIAL, {})

    def _display(self, name: str) -> str:
        return self.templates[name].name if name in self.templates else f"templates/{name}"

    def render(self, name: str, context: dict[str, Any], page: str = "a page"
               ) -> tuple[str | None, Problem | None]:
        """Render one template, for `page`; a template bug of any kind comes back as a
        problem."""
        try:
            with markup.budget(self.timeout, f"took longer than {self.timeout:g} s to render "
                               f"{page} {STOPPED} that runs far too long, such as one over "
                               "every stretch inside another"):
                return self.env.get_template(name).render({"site": self.site, **context}), None
        except Exception as exc:
            return None, template_problem(exc, self.templates, self._display(name))

    def pages(self, specs: list[PageSpec], make: Callable[[PageSpec], dict[str, Any]],
              previous: Mapping[str, RenderedPage] | None = None, cache: Cache | None = None,
              jobs: int = 1, progress: parallel.Progress | None = None, hold: bool = True
              ) -> tuple[list[RenderedPage], list[Problem]]:
        """Render every page spec, its context made by `make`; collect problems instead of
        stopping at the first.

        Rendering is a pure function of the templates, the `site` context and the page's
        own context, so a page is reused as it is, not rendered, when those are what they
        were in `previous` (route -> page) or when it went into the cache. Two tests, the
        first one cheap:
        - its inputs (`spec.inputs`) are unchanged: its context is never made;
        - else its context is made, and it is the same: an edit that changed the inputs
          but not what this page shows (a stretch's sources, which only its own page
          shows, on the pages that list it).
        The rest are rendered on up to `jobs` processes; `progress` hears ('pages', done,
        total) as pages are found or rendered.
        Without `hold`, pages come without their bytes (data None), which stay in the
        cache: those found there aren't read, and those rendered are let go of.
        """
        cache = cache or Cache(None)
        # A page as it was is told without a fingerprint made of every page (the preview),
        # in bulk: a big library has tens of thousands.
        made_from = [(self.fingerprint, spec) for spec in specs]  # the same spec, often
        before = [None] * len(specs) if previous is None else \
            [previous.get(spec.route) for spec in specs]
        found: dict[int, RenderedPage] = {
            index: old for index, (old, made) in enumerate(zip(before, made_from, strict=True))
            if old is not None and old.made_from == made}
        asked: list[tuple[int, str]] = [  # index, inputs: the pages not as they were
            (index, hashlib.blake2b("\0".join((self.fingerprint, spec.template, spec.route,
                                                *spec.inputs)).encode()).hexdigest())
            for index, spec in enumerate(specs) if index not in found]
        # The key each one's inputs made last time, and the page rendered from it.
        knew = [None if hit is None else hit[0] for hit in
                cache.get_many([cache.key("page-of", inputs) for _index, inputs in asked])]
        hits = iter(cache.get_many([cache.key("page", known) for known in knew if known],
                                   with_files=hold))
        unknown: list[tuple[int, str, str | None]] = []  # index, inputs, key the cache knew
        for (index, inputs), known in zip(asked, knew, strict=True):
            if known and (hit := next(hits)):
                found[index] = self._page(specs[index], made_from[index], known, *hit, cache)
            else:
                unknown.append((index, inputs, known))
        # The other pages' contexts are made here, one by one, and told apart by their digest;
        # those to render are sent to the workers with their contexts, made from the site in
        # this process's memory, which the workers then need not read (parallel.sent).
        counted = parallel.counter("pages", len(specs), len(found), progress)

        def todo() -> Iterator[_Todo]:
            for index, inputs, known in unknown:
                spec, old = specs[index], (previous or {}).get(specs[index].route)
                context = make(spec)
                key, size = measured([self.fingerprint, spec.template, context])
                if known is None:
                    cache.put(cache.key("page-of", inputs), key)
                if old is not None and old.key == key:
                    found[index] = replace(old, made_from=made_from[index])
                elif hit := cache.get_many([cache.key("page", key)], with_files=hold)[0]:
                    found[index] = self._page(spec, made_from[index], key, *hit, cache)
                else:
                    yield _Todo(index, key, spec.template, spec.route, context, size)
                    continue
                if counted:
                    counted(1)

        # Workers are worth starting for many pages to look at: most are rendered on a cold
        # build, and an edited title re-renders the big lists of thousands of stretches.
        fresh = parallel.sent(self._render_page, todo(),
                              jobs if len(unknown) >= jobs * parallel.MIN_ITEMS else 1,
                              lambda page: page.size, counted)
        problems: list[Problem] = []
        for page, result in fresh:
            if isinstance(result, Problem):  # each page's text goes once it is bytes,
                problems.append(result)  # not all of them at the end
                if STOPPED in result.message:  # the next pages of its template
                    fresh.close()  # would each take as long: the workers are stopped
                    break
                continue
            made, data = result
            cache.put(cache.key("page", page.key), made, {"page": data})
            found[page.index] = self._page(specs[page.index], made_from[page.index], page.key,
                                           made, {"page": data} if hold else {}, cache)
        return [found[index] for index in sorted(found)], problems

    def _render_page(self, page: _Todo) -> tuple[dict[str, Any], bytes] | Problem:
        """What is known of a page (its links and fingerprint) and its bytes, or the problem
        that stopped it."""
        if self._stopped:  # the build stops at that page: a worker doesn't spend as long on
            return self._stopped  # each page after it in its chunk, which may be the same
        text, problem = self.render(page.template, page.context, f"/{page.route}")
        if problem:
            if STOPPED in problem.message:
                self._stopped = problem
            return problem
        links = links_of(text) if urls.output_path(page.route).endswith(".html") else []
        data = text.encode("utf-8")
        known = search.known_of(data)
        partial = self.disclaimer[0]
        return {"links": links, "digest": known.fingerprint, "searchable": known.searchable,
                "disclaimed": partial is not None and partial in text}, data

    def _page(self, spec: PageSpec, made_from: tuple[str, PageSpec],
              key: str, made: dict[str, Any], files: Mapping[str, bytes],
              cache: Cache) -> RenderedPage:
        """The page, from what is known of it and, if held, its bytes (files['page'])."""
        return RenderedPage(urls.output_path(spec.route), spec.route,
                            self._display(spec.template), files.get("page"), key,
                            tuple(map(sys.intern, made["links"])),  # most are on many
                            made_from, made["digest"], made["searchable"], made["disclaimed"],
                            cache.key("page", key))


_LINKING = re.compile(rf"[\s/'\"](?:{'|'.join(sorted(LINK_ATTRIBUTES))})\s*=", re.I)


def links_of(html: str) -> list[str]:
    """Every address an HTML page refers to, in order."""
    return [value for _name, _end, attributes in tags(html, only=_LINKING)
            for key, value in attributes if key in LINK_ATTRIBUTES and value]
