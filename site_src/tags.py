"""The tags of an HTML text, found in one pass of a regular expression.

For reading what a page links to and what a Markdown body contains, which is
all the build asks of HTML it made itself: names and attributes of start and
end tags, in order. Like html.parser it lower-cases names, decodes character
references in values, and skips comments, declarations and the text of
<script> and <style>; unlike it, it doesn't call Python once per piece of text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape

_TAG = re.compile(r"""
    <!--.*?(?:-->|\Z)                        # a comment (to the end, if unclosed)
  | <[!?][^>]*>?                             # a declaration or processing instruction
  | <(/?)([a-zA-Z][^\t\n\r\f />\x00]*)       # a start or end tag's name
    ((?:[\s/]*(?:[^\s/>][^\s/>=]*)           # its attributes: a name,
        (?:\s*=+\s*(?:'[^']*'|"[^"]*"|(?!['"])[^>\s]*))?  # and maybe a value
    )*)[\s/]*>
""", re.S | re.X)
_ATTRIBUTE = re.compile(r"""
    ([^\s/>][^\s/>=]*)(?:\s*=+\s*('[^']*'|"[^"]*"|(?!['"])[^>\s]*))?
""", re.X)
_RAW_TEXT = {"script", "style"}

Tag = tuple[str, bool, list[tuple[str, str | None]]]  # name, is an end tag, attributes


def tags(html: str) -> Iterator[Tag]:
    """(name, is_end, [(attribute, value or None), ...]) for every tag, in order."""
    at = 0
    while True:
        match = _TAG.search(html, at)
        if match is None:
            return
        at = match.end()
        slash, name, attributes = match.groups()
        if name is None:  # a comment or declaration
            continue
        name = name.lower()
        if slash:
            yield name, True, []
            continue
        found: list[tuple[str, str | None]] = []
        for attribute in _ATTRIBUTE.finditer(attributes):
            key, value = attribute.group(1).lower(), attribute.group(2)
            if value is not None:
                if value[:1] in ("'", '"'):
                    value = value[1:-1]
                if "&" in value:
                    value = unescape(value)
            found.append((key, value))
        yield name, False, found
        if name in _RAW_TEXT:  # its text is not HTML: go on after its end tag
            end = re.compile(rf"</{name}\s*>", re.I).search(html, at)
            at = end.start() if end else len(html)
