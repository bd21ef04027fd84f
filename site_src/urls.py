"""URLs: the one place that knows page addresses, output paths and the base path.

A *route* is a page's address relative to the site root: '' for the home
page, 'stretches/cat-cow/' for a stretch. Routes become links by prefixing
the base path, absolute URLs by prefixing the base URL, and files by adding
'index.html' to directory routes.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

HOME = ""
STRETCHES = "stretches/"
MUSCLES = "muscles/"
ROUTINES = "routines/"
WORKSHEETS = "worksheets/"
IMAGES = "images/"  # pictures from content/images/
NOT_FOUND = "404.html"
SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"
STATIC = "static/"
FIGURES = "figures/"  # pose drawings, made by the build
SEARCH = "search/"
SEARCH_INDEX = "pagefind/"  # the search index, made by Pagefind
FACET_NAMES = ("positions", "equipment", "difficulty", "regions")  # facets.FACETS, by name
RESERVED_SLUGS = ("index",)  # 'pages/index.md' would read as the home page


def stretch(slug: str) -> str:
    return f"{STRETCHES}{slug}/"


def muscle(slug: str) -> str:
    return f"{MUSCLES}{slug}/"


def routine(slug: str) -> str:
    return f"{ROUTINES}{slug}/"


def worksheet(slug: str) -> str:
    return f"{WORKSHEETS}{slug}/"


def worksheet_pdf(slug: str) -> str:
    return f"{WORKSHEETS}{slug}.pdf"


CUSTOM_WORKSHEET = worksheet("custom")  # the build-your-own worksheet


def custom_card(slug: str) -> str:
    """'cat-cow' -> 'worksheets/custom/cat-cow.json': the stretch's card, for that sheet."""
    return f"{CUSTOM_WORKSHEET}{slug}.json"


def figure(slug: str, frame: str) -> str:
    """'cat-cow', 'start' -> 'figures/cat-cow-start.svg'."""
    return f"{FIGURES}{slug}-{frame}.svg"


def body_map(main: tuple[str, ...], others: tuple[str, ...]) -> str:
    """('hamstrings',), ('calves', 'glutes') -> 'figures/map-hamstrings--calves_glutes.svg':
    one file for every page that marks the same areas."""
    return f"{FIGURES}map-{'_'.join(main)}" + (f"--{'_'.join(others)}" if others else "") + \
        ".svg"


def facet(name: str, value: str | None = None) -> str:
    """'positions' -> 'positions/' (its index); 'positions', 'seated' -> 'positions/seated/'."""
    return f"{name}/{value}/" if value else f"{name}/"


def page(slug: str) -> str:
    return f"{slug}/"


def static(name: str) -> str:
    return f"{STATIC}{name}"


def image(name: str) -> str | None:
    """'cat-cow.svg' -> 'images/cat-cow.svg'; None if the name leaves the images folder."""
    route = posixpath.normpath(posixpath.join(IMAGES, name))
    return route if route.startswith(IMAGES) and not name.startswith("/") else None


def suggest_slug(text: str) -> str:
    """'Cat Cow_Stretch' -> 'cat-cow-stretch'."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def output_path(route: str) -> str:
    """The file a route is written to, relative to the output folder."""
    path = route + "index.html" if route == "" or route.endswith("/") else route
    parts = path.split("/")
    if any(part in ("", ".", "..") for part in parts) or "\\" in path:
        raise ValueError(f"unsafe output path {path!r}")
    return path


def normalize_base_url(url: str) -> str:
    """Ensure a base URL is absolute http(s) and ends with '/'."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"base URL must be a full address such as "
                         f"'https://someone.github.io/limber/', not {url!r}")
    if parts.query or parts.fragment:
        raise ValueError(f"base URL must not have a query or fragment: {url!r}")
    return url if url.endswith("/") else url + "/"


@dataclass(frozen=True)
class Base:
    """Turns routes into links for one base URL."""

    url: str  # normalized: 'https://someone.github.io/limber/'

    @property
    def path(self) -> str:
        """'/limber/' for a project site, '/' at a domain root."""
        return urlsplit(self.url).path

    def href(self, route: str) -> str:
        return self.path + route

    def absolute(self, route: str) -> str:
        return self.url + route

    def route_of(self, href: str) -> str | None:
        """The route a link points at; None when it leads to another site.

        A full address counts as this site's only under the base URL. A path
        like '/stretches/' outside the base path raises ValueError: on a
        project site that is someone else's site, so it can't be meant.
        """
        parts = urlsplit(href)
        if parts.scheme or parts.netloc:
            return href[len(self.url):] if href.startswith(self.url) else None
        if not parts.path.startswith(self.path):
            raise ValueError(f"'{href}' is outside the site's base path '{self.path}'")
        return parts.path[len(self.path):]
