"""Parse: split YAML front-matter from a Markdown body, keeping file line numbers.

Knows nothing of the site: it turns text into a dict, a body, and a map from
each key (and list item) to the line of the file it was written on.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.reader import ReaderError

FENCE = "---"

Loc = tuple[str | int, ...]


class ParseError(Exception):
    """Malformed front-matter or YAML; line is a file line (1-based), 0 if unknown."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass(frozen=True)
class Positions:
    """Where things were written: keys and list items, and the text of scalar values."""

    keys: Mapping[Loc, int]  # ('muscles', 1) -> file line of that item
    values: Mapping[Loc, int]  # ('disclaimer',) -> file line where its text begins
    # ('reps',) -> what YAML 1.1 would silently make of it: 'reps: 010' is octal 8
    traps: dict[Loc, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Parsed:
    data: dict[str, Any]
    body: str
    body_line: int  # file line on which the body starts
    positions: Positions

    def line_of(self, loc: Loc) -> int:
        """The file line of a key or list item, or of its nearest written parent."""
        while loc:
            if loc in self.positions.keys:
                return self.positions.keys[loc]
            loc = loc[:-1]
        return 1

    def value_line(self, loc: Loc) -> int:
        """The file line where a text value begins (the line after 'key: |')."""
        return self.positions.values.get(loc) or self.line_of(loc)

    def plain(self) -> dict[str, Any]:
        """This, as JSON can hold it exactly, but for the lines of keys and values: only a
        problem's message needs them, so Parsed.from_plain finds them again when asked."""
        data = _plain(self.data)
        return {"data": data, "body": self.body, "body_line": self.body_line,
                "traps": [[list(loc), trap] for loc, trap in self.positions.traps.items()],
                # most files have no date and no such list: read back, they need no walk
                "marked": data != self.data}

    @classmethod
    def from_plain(cls, plain: dict[str, Any], text: str) -> Parsed:
        """Parsed again from plain(), and the text it was parsed from."""
        found = _Found(text)
        data = _unplain(plain["data"]) if plain["marked"] else plain["data"]
        return cls(data, plain["body"], plain["body_line"],
                   Positions(_Later(found, "keys"), _Later(found, "values"),
                             {tuple(loc): trap for loc, trap in plain["traps"]}))


class _Found:
    """The positions in a file's front-matter, found from its text the first time they are
    asked for."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.positions: Positions | None = None

    def __call__(self) -> Positions:
        if self.positions is None:
            self.positions = parse(self.text).positions
        return self.positions


class _Later(Mapping[Loc, int]):
    """Positions.keys or .values of a file, found when first read (see _Found)."""

    def __init__(self, found: _Found, name: str) -> None:
        self.found, self.name = found, name

    def _lines(self) -> Mapping[Loc, int]:
        return getattr(self.found(), self.name)

    def __getitem__(self, loc: Loc) -> int:
        return self._lines()[loc]

    def __iter__(self) -> Iterator[Loc]:
        return iter(self._lines())

    def __len__(self) -> int:
        return len(self._lines())


# YAML's dates in JSON: a list whose first item is a marker that starts with NUL. An author
# can write such a string ("\0date", in double quotes), so a list written so is marked too.
_DATED = {"\0date": datetime.date, "\0datetime": datetime.datetime}
_LIST = "\0list"


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        items = [_plain(item) for item in value]
        return [_LIST, *items] if items and isinstance(items[0], str) and \
            items[0].startswith("\0") else items
    if isinstance(value, datetime.date):  # a datetime is a date too
        return ["\0" + type(value).__name__, value.isoformat()]
    return value


def _unplain(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _unplain(item) for key, item in value.items()}
    if isinstance(value, list):
        marker = value[0] if value and isinstance(value[0], str) else None
        if marker in _DATED:
            return _DATED[marker].fromisoformat(value[1])
        if marker == _LIST:
            value = value[1:]
        return [_unplain(item) for item in value]
    return value


def split(text: str) -> tuple[str, str, int]:
    """Return (yaml text, body, file line where the body starts)."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != FENCE:
        raise ParseError(1, "the file must start with front-matter: a '---' line, "
                            "the fields as 'key: value' lines, then another '---'")
    for index in range(1, len(lines)):
        if lines[index].rstrip() in (FENCE, "..."):
            yaml_text = "\n".join(lines[1:index])
            body = "\n".join(lines[index + 1:])
            return yaml_text, body, index + 2
    raise ParseError(1, "the front-matter is never closed; did you forget the closing '---' "
                        "line after the last field?")


# Front-matter nests a few levels (pose, start, a joint); much deeper is a mistake.
MAX_DEPTH = 16


def _too_deep(levels: str) -> str:
    return (f"the front-matter nests lists or fields {levels} levels deep; use at most "
            f"{MAX_DEPTH}")


# libyaml's loader when PyYAML has it (much faster), else the pure-Python one.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# But a composer calls itself once for each level of nesting, and libyaml's does so on the
# C stack: a few thousand levels ('[[[[...', '- - - -...') crash the process. A text with
# more openers than this could nest that deep, so its events are read first, one at a time,
# to see how deep it goes.
_OPENERS = ("[", "{", "- ", "-\t", "? ", "?\t")
_FEW_OPENERS = 256
_LONGEST_NUMBER = 100  # characters; Python refuses to read an int of more than 4,300 digits


def _check_depth(text: str, first_line: int) -> None:
    """ParseError where the text nests collections deeper than MAX_DEPTH allows, if it
    could nest deep at all."""
    if sum(text.count(opener) for opener in _OPENERS) <= _FEW_OPENERS:
        return
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH + 1:  # its items would be more than MAX_DEPTH deep
                raise ParseError(first_line + event.start_mark.line,
                                 _too_deep(f"more than {MAX_DEPTH}"))
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


_HINTS = {
    "mapping values are not allowed": "put quotes around a value that contains ': '",
    "could not find expected ':'": "each field is written 'key: value'",
    "found undefined tag handle": "tags are not allowed; write plain values",
}


def _yaml_error(exc: yaml.MarkedYAMLError, text: str, first_line: int) -> ParseError:
    mark = exc.problem_mark or exc.context_mark
    line = first_line + mark.line if mark else first_line
    problem = exc.problem or exc.context or "invalid YAML"
    if "could not determine a constructor" in problem or "undefined tag" in problem:
        problem = "tags such as '!!python/object' are not allowed; write plain values"
    hint = next((h for p, h in _HINTS.items() if problem.startswith(p)), "")
    source_lines = text.split("\n")
    if mark and mark.line < len(source_lines) and \
            "\t" in source_lines[mark.line][:mark.column + 1]:
        problem, hint = "a tab character is not allowed here", "indent with spaces, not tabs"
    column = f" (column {mark.column + 1})" if mark else ""
    if exc.context and exc.context_mark and exc.problem_mark \
            and exc.context_mark.line != exc.problem_mark.line:
        problem += f" ({exc.context} that starts on line {first_line + exc.context_mark.line})"
    return ParseError(line, f"invalid YAML{column}: {problem}" + (f"; {hint}" if hint else ""))


def parse_yaml(text: str, first_line: int = 1) -> tuple[Any, Positions]:
    """Safely load YAML; return the data and where each key, item and value was written.

    first_line is the file line on which `text` starts. Tags and aliases are
    refused: front-matter is plain data.
    """
    loader = None
    try:
        _check_depth(text, first_line)
        loader = _Loader(text)
        node = loader.get_single_node()
        positions = Positions({}, {})
        if node is not None:
            _Walker(loader, first_line, positions).walk(node, ())
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        raise _yaml_error(exc, text, first_line) from None
    except ReaderError as exc:  # a character YAML refuses, such as a control character
        line = first_line + text[:exc.position].count("\n")
        raise ParseError(line, f"the character U+{exc.character:04X} can't be used in "
                               "front-matter; delete it") from None
    except yaml.YAMLError as exc:
        raise ParseError(first_line, "invalid YAML: " + " ".join(str(exc).split())) from None
    finally:
        if loader is not None:
            loader.dispose()
    return data, positions


_YAML_INT = "tag:yaml.org,2002:int"
_YAML_FLOAT = "tag:yaml.org,2002:float"
_YAML_BOOL = "tag:yaml.org,2002:bool"


def _trap(tag: str, text: str) -> str | None:
    """What YAML 1.1 silently does to a plain value an author meant otherwise, and the fix."""
    quote = "or put it in quotes if it is text"
    if tag in (_YAML_INT, _YAML_FLOAT) and ":" in text:
        number = yaml.safe_load(text)
        return (f"'{text}' is read as a base-60 number ({number}); write seconds as one "
                f"number, such as {number}, {quote}")
    if tag == _YAML_INT and re.fullmatch(r"[-+]?0[0-9_]+", text):
        number = yaml.safe_load(text)
        plain = text.lstrip("+-").lstrip("0_") or "0"
        return (f"'{text}' starts with 0, so it is read as an octal number ({number}); "
                f"write {plain} {quote}")
    if tag == _YAML_BOOL and text.lower() not in ("true", "false"):
        meaning = str(yaml.safe_load(text)).lower()
        return (f"'{text}' is read as {meaning}; write true or false for a yes-or-no field, "
                f"a number for a number, {quote}")
    return None


# Front-matter is text, numbers, yes/no, nothing, dates, lists and fields; the safe loader
# also makes bytes, sets and tuples of these tags (other tags it refuses by itself).
_YAML = "tag:yaml.org,2002:"
_NOT_PLAIN = {f"{_YAML}{name}" for name in ("binary", "set", "omap", "pairs")}


class _Walker:
    """Records positions, and refuses what plain data doesn't need, with its line."""

    def __init__(self, loader: yaml.SafeLoader, first_line: int, positions: Positions):
        self.loader, self.first_line, self.positions = loader, first_line, positions
        self.seen: set[int] = set()

    def line(self, node: yaml.Node) -> int:
        return self.first_line + node.start_mark.line

    def walk(self, node: yaml.Node, loc: Loc) -> None:
        if node.tag in _NOT_PLAIN:
            short = node.tag.replace(_YAML, "!!")
            raise ParseError(self.line(node), f"tags such as '{short}' are not allowed; "
                                              "write plain values")
        if id(node) in self.seen:  # the composer hands out one node for an anchor and its aliases
            raise ParseError(self.line(node), "YAML anchors and aliases ('&name', '*name') are "
                                              "not supported; write the value out in full")
        self.seen.add(id(node))
        if len(loc) > MAX_DEPTH:
            raise ParseError(self.line(node), _too_deep(f"more than {MAX_DEPTH}"))
        if isinstance(node, yaml.MappingNode):
            self.mapping(node, loc)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                self.positions.keys[(*loc, index)] = self.line(item)
                self.walk(item, (*loc, index))
        elif isinstance(node, yaml.ScalarNode):
            block = node.style in ("|", ">")
            self.positions.values[loc] = self.line(node) + (1 if block else 0)
            if not node.style:  # written plain, so YAML 1.1 guessed its type
                if node.tag == _YAML_INT and len(node.value) > _LONGEST_NUMBER:
                    raise ParseError(self.line(node), f"'{node.value[:20]}...' is too long "
                                     "to be a number; put quotes around it if it is text")
                trap = _trap(node.tag, node.value)
                if trap:
                    self.positions.traps[loc] = trap
            if node.tag == "tag:yaml.org,2002:timestamp":
                try:
                    self.loader.construct_yaml_timestamp(node)
                except ValueError:
                    raise ParseError(self.line(node), f"'{node.value}' is not a real date; "
                                                      "write it as YYYY-MM-DD") from None

    def mapping(self, node: yaml.MappingNode, loc: Loc) -> None:
        keys = self.positions.keys
        for key_node, value_node in node.value:
            line = self.line(key_node)
            if not (isinstance(key_node, yaml.ScalarNode)
                    and key_node.tag == "tag:yaml.org,2002:str"):
                shown = getattr(key_node, "value", "?")
                raise ParseError(line, f"'{shown}' is not a field name; field names are words "
                                       "such as 'title'")
            here = (*loc, key_node.value)
            if here in keys:
                raise ParseError(line, f"'{'.'.join(map(str, here))}' is written twice "
                                       f"(first on line {keys[here]}); keep one")
            keys[here] = line
            self.walk(value_node, here)


def parse(text: str) -> Parsed:
    """Split a Markdown document and load its front-matter."""
    yaml_text, body, body_line = split(text)
    data, positions = parse_yaml(yaml_text, first_line=2)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ParseError(2, "front-matter must be 'key: value' lines, "
                            f"not a {type(data).__name__}")
    return Parsed(data, body, body_line, positions)
