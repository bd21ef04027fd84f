"""Markdown to safe HTML. Knows nothing of the site.

Python-Markdown renders the text; raw HTML that could run code is reported;
then everything is sanitized with an allow-list, so a contributed page can't
inject code even where the report is ignored. While sanitizing, every href
and src, whether written in Markdown or in raw HTML, goes through a
caller-supplied `rewrite` function: that is how the site turns links to
source files into page URLs.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser

import markdown
import nh3

EXTENSIONS = ["tables", "attr_list", "toc", "sane_lists"]

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "div", "dl", "dt",
    "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins",
    "kbd", "li", "mark", "ol", "p", "pre", "s", "small", "span", "strong", "sub", "summary",
    "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}
ALLOWED_ATTRIBUTES = {
    "*": {"id", "class", "title", "lang"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start"},
    "td": {"colspan", "rowspan", "style"},
    "th": {"colspan", "rowspan", "style", "scope"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
FORBIDDEN_TAGS = {"script", "iframe", "object", "embed", "frame", "frameset"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster"}


@dataclass(frozen=True)
class Unsafe:
    """Raw HTML that is not allowed: what to look for in the source, and why."""

    needles: tuple[str, ...]  # most precise first
    message: str


@dataclass(frozen=True)
class Markup:
    html: str
    unsafe: tuple[Unsafe, ...]
    steps: int  # items in the top-level numbered lists


class _Inspector(HTMLParser):
    """Finds code-running HTML and counts the steps of top-level numbered lists."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.unsafe: list[Unsafe] = []
        self.lists: list[str] = []
        self.steps = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in FORBIDDEN_TAGS:
            self.unsafe.append(Unsafe((f"<{tag}",), f"<{tag}> is not allowed in content"))
        for name, value in attrs:
            if name.startswith("on"):
                self.unsafe.append(Unsafe((f"{name}=", name),
                                          f"event handler attribute '{name}' is not allowed "
                                          "in content"))
            elif name in URL_ATTRIBUTES and value is not None:
                squashed = re.sub(r"[\x00-\x20]", "", value).lower()
                if squashed.startswith(("javascript:", "vbscript:")):
                    self.unsafe.append(Unsafe((squashed.split(":")[0],),
                                              f"'{squashed.split(':')[0]}:' addresses are "
                                              "not allowed in content"))
        if tag in ("ol", "ul"):
            self.lists.append(tag)
        elif tag == "li" and self.lists == ["ol"]:
            self.steps += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("ol", "ul") and self.lists:
            self.lists.pop()


def render(text: str, rewrite: Callable[[str], str] = lambda url: url) -> Markup:
    """Render Markdown to sanitized HTML; report unsafe raw HTML."""
    raw = markdown.Markdown(extensions=EXTENSIONS, output_format="html").convert(text)
    inspector = _Inspector()
    inspector.feed(raw)
    inspector.close()
    html = nh3.clean(
        raw,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        filter_style_properties={"text-align"},
        attribute_filter=lambda _tag, name, value: rewrite(value) if name in ("href", "src")
        else value,
    )
    return Markup(html, tuple(inspector.unsafe), inspector.steps)


_CODE = re.compile(r"^(```|~~~).*?^\1[ \t]*$|`[^`\n]+`", re.S | re.M)


def line_of(text: str, needles: tuple[str, ...], first_line: int) -> int:
    """File line where the first of the needles that occurs outside code occurs first.

    Case-insensitive; give the most precise needle first, e.g. ('](x.md', 'x.md').
    """
    visible = _CODE.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text).lower()
    for needle in needles:
        index = visible.find(needle.lower())
        if index >= 0:
            return first_line + visible.count("\n", 0, index)
    return first_line
