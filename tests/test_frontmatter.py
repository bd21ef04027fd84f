"""Front-matter splitting and YAML positions, in isolation."""

from __future__ import annotations

import pytest

from site_src.frontmatter import ParseError, parse


def test_lines_of_keys_and_list_items_are_file_lines():
    parsed = parse("---\ntitle: A\nmuscles:\n  - one\n  - two\nsteps:\n  - stretch: x\n"
                   "    note: y\n---\nBody line\n")
    assert parsed.lines[("title",)] == 2
    assert parsed.lines[("muscles", 1)] == 5
    assert parsed.lines[("steps", 0, "note")] == 8
    assert parsed.body == "Body line\n"
    assert parsed.body_line == 10
    assert parsed.line_of(("missing",)) == 1
    assert parsed.line_of(("steps", 0, "missing")) == 7


def test_unclosed_flow_list_at_end_of_front_matter_is_located():
    with pytest.raises(ParseError) as caught:
        parse("---\ntitle: [unclosed\n---\n")
    # Reported where YAML gave up (the closing fence), naming where the list opened.
    assert caught.value.line == 3
    assert caught.value.message.startswith("invalid YAML")
    assert "flow sequence that starts on line 2" in caught.value.message


def test_empty_front_matter_is_an_empty_mapping():
    assert parse("---\n---\ntext\n").data == {}


def test_front_matter_must_be_a_mapping():
    with pytest.raises(ParseError, match="must be 'key: value' lines, not a list"):
        parse("---\n- a\n- b\n---\n")
