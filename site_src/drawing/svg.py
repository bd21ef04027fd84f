"""A tiny SVG writer: elements as text, attributes sorted, numbers rounded.

Sorting attributes and rounding numbers the same way every time keeps drawings
byte-identical from build to build.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from html import escape


def num(value: float) -> str:
    """A coordinate with at most two decimals and no trailing zeros: 3.50 -> '3.5'."""
    text = f"{value:.2f}"
    if text[-1] != "0":
        return text
    text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def points(coords: Iterable[tuple[float, float]]) -> str:
    """[(1, 2), (3, 4.5)] -> '1,2 3,4.5'."""
    return " ".join(f"{num(x)},{num(y)}" for x, y in coords)


def path_through(coords: list[tuple[float, float]]) -> str:
    """An open path 'M x,y L x,y ...' through the points."""
    head, *rest = coords
    return f"M{num(head[0])},{num(head[1])}" + "".join(f"L{num(x)},{num(y)}" for x, y in rest)


_ATTRIBUTE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
                            "'": "&#x27;"})  # html.escape(quote=True) in one pass


@functools.cache
def _name(key: str) -> str:
    return key.rstrip("_").replace("_", "-")


def el(tag: str, children: Iterable[str] | str = (), **attrs: object) -> str:
    """<tag a="1" b="2">children</tag>, attributes sorted by name.

    A trailing underscore in a keyword is dropped and other underscores become
    dashes (class_ -> class, stroke_width -> stroke-width). None skips an
    attribute. Text children must be escaped by the caller (see `text`).
    """
    parts = []
    for key in sorted(attrs):
        value = attrs[key]
        if value is None:
            continue
        kind = type(value)
        shown = num(value) if kind is float else str(value) if kind is int else \
            str(value).translate(_ATTRIBUTE)
        parts.append(f' {_name(key)}="{shown}"')
    inner = children if isinstance(children, str) else "".join(children)
    opening = f"<{tag}{''.join(parts)}"
    return f"{opening}>{inner}</{tag}>" if inner else f"{opening}/>"


def line(x1: float, y1: float, x2: float, y2: float, stroke: str, width: float,
         class_: str | None = None) -> str:
    """A round-capped line: el('line', ...) with these attributes, written directly because
    a drawing has hundreds of them."""
    named = f' class="{class_}"' if class_ else ""
    return (f'<line{named} stroke="{stroke}" stroke-linecap="round" stroke-width="{num(width)}" '
            f'x1="{num(x1)}" x2="{num(x2)}" y1="{num(y1)}" y2="{num(y2)}"/>')


def text(value: str) -> str:
    """Escape text for use as element content."""
    return escape(value, quote=False)
