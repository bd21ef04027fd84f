"""Parse: split YAML front-matter from a Markdown body, keeping file line numbers.

Knows nothing of the site: it turns text into a dict, a body, and a map from
each key (and list item) to the line of the file it was written on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

FENCE = "---"

Loc = tuple[str | int, ...]


class ParseError(Exception):
    """Malformed front-matter or YAML; line is a file line (1-based), 0 if unknown."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass(frozen=True)
class Parsed:
    data: dict[str, Any]
    body: str
    body_line: int  # file line on which the body starts
    lines: dict[Loc, int]  # ('muscles', 1) -> file line of that item

    def line_of(self, loc: Loc) -> int:
        """The file line of a key or list item, or of its nearest written parent."""
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return 1


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


# libyaml's loader when PyYAML has it (much faster), else the pure-Python one.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_HINTS = {
    "mapping values are not allowed": "put quotes around a value that contains ': '",
    "could not find expected ':'": "each field is written 'key: value'",
    "found undefined tag handle": "tags are not allowed; write plain values",
}


def parse_yaml(text: str, first_line: int = 1) -> tuple[Any, dict[Loc, int]]:
    """Safely load YAML; return the data and the file line of every key and item.

    first_line is the file line on which `text` starts.
    """
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
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
            problem += f" ({exc.context} that starts on line " \
                       f"{first_line + exc.context_mark.line})"
        raise ParseError(line, f"invalid YAML{column}: {problem}" +
                         (f"; {hint}" if hint else "")) from None
    except yaml.YAMLError as exc:
        raise ParseError(first_line, f"invalid YAML: {exc}") from None
    finally:
        loader.dispose()
    lines: dict[Loc, int] = {}
    if node is not None:
        _walk(node, (), first_line, lines)
    return data, lines


def _walk(node: yaml.Node, loc: Loc, first_line: int, lines: dict[Loc, int]) -> None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node)
            here = (*loc, key)
            line = first_line + key_node.start_mark.line
            if here in lines:
                raise ParseError(line, f"'{'.'.join(map(str, here))}' is written twice "
                                       f"(first on line {lines[here]}); keep one")
            lines[here] = line
            _walk(value_node, here, first_line, lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines[(*loc, index)] = first_line + item.start_mark.line
            _walk(item, (*loc, index), first_line, lines)


def parse(text: str) -> Parsed:
    """Split a Markdown document and load its front-matter."""
    yaml_text, body, body_line = split(text)
    data, lines = parse_yaml(yaml_text, first_line=2)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ParseError(2, "front-matter must be 'key: value' lines, "
                            f"not a {type(data).__name__}")
    return Parsed(data, body, body_line, lines)
