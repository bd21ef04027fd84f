"""Markdown rendering on its own: the extensions authors rely on, and the sanitizer."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from site_src import markup


def test_headings_get_ids_for_linking():
    html = markup.render("## Warm up first\n\n## Custom {: #custom-id }\n").html
    assert '<h2 id="warm-up-first">Warm up first</h2>' in html
    assert '<h2 id="custom-id">Custom</h2>' in html


def test_sane_lists_keep_numbered_steps_apart_from_bullets():
    result = markup.render("1. Sit.\n2. Lean.\n\n- a tip\n- another\n")
    assert "<ol>\n<li>Sit.</li>\n<li>Lean.</li>\n</ol>\n<ul>" in result.html
    assert result.steps == 2


def test_nested_bullets_are_not_counted_as_steps():
    result = markup.render("1. Sit.\n    - gently\n    - slowly\n2. Lean.\n")
    assert result.steps == 2


def test_tables_render():
    html = markup.render("| a | b |\n|---|---|\n| 1 | 2 |\n").html
    assert "<table>" in html and "<td>1</td>" in html


def test_unsafe_html_is_reported_and_removed():
    result = markup.render('<img src="x.png" onerror="steal()"> <script>steal()</script>\n\n'
                           '[x](JaVaScRiPt:steal())')
    messages = [u.message for u in result.unsafe]
    assert "event handler attribute 'onerror' is not allowed in content" in messages
    assert "<script> is not allowed in content" in messages
    assert "'javascript:' addresses are not allowed in content" in messages
    assert "onerror" not in result.html and "<script" not in result.html
    assert "javascript" not in result.html.lower()


def test_rewrite_sees_every_link_and_image():
    seen = []
    html = markup.render('[a](one.md) ![b](two.svg) <a href="three.md">c</a>',
                         lambda url: seen.append(url) or f"/x/{url}").html
    assert seen == ["one.md", "two.svg", "three.md"]
    assert 'href="/x/one.md"' in html and 'src="/x/two.svg"' in html


def test_lines_skip_code():
    text = "Use `<script>` never.\n\n```\n<script>\n```\n\n<script>x</script>\n"
    assert markup.Lines(text, 10).of(("<script",)) == 16


# What Lines takes for code, as one regular expression says it: which, run over a text of
# fences never closed, follows each of them to the end of the text.
_CODE_AS_ONE_PATTERN = re.compile(r"^(```|~~~).*?^\1[ \t]*$|`[^`\n]+`", re.S | re.M)


@settings(max_examples=3000, derandomize=True)
@given(st.lists(st.sampled_from(["```", "~~~", "`", "``", "~~", "x", "y z", "\n", " ", "\t",
                                 "```py", "<script"]), max_size=40).map("".join))
def test_code_is_where_the_one_pattern_says_it_is(text):
    assert list(markup._code(text)) == [m.span() for m in _CODE_AS_ONE_PATTERN.finditer(text)]


def test_fences_never_closed_do_not_hide_a_line_after_them():
    text = "```x\n" * 50_000 + "Never `<script>` but\n<script>x</script>\n"
    assert markup.Lines(text, 1).of(("<script",)) == 50_002


def test_html_left_open_as_html_allows_is_not_taken_for_deep_nesting():
    rows = "".join(f"<tr><td>row {n}<td>hold 30 s\n" for n in range(600))
    items = "".join(f"<li>item {n}\n" for n in range(600))
    paragraphs = "".join(f"<p>note {n}\n" for n in range(600))
    result = markup.render(f"<table>\n{rows}</table>\n\n<ul>\n{items}</ul>\n\n"
                           f"<div>\n{paragraphs}</div>\n")
    assert result.html.count("<td>") == 1200 and result.html.count("<li>") == 600
    deep = "<div>" * 1001 + "x" + "</div>" * 1001
    with pytest.raises(markup.TooHard, match="more than 1000 levels deep"):
        markup.render(deep)
    assert "x" in markup.render("<div>" * 1000 + "x" + "</div>" * 1000).html
