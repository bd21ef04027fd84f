"""Render: view dicts -> Jinja -> bytes per output path.

Templates come from memory (load.py read them), autoescape is on, and an
undefined name is an error that points at the template file and line.
"""

from __future__ import annotations

import contextlib
import functools
import re
import traceback
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import jinja2
from markupsafe import Markup

from . import parallel, urls
from .cache import Cache
from .digest import digest
from .errors import Problem
from .load import SourceFile
from .tags import tags
from .views import PageSpec

LINK_ATTRIBUTES = {"href", "src", "action", "poster", "data"}


@dataclass(frozen=True)
class RenderedPage:
    path: str  # output path, relative to the site folder
    route: str
    template: str  # display path of the template, for messages
    data: bytes
    key: str  # fingerprint of everything the page was rendered from
    links: tuple[str, ...] = ()  # every address the page refers to (HTML pages)


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

    def __init__(self, templates: Mapping[str, SourceFile], site: dict[str, Any]):
        self.templates = templates
        self.site = site
        self.env = _environment(tuple(sorted(templates.items())))
        # Everything every page depends on: all templates and the `site` context.
        self.fingerprint = digest([sorted((n, t.text) for n, t in templates.items()), site])

    def _display(self, name: str) -> str:
        return self.templates[name].name if name in self.templates else f"templates/{name}"

    def render(self, name: str, context: dict[str, Any]) -> tuple[str | None, Problem | None]:
        """Render one template; a template bug of any kind comes back as a problem."""
        try:
            return self.env.get_template(name).render({"site": self.site, **context}), None
        except Exception as exc:
            return None, template_problem(exc, self.templates, self._display(name))

    def pages(self, specs: list[PageSpec], previous: Mapping[str, RenderedPage] | None = None,
              cache: Cache | None = None, jobs: int = 1,
              progress: parallel.Progress | None = None
              ) -> tuple[list[RenderedPage], list[Problem]]:
        """Render every page spec; collect problems instead of stopping at the first.

        A page whose template, context and shared inputs are unchanged since
        `previous` (route -> page), or since it went into the cache, is reused as
        it is: rendering is a pure function of those, so the result equals a fresh
        render. The rest are rendered on up to `jobs` processes; `progress` hears
        ('pages', done, total) as they finish.
        """
        cache = cache or Cache(None)
        keys = parallel.ordered_map(self._key, specs, jobs)
        found: dict[int, RenderedPage] = {}
        for index, (spec, key) in enumerate(zip(specs, keys, strict=True)):
            old = (previous or {}).get(spec.route)
            if old is not None and old.key == key:
                found[index] = old
            elif (hit := cache.get(cache.key("page", key))) is not None:
                found[index] = self._page(spec, key, hit)
        todo = [index for index in range(len(specs)) if index not in found]
        for name in sorted({specs[index].template for index in todo}):  # compiled once, here,
            with contextlib.suppress(Exception):  # so that every worker has them (errors are
                self.env.get_template(name)  # reported when the page is rendered)
        fresh = parallel.ordered_results(
            self._render_page, [specs[i] for i in todo], jobs,
            parallel.counter("pages", len(specs), len(found), progress))
        problems: list[Problem] = []
        for index, result in zip(todo, fresh, strict=True):  # each page's text goes once it
            if isinstance(result, Problem):  # is bytes, not all of them at the end
                problems.append(result)
                continue
            cache.put(cache.key("page", keys[index]), result)
            found[index] = self._page(specs[index], keys[index], result)
        return [found[index] for index in sorted(found)], problems

    def _key(self, spec: PageSpec) -> str:
        return digest([self.fingerprint, spec.template, spec.context])

    def _render_page(self, spec: PageSpec) -> dict[str, Any] | Problem:
        """A page's text and links, or the problem that stopped it."""
        text, problem = self.render(spec.template, spec.context)
        if problem:
            return problem
        links = links_of(text) if urls.output_path(spec.route).endswith(".html") else []
        return {"text": text, "links": links}

    def _page(self, spec: PageSpec, key: str, made: dict[str, Any]) -> RenderedPage:
        return RenderedPage(urls.output_path(spec.route), spec.route,
                            self._display(spec.template), made["text"].encode("utf-8"), key,
                            tuple(made["links"]))


_LINKING = re.compile(rf"[\s/'\"](?:{'|'.join(sorted(LINK_ATTRIBUTES))})\s*=", re.I)


def links_of(html: str) -> list[str]:
    """Every address an HTML page refers to, in order."""
    return [value for _name, _end, attributes in tags(html, only=_LINKING)
            for key, value in attributes if key in LINK_ATTRIBUTES and value]
