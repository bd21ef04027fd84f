"""The one-pass tag reader finds what Python's own HTML parser finds, where it matters:
the links of every page of the real site, and the tags of awkward HTML in content."""

from html.parser import HTMLParser
from pathlib import Path

import pytest

from site_src.pipeline import Settings, build
from site_src.render import LINK_ATTRIBUTES, links_of
from site_src.tags import tags

ROOT = Path(__file__).resolve().parent.parent


class _Reference(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, False, attrs))

    def handle_startendtag(self, tag, attrs):
        self.found.append((tag, False, attrs))

    def handle_endtag(self, tag):
        self.found.append((tag, True, []))


def reference(html: str) -> list:
    parser = _Reference()
    parser.feed(html)
    parser.close()
    return parser.found


AWKWARD = [
    '<a href="x">', "<A HREF=x>", "<a href='&amp;x&#39;'>", '<img src="a.png" alt="a > b">',
    '<!-- <a href="no"> --><a href=yes>',
    '<script>var s = "<a href=\\"no\\">"</script><a href=y>',
    '<style>a[href="no"]{}</style><img src=i>', "<![CDATA[x]]><a href=c>", "<!doctype html>",
    "<br/>", "<input disabled>", '<a\nhref="multi\nline">', "<p class=x/>", 'a < b <a href="z">',
    '<a href = "spaced" >', '<a href="x"title="t">', "<ol start=3><li>a</li></ol>",
    '<a b=c d="e" f>', '<IMG SRC="javascript:alert(1)" ONERROR=x>', "<a href=&quot;q&quot;>",
    '<svg><use href="#p"/></svg>', "</p >", "<a href=''>", "<a href=>", "<a href= >",
    "<a href>", '<a href = "x">', "<a href==y>",
]


@pytest.mark.parametrize("html", AWKWARD)
def test_awkward_html_reads_as_the_standard_parser_reads_it(html):
    assert list(tags(html)) == reference(html)


def test_a_comment_never_closed_runs_to_the_end_as_in_a_browser():
    # (html.parser's answer here differs between Python versions)
    assert list(tags('<p><!-- never closed <a href="no"> <img src=x>')) == [("p", False, [])]


def test_links_of_a_page_are_every_link_attribute_the_standard_parser_finds():
    html = "".join(AWKWARD) + '<object data="d.svg"></object><form action=/go><VIDEO POSTER=p>'
    wanted = [value for _tag, _end, attrs in reference(html) for key, value in attrs
              if key in LINK_ATTRIBUTES and value]
    assert links_of(html) == wanted and len(wanted) > 15


def test_every_page_of_the_real_site_reads_the_same():
    files = build(Settings(content=ROOT / "content", templates=ROOT / "templates",
                           search=False), write=False).files
    pages = {path: data.decode() for path, data in files.items() if path.endswith(".html")}
    assert len(pages) > 100
    for path, html in pages.items():
        assert list(tags(html)) == reference(html), path
        assert links_of(html) == [value for _tag, _end, attrs in reference(html)
                                  for key, value in attrs if key in LINK_ATTRIBUTES and value]


def test_a_tag_never_closed_at_the_end_reads_as_text_at_once():
    # Read as the standard parser reads it; before its quantifiers were possessive, the
    # reader tried every way of cutting the long run into attributes (2 ** 45 of them).
    html = '<p>ok</p><p class="site-footer-note-about-safety-and-care-and-more"'
    assert list(tags(html)) == reference(html) == [("p", False, []), ("p", True, [])]
    assert links_of('<a href="x">x</a><a href="y" title="a-long-run-of-words-never-closed"') \
        == ["x"]
