"""Front-matter splitting and YAML positions, in isolation."""

from __future__ import annotations

import datetime
import json

import pytest

from site_src.frontmatter import Parsed, ParseError, parse


def test_lines_of_keys_and_list_items_are_file_lines():
    parsed = parse("---\ntitle: A\nmuscles:\n  - one\n  - two\nsteps:\n  - stretch: x\n"
                   "    note: y\n---\nBody line\n")
    assert parsed.positions.keys[("title",)] == 2
    assert parsed.positions.keys[("muscles", 1)] == 5
    assert parsed.positions.keys[("steps", 0, "note")] == 8
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


@pytest.mark.parametrize("yaml_text, line, message", [
    ("title: A\nlast_reviewed: 2026-13-45\n", 3,
     "'2026-13-45' is not a real date; write it as YYYY-MM-DD"),
    ("cues: &a [*a]\n", 2, "YAML anchors and aliases ('&name', '*name') are not supported"),
    ("a: &x 1\nb: *x\n", 2, "YAML anchors and aliases"),
    ("title: A\n1: 3\n", 3, "'1' is not a field name; field names are words such as 'title'"),
    ("title: A\nnull: x\n", 3, "'null' is not a field name"),
])
def test_yaml_that_is_not_plain_data_is_refused_with_its_line(yaml_text, line, message):
    with pytest.raises(ParseError) as caught:
        parse(f"---\n{yaml_text}---\n")
    assert caught.value.line == line
    assert caught.value.message.startswith(message)


def test_alias_bomb_is_refused_quickly():
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    for n in range(1, 12):
        refs = ", ".join([f"*a{n - 1}"] * 9)
        levels.append(f"a{n}: &a{n} [{refs}]")
    with pytest.raises(ParseError, match="anchors and aliases"):
        parse("---\n" + "\n".join(levels) + "\n---\n")


def test_value_lines_point_at_the_text():
    parsed = parse("---\nblock: |\n  text\ninline: text\n---\n")
    assert parsed.value_line(("block",)) == 3
    assert parsed.value_line(("inline",)) == 4


def test_parsed_front_matter_survives_the_cache_exactly():
    text = ("---\ntitle: Cat-cow\nlast_reviewed: 2026-01-15\nseen: 2026-01-15T10:30:00+02:00\n"
            "reps: 010\nmix: [1, 2.5, .inf, true, null, {a: [x]}, []]\n"
            "looks: [\"\\0date\", \"2026-01-15\"]\nodd: [\"\\0date\", soon]\n---\nBody.\n")
    parsed = parse(text)
    again = Parsed.from_plain(json.loads(json.dumps(parsed.plain())), text)
    assert again == parsed  # with the lines of every key and value, found again
    assert again.data["last_reviewed"] == datetime.date(2026, 1, 15)
    assert again.data["seen"].utcoffset() == datetime.timedelta(hours=2)
    assert again.data["looks"] == ["\0date", "2026-01-15"], "a list, as written"
    assert again.data["odd"] == ["\0date", "soon"]
    assert again.positions.traps == parsed.positions.traps and again.line_of(("reps",)) == 5


def test_front_matter_without_dates_comes_back_from_the_cache_as_it_went_in():
    text = "---\ntitle: Cat-cow\nreps: 3\nmix: [1, 2.5, true, null, {a: [x]}, []]\n---\nBody.\n"
    parsed = parse(text)
    plain = json.loads(json.dumps(parsed.plain()))
    assert plain["marked"] is False  # so it isn't walked again when read
    assert Parsed.from_plain(plain, text) == parsed
    dated = parse(text.replace("reps: 3", "reps: 3\nlast_reviewed: 2026-01-15"))
    assert dated.plain()["marked"] is True


@pytest.mark.parametrize("value", ["!!binary aGVsbG8=", "!!set {a, b}", "!!omap [a: 1]"])
def test_values_that_are_not_plain_data_are_refused_with_their_line(value):
    with pytest.raises(ParseError) as error:
        parse(f"---\ntitle: A\nnotes: {value}\n---\nBody\n")
    assert error.value.line == 3
    assert error.value.message == (f"tags such as '{value.split()[0]}' are not allowed; "
                                   "write plain values")


def test_a_long_list_does_not_change_how_the_rest_is_read():
    # A text with many lists is first read event by event, to see how deep it goes; it is
    # still read by the same loader (libyaml, which allows a tab inside a plain value).
    text = "---\ntitle: Hold\tfor 30 s\ncues:\n" + "  - item\n" * 300 + "---\nBody.\n"
    assert parse(text).data["title"] == "Hold\tfor 30 s"
    assert len(parse(text).data["cues"]) == 300
