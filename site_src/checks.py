"""Check: rules every rendered page must pass before anything is written.

1. The medical disclaimer, rendered by its one partial, is on every HTML page.
   This check can't be switched off.
2. Every in-site link and asset reference leads to a file the build writes.

A page that passed both before passes again, unchecked, while it is the same page
(by its key and route) and every file the pages that passed linked to is still there
(`Passed`): the build after an edit checks the pages that edit changed, not all 10,000.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import unquote, urljoin, urlsplit

from . import urls
from .errors import Problem
from .load import SourceFile
from .render import DISCLAIMER_PARTIAL, RenderedPage, Renderer


@dataclass(frozen=True)
class Passed:
    """Pages that passed both checks, each as `RenderedPage.identity`, and every file of the site
    their links lead to."""

    pages: frozenset[str] = frozenset()
    targets: frozenset[str] = frozenset()

    def plain(self) -> dict[str, list[str]]:
        return {"pages": sorted(self.pages), "targets": sorted(self.targets)}

    @classmethod
    def of(cls, plain: object) -> Passed:
        """From plain(); nothing passed if it isn't that."""
        try:
            return cls(frozenset(plain["pages"]), frozenset(plain["targets"]))  # type: ignore
        except (TypeError, KeyError):
            return cls()


def check(renderer: Renderer, disclaimer_html: str, pages: Iterable[RenderedPage],
          base: urls.Base, files: Mapping[str, bytes], passed: Passed
          ) -> tuple[list[Problem], Passed]:
    """Both checks, on the HTML pages not known to pass them: a page that `passed` before
    has the disclaimer still, and its links lead where they did while every file in
    `passed.targets` is in `files` (the site's, path -> bytes). Returns the problems, and
    what passed now."""
    html = [(page, page.identity) for page in pages if page.path.endswith(".html")]
    problems = check_disclaimer(renderer, disclaimer_html,
                                [page for page, known in html if known not in passed.pages])
    paths = set(files)
    still = passed.targets <= paths
    reached = set(passed.targets) if still else set()
    problems += check_links([page for page, known in html
                             if not (still and known in passed.pages)],
                            base, paths, renderer.templates, reached)
    return problems, Passed(frozenset(known for _page, known in html), frozenset(reached))


def check_disclaimer(renderer: Renderer, disclaimer_html: str, pages: list[RenderedPage]
                     ) -> list[Problem]:
    """Every HTML page must contain the disclaimer partial's output, unchanged: each page
    was looked at where it was rendered (RenderedPage.disclaimed)."""
    partial_name = f"templates/{DISCLAIMER_PARTIAL}"
    if DISCLAIMER_PARTIAL not in renderer.templates:
        return [Problem(partial_name, 0, "", "the mandatory disclaimer partial is missing; "
                        "it must render {{ site.disclaimer }}")]
    partial, problem = renderer.disclaimer
    if problem:
        return [problem]
    if disclaimer_html.strip() not in partial:
        return [Problem(renderer.templates[DISCLAIMER_PARTIAL].name, 0, "",
                        "the disclaimer partial must show the site's disclaimer; "
                        "keep {{ site.disclaimer }} in it")]
    missing: dict[str, list[str]] = {}
    for page in pages:
        if page.path.endswith(".html") and not page.disclaimed:
            missing.setdefault(page.template, []).append("/" + page.route)
    return [
        Problem(template, 0, "", f"drops the medical disclaimer on {len(routes)} page(s), e.g. "
                f"{routes[0]}; extend base.html, or include 'partials/disclaimer.html' "
                "outside any block")
        for template, routes in sorted(missing.items())
    ]


# What makes a link from the root more than a route: a query, a fragment, an escape, a
# backslash, white space or a control character, or a '.' or '..' segment.
_UNUSUAL = re.compile(r"[?#%\\\s\x00-\x1f]|/\.")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")  # 'https:', 'mailto:'


def check_links(pages: Iterable[RenderedPage], base: urls.Base, files: Collection[str],
                templates: Mapping[str, SourceFile],
                reached: set[str] | None = None) -> list[Problem]:
    """Every in-site link must lead to a file in `files` (output paths); `reached`, if
    given, gets each file a link leads to.

    A broken link is blamed on the templates that spell it out literally, or
    else on the template of the page it was found on.
    """
    broken: dict[tuple[str, str], tuple[str, str]] = {}
    # An address from the root, or with its scheme, means the same on any page.
    verdicts: dict[str, str | None] = {}
    reached = set() if reached is None else reached

    def leads(path: str) -> str | None:
        if path in files:
            reached.add(path)
            return None
        return "leads to no page or file"

    def verdict(link: str, page_href: str) -> str | None:
        """Why a link is broken, or None if it leads somewhere (or off the site)."""
        if link.startswith(base.path) and not _UNUSUAL.search(link):
            # The usual link, to a page of the site from its root, needs no URL parsing.
            with contextlib.suppress(ValueError):
                return leads(urls.output_path(link[len(base.path):]))
        try:
            route = base.route_of(urljoin(page_href, link))
            # another site, or a file of this one
            return None if route is None else leads(urls.output_path(unquote(urlsplit(
                route).path)))
        except ValueError as exc:
            return str(exc).replace(f"'{urljoin(page_href, link)}' is", "is")

    for page in pages:
        if not page.path.endswith(".html"):
            continue
        page_href = base.href(page.route)
        for link in page.links:
            if link.startswith("#"):
                continue
            if (link.startswith("/") and not link.startswith("//")) or _SCHEME.match(link):
                if link not in verdicts:
                    verdicts[link] = verdict(link, page_href)
                why = verdicts[link]
            else:
                why = verdict(link, page_href)
            if why is None:
                continue
            literal = [t.name for t in templates.values() if f'"{link}"' in t.text]
            for where in literal or [page.template]:
                broken.setdefault((where, link), ("/" + page.route, why))
    return [
        Problem(template, 0, "", f"link '{link}' on {route} {why}")
        for (template, link), (route, why) in sorted(broken.items())
    ]
