"""Scaffolding for authors: new content files and JSON Schemas, both made from the models.

The models in models.py are the one description of the content: the same
field descriptions that document them become the comments of a new file and
the descriptions of the JSON Schema an editor uses.
"""

from __future__ import annotations

import datetime
import json
import typing
from pathlib import Path
from typing import Any

from pydantic.fields import FieldInfo

from . import urls
from .drawing import body as figure
from .errors import SiteError
from .frontmatter import ParseError, parse_yaml
from .load import CONFIG_NAME, display_path
from .models import SCHEMAS, Model, Muscle, Routine, SiteConfig, Stretch

KINDS: dict[str, tuple[str, type[Model]]] = {
    "stretch": ("stretches", Stretch),
    "routine": ("routines", Routine),
    "muscle": ("muscles", Muscle),
}
TITLE_FIELD = {"stretch": "title", "routine": "title", "muscle": "name"}
SUGGESTED = {"hold_seconds": 30, "reps": 3}  # the general rule: about 30 seconds, 3 times

BODIES = {
    "stretch": """\
One or two plain sentences: what this stretch does and why it helps the back.

1. First step: one action.
2. Second step.
3. Third step.
4. Fourth step.

## What you should feel

Where the stretch is felt: a gentle pull, never sharp pain.

## Common mistakes

- A common mistake.
- Another one.
""",
    "routine": """\
How to do this routine, and why the stretches come in this order.
""",
    "muscle": """\
Where this muscle is, and what tightness there does to the lower back.
""",
}


class Exists(SiteError):
    pass


def _ids(content: Path, folder: str) -> list[str]:
    return sorted(p.stem for p in (content / folder).rglob("*.md")) if \
        (content / folder).is_dir() else []


def _choices(annotation: Any) -> list[str]:
    """The allowed values of a Literal field, or of the items of a list of them."""
    for arg in (annotation, *typing.get_args(annotation)):
        if typing.get_origin(arg) is typing.Literal:
            return list(typing.get_args(arg))
        inner = _choices(arg) if typing.get_args(arg) and arg is not annotation else []
        if inner:
            return inner
    return []


def _value(name: str, field: FieldInfo, title: str, title_field: str) -> str:
    if name == title_field:
        return json.dumps(title, ensure_ascii=False)
    if name in SUGGESTED:
        return str(SUGGESTED[name])
    if name == "last_reviewed":
        return datetime.date.today().isoformat()
    if field.is_required():
        if typing.get_origin(field.annotation) is list:
            return "[]"
        return "" if field.annotation is int else '""'
    default = field.get_default(call_default_factory=True)
    if default is None:
        return "null"
    return json.dumps(default) if not isinstance(default, bool) else str(default).lower()


def _pose_lines(position: str | None) -> list[str]:
    """A pose block whose base follows the position; angles to fill in."""
    base = figure.BASE_FOR_POSITION.get(position or "", "")
    fits = ", ".join(f"{p}: {' or '.join(b)}" for p, b in figure.POSITION_BASES.items())
    return [
        "pose:",
        f'  base: {base or chr(34) * 2}  # the base posture; by position: {fits}',
        "  view: side  # " + ", ".join(figure.VIEWS),
        "  start: {}  # joint angles of the set-up, e.g. {hip: 90, knee: 90}; "
        "see AUTHORING.md, 'Draw the stretch'",
        "  end: {}  # joint angles in the stretch, e.g. {spine: 20, neck: 20}",
    ]


def scaffold(kind: str, title: str, content: Path, position: str | None = None) -> str:
    """The text of a new content file: every field, explained, blanks to fill in."""
    model = KINDS[kind][1]
    known = {"muscles": _ids(content, "muscles"), "secondary_muscles": _ids(content, "muscles")}
    lines = ["---"]
    for name, field in model.model_fields.items():
        notes = [field.description or ""]
        choices = _choices(field.annotation)
        if choices:
            many = typing.get_origin(field.annotation) is list
            notes.append(("Any of: " if many else "One of: ") + ", ".join(choices) + ".")
        if known.get(name):
            notes.append("Ids: " + ", ".join(known[name]) + ".")
        notes.append("(required)" if field.is_required() else "(optional)")
        lines.append("# " + " ".join(note for note in notes if note))
        if name == "pose":
            lines += _pose_lines(position)
            continue
        if name == "position" and position:
            lines.append(f"position: {position}")
            continue
        if name == "steps":
            stretches = ", ".join(_ids(content, "stretches")[:8])
            lines += ["steps:",
                      f'  - stretch: ""  # a stretch slug, e.g. {stretches}',
                      "    note: null  # optional: a short note for this step"]
            continue
        value = _value(name, field, title, TITLE_FIELD[kind])
        lines.append(f"{name}: {value}".rstrip())
    lines += ["---", ""]
    return "\n".join(lines) + BODIES[kind]


def _site_url(content: Path) -> str | None:
    try:
        data, _ = parse_yaml((content / CONFIG_NAME).read_text(encoding="utf-8-sig"))
        return urls.normalize_base_url(str(data["base_url"]))
    except (OSError, ParseError, KeyError, TypeError, ValueError):
        return None


def new(kind: str, title: str, content: Path, position: str | None = None) -> str:
    """Write a new content file; return what to tell the author."""
    slug = urls.suggest_slug(title)
    if not slug:
        raise SiteError(f"'{title}' has no letters or digits to make a file name from")
    path = content / KINDS[kind][0] / f"{slug}.md"
    if path.exists():
        raise Exists(f"{display_path(path)} already exists; refusing to overwrite it. "
                     "Edit it, or choose another title.")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(scaffold(kind, title, content, position), encoding="utf-8")
    route = {"stretch": urls.stretch, "routine": urls.routine, "muscle": urls.muscle}[kind](slug)
    base = _site_url(content)
    where = f"\nIt will appear at {urls.Base(base).absolute(route)}" if base else ""
    return f"Wrote {display_path(path)}: fill in the blanks, then run python build.py check" + \
        where


def schemas(content: Path | None = None) -> dict[str, dict[str, Any]]:
    """JSON Schemas of site.yaml and each kind of front-matter, with today's ids."""
    singular = {"muscles": "muscle", "pages": "page", "partials": "partial",
                "routines": "routine", "stretches": "stretch"}
    out = {"site": SiteConfig.model_json_schema()}
    for folder, model in SCHEMAS.items():
        out[singular[folder]] = model.model_json_schema()
    if content is not None:
        muscles, stretches = _ids(content, "muscles"), _ids(content, "stretches")
        for key in ("muscles", "secondary_muscles"):
            if muscles:
                out["stretch"]["properties"][key]["items"]["enum"] = muscles
        step = out["routine"]["$defs"]["RoutineStep"]["properties"]["stretch"]
        if stretches:
            step["enum"] = stretches
    return out


def write_schemas(folder: Path, content: Path = Path("content")) -> list[str]:
    """Write <kind>.schema.json files; return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in sorted(schemas(content if content.is_dir() else None).items()):
        path = folder / f"{name}.schema.json"
        path.write_text(json.dumps(schema, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        written.append(display_path(path))
    return written
