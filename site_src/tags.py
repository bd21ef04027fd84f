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

# Every quantifier of a tag is possessive (*+, ?+): what it took it keeps. Else a tag
# never closed would be tried again with its attributes cut up in every possible way, and
# a long class name at the end of a broken template would take longer than a lifetime.
_TAG = re.compile(r"""
    <!--.*?(?:-->|\Z)                        # a comment (to the end, if unclosed)
  | <[!?][^>]*>?                             # a declaration or processing instruction
  | <(/?)([a-zA-Z][^\t\n\r\f />\x00]*+)      # a start or end tag's name
    ((?:[\s/]*+[^\s/>][^\s/>=]*+             # its attributes: a name,
        (?:\s*+=++\s*+(?:'[^']*+'|"[^"]*+"|(?!['"])[^>\s]*+))?+  # and maybe a value
    )*+)[\s/]*+>
""", re.S | re.X)
_ATTRIBUTE = re.compile(r"""
    ([^\s/>][^\s/>=]*)(\s*=+\s*(?:'[^']*'|"[^"]*"|(?!['"])[^>\s]*))?
""", re.X)
_RAW_TEXT = {"script", "style"}

Tag = tuple[str, bool, list[tuple[str, str | None]]]  # name, is an end tag, attributes


def tags(html: str, only: re.Pattern[str] | None = None) -> Iterator[Tag]:
    """(name, is_end, [(attribute, value or None), ...]) for every tag, in order; with
    `only`, just the start tags whose attributes it finds something in."""
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
        if name in _RAW_TEXT and not slash:  # its text is not HTML: go on after its end tag
            end = re.compile(rf"</{name}\s*>", re.I).search(html, at)
            at = end.start() if end else len(html)
        if only is not None and (slash or not only.search(attributes)):
            continue
        if slash:
            yield name, True, []
            continue
        yield name, False, [(key.lower(), _value(value))
                            for key, value in _ATTRIBUTE.findall(attributes)]


def _value(written: str) -> str | None:
    """An attribute's '=value' as written (quoted or not; '' for none) -> its text."""
    if not written:
        return None
    written = written.lstrip().lstrip("=").lstrip()
    if written[:1] in ("'", '"'):
        written = written[1:-1]
    return unescape(written) if "&" in written else written
