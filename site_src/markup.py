"""Markdown to safe HTML. Knows nothing of the site.

Python-Markdown renders the text; raw HTML that could run code is reported;
then everything is sanitized with an allow-list, so a contributed page can't
inject code even where the report is ignored. While sanitizing, every href
and src, whether written in Markdown or in raw HTML, goes through a
caller-supplied `rewrite` function: that is how the site turns links to
source files into page URLs.
"""

from __future__ import annotations

import bisect
import hashlib
import re
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import markdown
import nh3

from .tags import tags

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
    key: str  # fingerprint of the html: pages that show it tell by it whether it changed


def fingerprint(html: str) -> str:
    return hashlib.blake2b(html.encode("utf-8"), digest_size=16).hexdigest()


# Elements that have no end tag, so never hold others.
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
         "source", "track", "wbr"}
# Elements whose start tag ends an open one of these, as HTML's parser does: a table's rows
# and cells, list items and paragraphs are often left open.
_BLOCKS = {"address", "article", "aside", "blockquote", "details", "div", "dl", "fieldset",
           "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "main",
           "nav", "ol", "pre", "section", "table", "ul"}
_ENDS = {"p": {"p"}, "li": {"li", "p"}, "dt": {"dt", "dd", "p"}, "dd": {"dt", "dd", "p"},
         "tr": {"tr", "td", "th"}, "td": {"td", "th"}, "th": {"td", "th"},
         "tbody": {"tbody", "thead", "tr", "td", "th"}, "option": {"option"},
         **{block: {"p"} for block in _BLOCKS}}


def _inspect(html: str) -> tuple[list[Unsafe], int, int]:
    """Code-running HTML, the steps of the top-level numbered lists, and how deep elements
    are inside each other at most (read from the tags, with those left open ended as HTML's
    parser ends them; counted up to a little past MAX_HTML_DEPTH)."""
    unsafe: list[Unsafe] = []
    lists: list[str] = []
    steps = deepest = 0
    open_: list[str] = []
    for tag, end, attrs in tags(html):
        if end:
            if tag in ("ol", "ul") and lists:
                lists.pop()
            if tag in open_:
                while open_.pop() != tag:
                    pass
            continue
        if deepest <= MAX_HTML_DEPTH:  # beyond it the answer is known
            while open_ and open_[-1] in _ENDS.get(tag, ()):
                open_.pop()
            if tag not in _VOID:
                open_.append(tag)
                deepest = max(deepest, len(open_))
        if tag in FORBIDDEN_TAGS:
            unsafe.append(Unsafe((f"<{tag}",), f"<{tag}> is not allowed in content"))
        allowed = ALLOWED_ATTRIBUTES["*"] | ALLOWED_ATTRIBUTES.get(tag, set())
        for name, value in attrs:
            if name.startswith("on"):
                unsafe.append(Unsafe((f"{name}=", name), f"event handler attribute '{name}' "
                                     "is not allowed in content"))
            elif name not in allowed:  # raw HTML, or '{: style=... }' after a paragraph
                unsafe.append(Unsafe((f"{name}=", name), f"the attribute '{name}' is not "
                                     f"allowed on <{tag}> in content; allowed: "
                                     f"{', '.join(sorted(allowed))}"))
            elif name in URL_ATTRIBUTES and value is not None:
                unsafe += _address(name, value)
        if tag in ("ol", "ul"):
            lists.append(tag)
        elif tag == "li" and lists == ["ol"]:
            steps += 1
    return unsafe, steps, deepest


def _address(name: str, value: str) -> list[Unsafe]:
    """Addresses that run code, leave the site unencrypted, or fetch from elsewhere."""
    squashed = re.sub(r"[\x00-\x20]", "", value).lower()  # 'java\tscript:' is javascript:
    needles = (value, value[-12:])  # as written; its end, where entities hid the start
    scheme = squashed.split(":", 1)[0] if ":" in squashed.split("/", 1)[0] else ""
    if scheme in ("javascript", "vbscript", "data"):
        return [Unsafe((scheme, *needles), f"'{scheme}:' addresses are not allowed in "
                       "content")]
    if scheme == "http":
        return [Unsafe(needles, f"'{value}' is not a secure address; use https:// so what "
                       "a reader looks at stays private")]
    if name == "src" and (scheme or squashed.startswith("//")):
        return [Unsafe(needles, f"the picture '{value}' is on another site, which would "
                       "learn who reads this page; save it in content/images/ and link to it "
                       "there")]
    return []


DEFAULT_TIMEOUT = 5.0  # seconds a document may take to render
MAX_DEPTH = 40  # levels of lists and quotes inside each other; a page needs a handful
# Levels of HTML elements inside each other. The sanitizer's time grows with the depth of
# each element it reads (90,000 <div>s inside each other take it half a minute), and it
# can't be stopped midway as Python-Markdown can: so deeper is refused before it runs.
MAX_HTML_DEPTH = 1000
_NESTING = re.compile(r"^((?:[ \t]*>)*)(?:([ \t]*)(?:[-*+]|\d+[.)])[ \t])?", re.M)


class TooHard(Exception):
    """Markdown the renderer can't finish: too slow, nested too deep, or too big. The
    message says so in an author's words."""


@contextmanager
def budget(seconds: float | None, why: str) -> Iterator[None]:
    """Raise TooHard(why) if the block runs longer than `seconds`. Python-Markdown and Jinja's
    templates are pure Python, so a timer signal stops them wherever they are; where there
    is no such signal (Windows, or off the main thread) the block runs unbounded. One
    process has one such timer: budgets don't nest (no template renders Markdown)."""
    if not seconds or not hasattr(signal, "setitimer") or \
            threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(_signum: int, _frame: object) -> None:
        raise TooHard(why)
    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


_CONVERTER: list[markdown.Markdown] = []  # one per process, reset between documents


def _markdown() -> markdown.Markdown:
    if not _CONVERTER:
        _CONVERTER.append(markdown.Markdown(extensions=EXTENSIONS, output_format="html"))
    return _CONVERTER[0].reset()


def render(text: str, rewrite: Callable[[str], str] = lambda url: url,
           timeout: float | None = DEFAULT_TIMEOUT) -> Markup:
    """Render Markdown to sanitized HTML; report unsafe raw HTML. TooHard if it can't be
    done within `timeout` seconds, or the text nests deeper than Python can follow."""
    deepest = max((match.group(1).count(">") + len((match.group(2) or "").expandtabs(4)) // 2
                   for match in _NESTING.finditer(text)), default=0)
    if deepest > MAX_DEPTH:  # Python-Markdown would recurse until it runs out of stack
        raise TooHard(f"nests lists or quotes about {deepest} levels deep; use at most "
                      f"{MAX_DEPTH}")
    try:
        with budget(timeout, f"takes longer than {timeout:g} s to turn into a page, which "
                    "usually means a long run of brackets, stars or underscores; write it "
                    "plainly, or raise the limit with --render-timeout"):
            raw = _markdown().convert(text)
    except RecursionError:
        _CONVERTER.clear()
        raise TooHard("nests lists or quotes too deeply to turn into a page; use fewer "
                      "levels") from None
    except MemoryError:
        _CONVERTER.clear()
        raise TooHard("needs more memory than there is to turn into a page; split it up or "
                      "shorten it") from None
    except BaseException:
        _CONVERTER.clear()  # stopped halfway: its state can't be trusted with the next text
        raise
    unsafe, steps, deepest = _inspect(raw)
    if deepest > MAX_HTML_DEPTH:
        raise TooHard(f"nests HTML elements more than {MAX_HTML_DEPTH} levels deep; use at "
                      f"most {MAX_HTML_DEPTH}")
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
    return Markup(html, tuple(unsafe), steps, fingerprint(html))


_FENCE = re.compile(r"^(?:```|~~~)", re.M)  # a line that opens a fenced code block
_INLINE_CODE = re.compile(r"`[^`\n]+`")


def _code(text: str) -> Iterator[tuple[int, int]]:
    """Where the code is in a Markdown text, in order: each fenced block, from the line
    that opens it to the first line after it that is the same fence alone (a fence never
    closed is not code), and each `inline` span outside them. In one pass: ten thousand
    fences never closed would otherwise each be followed to the end of the text."""
    closers = {fence: [found.start() for found in re.finditer(
        rf"^{fence}[ \t]*$", text, re.M)] for fence in ("```", "~~~")}
    fences = iter(_FENCE.finditer(text))
    fence = next(fences, None)
    inline = _INLINE_CODE.search(text)
    at = 0
    while True:
        while fence is not None and fence.start() < at:  # inside code already found
            fence = next(fences, None)
        if inline is not None and inline.start() < at:
            inline = _INLINE_CODE.search(text, at)
        closing = None
        while fence is not None:  # the next fence that closes, unless inline code is first
            if inline is not None and inline.start() < fence.start():
                break
            ends = closers[fence.group()]
            index = bisect.bisect_right(ends, fence.start())
            if index < len(ends):
                closing = ends[index]
                break
            fence = next(fences, None)
        if closing is not None and fence is not None:
            end = text.find("\n", closing)
            start, at = fence.start(), len(text) if end < 0 else end
        elif inline is not None:
            start, at = inline.span()
        else:
            return
        yield start, at


class Lines:
    """Where needles first occur outside the code of a Markdown text, as file lines. The text
    is read once for all of them: a body can have thousands of problems."""

    def __init__(self, text: str, first_line: int):
        parts, at = [], 0
        for start, end in _code(text):
            parts += [text[at:start], re.sub(r"[^\n]", " ", text[start:end])]
            at = end
        self.visible = "".join([*parts, text[at:]]).lower()
        self.breaks = [found.start() for found in re.finditer("\n", self.visible)]
        self.first_line = first_line

    def of(self, needles: tuple[str, ...]) -> int:
        """The line where the first of the needles that occurs occurs first.

        Case-insensitive; give the most precise needle first, e.g. ('](x.md', 'x.md').
        """
        for needle in needles:
            index = self.visible.find(needle.lower())
            if index >= 0:
                return self.first_line + bisect.bisect_left(self.breaks, index)
        return self.first_line
