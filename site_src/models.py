"""Validate: the content model, one documented field per front-matter key.

Front-matter becomes frozen pydantic models. Checks that need only the
document itself live beside the field; checks across documents (does this
muscle exist?) live in graph.py.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Generic, Literal, TypeVar
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    StringConstraints,
    ValidationError,
    WithJsonSchema,
    create_model,
    model_validator,
)

from .cache import memo
from .drawing import body as figure
from .drawing.areas import AREAS
from .drawing.figure import Pose as Drawing
from .drawing.figure import check as check_drawing
from .drawing.figure import resolve_props
from .errors import Problem, did_you_mean
from .frontmatter import Loc, Parsed
from .parallel import Progress
from .timing import Timing

REGIONS = ("neck-shoulders", "upper-back", "lower-back", "core", "hips", "glutes", "legs")
POSITIONS = ("standing", "seated", "lying", "kneeling", "all-fours", "hanging", "squatting")
DIFFICULTIES = ("beginner", "intermediate", "advanced")
EQUIPMENT = ("wall", "chair", "bar", "strap", "pillow", "bed", "couch", "towel", "mat",
             "cushions", "table", "step", "ball", "foam-roller", "block")

# Words authors reach for, mapped to the allowed value they mean.
SYNONYMS = {
    "sitting": "seated", "supine": "lying", "prone": "lying", "lying-down": "lying",
    "on-your-back": "lying", "quadruped": "all-fours", "hands-and-knees": "all-fours",
    "squat": "squatting", "kneel": "kneeling", "stand": "standing", "hang": "hanging",
    "easy": "beginner", "medium": "intermediate", "moderate": "intermediate", "hard": "advanced",
    "neck": "neck-shoulders", "shoulders": "neck-shoulders", "low-back": "lower-back",
    "lumbar": "lower-back", "thoracic": "upper-back", "buttocks": "glutes", "hip": "hips",
    "leg": "legs", "abs": "core",
}

Region = Literal[REGIONS]  # type: ignore[valid-type]
Position = Literal[POSITIONS]  # type: ignore[valid-type]
Difficulty = Literal[DIFFICULTIES]  # type: ignore[valid-type]
Equipment = Literal[EQUIPMENT]  # type: ignore[valid-type]
Area = Literal[tuple(AREAS)]  # type: ignore[valid-type]
BaseName = Literal[tuple(figure.BASES)]  # type: ignore[valid-type]
ViewName = Literal[tuple(figure.VIEWS)]  # type: ignore[valid-type]
Contact = Literal[figure.CONTACTS]  # type: ignore[valid-type]
Surface = Literal[tuple(figure.SURFACES)]  # type: ignore[valid-type]

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Cue = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]
Seconds = Annotated[int, Field(ge=1, le=600, description="Seconds, 1 to 600 (10 minutes).")]
Reps = Annotated[int, Field(ge=1, le=50, description="Repetitions, 1 to 50.")]
Sets = Annotated[int, Field(ge=1, le=10, description="Sets, 1 to 10.")]
SUMMARY_WORDS = 20  # a summary is one plain sentence; the detail belongs in the body
# Stretches in a routine: as many as a reader's own sheet holds (LIMITS.items in
# worksheet.js), which is more than a home programme asks of anyone in one go.
MAX_STEPS = 20


def _check_summary(value: str) -> str:
    words = len(value.split())
    if words > SUMMARY_WORDS:
        raise ValueError(f"is {words} words long; write one plain sentence of at most "
                         f"{SUMMARY_WORDS} words, and move the detail into the body")
    return value


Summary = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1),
                    AfterValidator(_check_summary)]
PageSummary = Annotated[str, StringConstraints(strip_whitespace=True),  # may be left empty
                        AfterValidator(_check_summary)]


def _check_url(value: str, schemes: tuple[str, ...]) -> str:
    parts = urlsplit(value)
    if parts.scheme == "http" and "http" not in schemes:
        raise ValueError("is not a secure address; use the https:// address, so what a "
                         "reader looks at stays private")
    if parts.scheme not in schemes or not parts.netloc:
        raise ValueError(f"must be a full {' or '.join(schemes)} address, "
                         f"like '{schemes[0]}://example.org/page'")
    return value


def _alternatives(value: Any) -> Any:
    """'strap or towel' -> ('strap', 'towel'); 'chair' -> ('chair',)."""
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(" or "))
    return value


_ITEM = "|".join(EQUIPMENT)
# One thing a stretch needs, or alternatives any of which will do: 'bed or couch'.
Need = Annotated[tuple[Equipment, ...],  # type: ignore[valid-type]
                 BeforeValidator(_alternatives),
                 WithJsonSchema({"type": "string", "pattern": f"^({_ITEM})( or ({_ITEM}))*$",
                                 "description": f"One of {', '.join(EQUIPMENT)}; or "
                                                "alternatives, as 'strap or towel'."})]

HttpsUrl = Annotated[str, AfterValidator(lambda v: _check_url(v, ("https",)))]

# Where a video may come from: its host, exactly, and the address its player is framed from
# (YouTube's without cookies). The id is what the address leaves once the host is known.
VIDEO_HOSTS = {
    "youtube.com": "youtube", "www.youtube.com": "youtube", "m.youtube.com": "youtube",
    "youtu.be": "youtube", "vimeo.com": "vimeo", "www.vimeo.com": "vimeo",
    "player.vimeo.com": "vimeo",
}
VIDEO_PLAYERS = {"youtube": "https://www.youtube-nocookie.com/embed/{}",
                 "vimeo": "https://player.vimeo.com/video/{}?dnt=1"}


def video_player(address: str) -> str | None:
    """The address of the player to frame for a YouTube or Vimeo video, or None if the
    address is not one: the host is compared whole, so 'youtube.com.example.org' and
    'youtube.com@example.org' are not YouTube."""
    parts = urlsplit(address)
    host = VIDEO_HOSTS.get(parts.hostname or "")
    if parts.scheme != "https" or not host or parts.username or parts.password or parts.port:
        return None
    path = parts.path.rstrip("/")
    if parts.hostname == "youtu.be":
        found = re.fullmatch(r"/([\w-]{11})", path)
    elif host == "youtube":
        found = re.search(r"(?:^|&)v=([\w-]{11})(?:&|$)", parts.query) if path == "/watch" \
            else re.fullmatch(r"/(?:embed|shorts|live)/([\w-]{11})", path)
    else:
        found = re.fullmatch(r"(?:/video)?/(\d+)", path)
    video = found.group(1) if found else None
    return VIDEO_PLAYERS[host].format(video) if video else None


def _check_video(value: str) -> str:
    if video_player(_check_url(value, ("https",))) is None:
        raise ValueError("must be the address of a YouTube or Vimeo video, such as "
                         "'https://www.youtube.com/watch?v=dQw4w9WgXcQ' or "
                         "'https://vimeo.com/76979871'")
    return value


VideoUrl = Annotated[str, AfterValidator(_check_video)]
WebUrl = Annotated[str, AfterValidator(lambda v: _check_url(v, ("https", "http")))]


class Model(BaseModel):
    """Shared settings: no unknown keys, no silent type coercion, immutable."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class RoutineTiming(Model):
    """How long the parts of a routine take, for the time its pages show."""

    setup_seconds: int = Field(15, ge=0, le=120, description="Seconds to get into position "
                                                             "for each step.")
    rest_seconds: int = Field(5, ge=0, le=60, description="Seconds of rest between one "
                                                          "repetition, set or side and the "
                                                          "next.")
    move_seconds: int = Field(4, ge=1, le=30, description="Seconds one repetition of a "
                                                          "moving stretch (one with no hold) "
                                                          "takes.")

    def timing(self) -> Timing:
        return Timing(setup=self.setup_seconds, rest=self.rest_seconds, move=self.move_seconds)


class SiteConfig(Model):
    """content/site.yaml: settings for the whole site."""

    title: Text = Field(description="Site name, shown in every header and worksheet.")
    description: str = Field("", description="One sentence about the site, for search engines.")
    base_url: WebUrl = Field(description="Where the site is published, e.g. "
                                         "https://someone.github.io/limber/.")
    language: Text = Field("en", description="Language code of the content, e.g. 'en'.")
    cname: str | None = Field(None, pattern=r"^([a-z0-9-]{1,63}\.)+[a-z]{2,63}$", max_length=253,
                              description="Custom domain for GitHub Pages, e.g. "
                                          "stretch.example.org; writes the CNAME file.")
    max_file_kb: int = Field(512, ge=1, le=16 * 1024,
                             description="The largest a content file may be, in KB; a "
                                         "bigger one is reported, not rendered.")
    timing: RoutineTiming = Field(default_factory=RoutineTiming,
                                  description="How a routine's time is worked out from its "
                                              "steps.")
    disclaimer: Text = Field(description="Medical disclaimer (Markdown), shown on every page.")
    disclaimer_short: Text = Field(
        "For education only, not medical advice. Stop if it hurts, and ask your clinician.",
        max_length=140,
        description="One-line disclaimer printed at the foot of every worksheet page; "
                    "it must tell people to stop if it hurts.")

    @model_validator(mode="after")
    def _short_disclaimer_says_stop(self) -> SiteConfig:
        if "stop" not in self.disclaimer_short.lower():
            raise _FieldError("disclaimer_short", "must tell readers to stop if it hurts")
        return self


class Muscle(Model):
    """content/muscles/<id>.md: one entry of the muscle vocabulary."""

    name: Text = Field(description="Plain name, e.g. 'Hamstrings'.")
    region: Region = Field(description="Body region.")
    aliases: list[Text] = Field(default_factory=list, description="Other names people use.")
    body_map: list[Area] = Field(min_length=1, description="Areas of the body map this muscle "
                                                          "covers; the first is its own, and "
                                                          "links to this muscle on /muscles/.")


class Source(Model):
    """A page a fact came from."""

    title: Text
    url: HttpsUrl | None = None


def _angles_model() -> type[Model]:
    """One optional whole-degree field per joint name, with the joint's range."""
    fields: dict[str, Any] = {}
    for joint in figure.JOINTS:
        names = [joint.name, *(f"{side}_{joint.name}" for side in figure.SIDES)] \
            if joint.sided else [joint.name]
        for name in names:
            which = "both sides" if joint.sided and name == joint.name else \
                f"the {name.split('_')[0]} side" if joint.sided else "the trunk"
            fields[name] = (Annotated[int, Field(
                ge=joint.low, le=joint.high,
                description=f"Degrees, {joint.low} to {joint.high}, for {which}. 0: "
                            f"{joint.zero}; more: {joint.positive}.")] | None, None)
    return create_model("Angles", __base__=Model, __doc__="Joint angles in degrees.",
                        **fields)


Angles = _angles_model()
# A pose keeps only the joints it gives, {name: degrees}: an Angles holds a slot for every
# joint, and a library of 10,000 stretches kept some 20 MB of empty ones.
GivenAngles = Annotated[Angles, AfterValidator(  # type: ignore[valid-type]
    lambda angles: angles.model_dump(exclude_none=True)), PlainSerializer(dict)]


class Pose(Model):
    """How to draw a stretch: a base posture, and the joint angles of its start and end."""

    base: BaseName = Field(description="The base posture the drawing starts from.")
    view: ViewName = Field("side", description="Where the viewer stands: side, three-quarter, "
                                               "front, back, three-quarter-back, or above.")
    start: GivenAngles = Field(default_factory=dict,
                          description="Joint angles of the starting position; joints left "
                                      "out keep the base posture's angles.")
    end: GivenAngles = Field(default_factory=dict,
                        description="Joint angles in the stretch position.")
    rest: dict[Contact, Surface] | None = Field(  # type: ignore[valid-type]
        None, min_length=1, max_length=2,
        description="What the body rests on, overriding the base posture: one or two body "
                    "points, each on a surface, e.g. {chest: floor, near_heel: floor}.")
    props: dict[Equipment, str] = Field(  # type: ignore[valid-type]
        default_factory=dict,
        description="Where each piece of equipment goes, e.g. {chair: beside} or "
                    "{strap: near_hand near_foot}; 'none' leaves it out of the drawing.")
    side: Literal["near", "far"] = Field("near", description="Which side's muscles the "
                                                             "drawing marks as stretched.")

    def drawing(self, equipment: tuple[tuple[str, ...], ...],
                mark: tuple[str, ...] = ()) -> Drawing:
        """The drawing's input. Of alternatives ('bed or couch') the first is drawn."""
        others = {kind for choice in equipment for kind in choice[1:]}
        return Drawing(
            base=self.base, view=self.view, rest=self.rest,
            start=dict(self.start), end=dict(self.end),
            props=resolve_props(self.base, tuple(choice[0] for choice in equipment),
                                {k: v for k, v in self.props.items() if k not in others}),
            mark=mark, mark_side=self.side)


class Stretch(Model):
    """content/stretches/<slug>.md: one stretch."""

    title: Text = Field(description="Name of the stretch.")
    summary: Summary = Field(description=f"One plain sentence of at most {SUMMARY_WORDS} "
                                         "words: what it does.")
    muscles: list[str] = Field(min_length=1, description="Muscle ids; the first is the main "
                                                         "target.")
    secondary_muscles: list[str] = Field(default_factory=list,
                                         description="Muscle ids it also reaches.")
    position: Position = Field(description="Starting position.")
    equipment: list[Need] = Field(default_factory=list,
                                  description="What you need, one item a line; alternatives "
                                              "as 'strap or towel'; empty means nothing.")
    difficulty: Difficulty = Field(description="How hard it is for most people.")
    hold_seconds: Seconds | None = Field(None, description="How long to hold, in seconds.")
    reps: Reps | None = Field(None, description="How many times.")
    sets: Sets | None = Field(None, description="How many rounds.")
    each_side: bool = Field(False, description="Done on the left and on the right.")
    cues: list[Cue] = Field(default_factory=list, max_length=3,
                            description="Up to 3 short cues for worksheets.")
    cautions: list[Text] = Field(default_factory=list, description="Shown prominently.")
    image: str | None = Field(None, description="Picture file in content/images/.")
    image_alt: Text | None = Field(None, description="What the picture shows, for people "
                                                     "who can't see it.")
    video: VideoUrl | None = Field(None, description="Address of a YouTube or Vimeo video; "
                                                     "pages show it only when asked.")
    sources: list[Source] = Field(default_factory=list, description="Where the facts "
                                                                    "come from.")
    last_reviewed: datetime.date | None = Field(None, strict=False,  # accept "2026-01-15" too
                                                description="Date, YYYY-MM-DD.")
    draft: bool = Field(False, description="Left out of the site unless built with --drafts.")
    pose: Pose | None = Field(None, description="How to draw the start and end positions; "
                                                "see AUTHORING.md, 'Draw the stretch'.")

    @model_validator(mode="after")
    def _pose_fits(self) -> Stretch:
        pose = self.pose
        if pose is None:
            return self
        bases = figure.POSITION_BASES[self.position]
        if pose.base not in bases:
            raise _FieldError(("pose", "base"), f"'{pose.base}' does not fit position "
                              f"'{self.position}'; use " + " or ".join(bases))
        for kind in figure.BASES[pose.base].needs:
            if kind not in (choice[0] for choice in self.equipment):  # the drawn ones
                raise _FieldError(("pose", "base"), f"'{pose.base}' is drawn with a {kind}; "
                                  f"add '{kind}' to equipment, or choose another base")
        try:  # whether the body can be drawn so is asked of every stretch at once (posable)
            pose.drawing(tuple(self.equipment))
        except ValueError as exc:
            raise _FieldError(("pose", "props"), str(exc)) from None
        return self

    @property
    def needs(self) -> tuple[str, ...]:
        """Every piece of equipment named, alternatives included, in order."""
        return tuple(dict.fromkeys(kind for choice in self.equipment for kind in choice))

    @model_validator(mode="after")
    def _image_needs_alt(self) -> Stretch:
        if self.image and not self.image_alt:
            raise _FieldError("image_alt", "required when an image is given; describe what "
                                           "the picture shows")
        if self.image_alt and not self.image:
            raise _FieldError("image_alt", "there is no image to describe; add 'image' or "
                                           "remove this field")
        return self


class RoutineStep(Model):
    """One stretch in a routine, with optional overrides."""

    stretch: Text = Field(description="Slug of the stretch (its file name without .md).")
    hold_seconds: Seconds | None = None
    reps: Reps | None = None
    note: Text | None = Field(None, description="A short note for this step.")


class Routine(Model):
    """content/routines/<slug>.md: an ordered set of stretches."""

    title: Text = Field(description="Name of the routine.")
    summary: Summary = Field(description=f"One plain sentence of at most {SUMMARY_WORDS} "
                                         "words: what the routine is for.")
    minutes: Annotated[int, Field(ge=1, le=180)] | None = Field(
        None, description="Total minutes, if you want to state them; pages show the time "
                          "worked out from the steps, and the build checks this is within "
                          "25% of it.")
    frequency: Text = Field(description="How often, e.g. 'daily'.")
    steps: list[RoutineStep] = Field(min_length=1, max_length=MAX_STEPS,
                                     description="The stretches, in order: at most "
                                                 f"{MAX_STEPS}, as on a sheet of one's own.")


class Page(Model):
    """content/pages/<slug>.md: a free page such as 'about' or 'safety'."""

    title: Text = Field(description="Title of the page.")
    summary: PageSummary = Field("", description="One plain sentence of at most "
                                                 f"{SUMMARY_WORDS} words, for search engines.")
    nav_order: int | None = Field(None, description="Position in the site menu; "
                                                    "leave out to keep it off the menu.")
    sources: list[Source] = Field(default_factory=list, description="Where the facts "
                                                                    "come from.")
    last_reviewed: datetime.date | None = Field(None, strict=False,  # accept "2026-01-15" too
                                                description="Date, YYYY-MM-DD.")


class Partial(Model):
    """content/partials/<name>.md: words the templates show on many pages, such as the
    'Get help now if…' box (red-flags.md); it has no page of its own."""

    title: Text = Field(description="The heading shown above it.")


# content/partials/<name>.md -> where it shows; each one is required.
PARTIALS = {
    "red-flags": "the signs that need help now, on every worksheet and the home page",
}


SCHEMAS: dict[str, type[Model]] = {
    "muscles": Muscle,
    "pages": Page,
    "partials": Partial,
    "routines": Routine,
    "stretches": Stretch,
}

M = TypeVar("M", bound=Model)

# Fields only a stretch's own page, the routines it is a step of and the worksheets show:
# never a card or a list, so an edit to them renders only those pages again.
DETAILS: dict[str, tuple[str, ...]] = {
    "stretches": ("cautions", "cues", "image", "image_alt", "last_reviewed", "sources",
                  "video"),
}


@dataclass(frozen=True)
class Document(Generic[M]):
    """A validated content file: its slug, where it came from, its fields and its body."""

    slug: str
    name: str  # display path, for messages
    rel: str  # path inside content/: 'stretches/cat-cow.md'
    meta: M
    body: str
    body_line: int
    source: Parsed
    # Fingerprints of the fields as written (the same data makes the same meta): all but
    # its DETAILS, which lists and cards may show; and its DETAILS.
    listed: str
    details: str

    def line_of(self, *loc: str | int) -> int:
        return self.source.line_of(loc)


class _FieldError(ValueError):
    """Raised by model validators to point at one field ('image_alt', or ('pose', 'base'))."""

    def __init__(self, field: str | tuple[str, ...], message: str):
        super().__init__(message)
        self.loc = (field,) if isinstance(field, str) else field
        self.message = message


def format_loc(loc: Loc) -> str:
    """('steps', 0, 'stretch') -> 'steps[0].stretch'."""
    out = ""
    for part in loc:
        if part == "[key]":  # pydantic's marker for a mapping key: the key itself is enough
            continue
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _allowed_fields(model: type[BaseModel], loc: Loc) -> list[str]:
    """The field names allowed at loc (which ends at the unknown key)."""
    current: Any = model
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        field = current.model_fields.get(part)
        if field is None:
            return []
        annotation = field.annotation
        args = getattr(annotation, "__args__", ())
        current = next((a for a in (annotation, *args) if isinstance(a, type)
                        and issubclass(a, BaseModel)), None)
        if current is None:
            return []
    return list(current.model_fields)


def _message(error: dict[str, Any], model: type[BaseModel]) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    value = error.get("input")
    loc = error["loc"]
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        allowed = _allowed_fields(model, loc)
        hint = did_you_mean(loc[-1], allowed)
        return f"unknown field{hint}" if hint else \
            f"unknown field; allowed fields are {', '.join(allowed)}"
    if kind == "literal_error":
        choices = [c.strip(" '") for c in ctx.get("expected", "").replace(" or ", ", ")
                   .split(",")]
        meant = SYNONYMS.get(str(value).strip().lower().replace(" ", "-"))
        hint = f" (did you mean '{meant}'?)" if meant in choices else \
            did_you_mean(value, choices)
        return f"'{value}' is not allowed{hint}; use one of: " + ", ".join(choices)
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"must be a whole number, not {_show(value)}"
    if kind in ("greater_than_equal", "less_than_equal") and loc[0] == "pose":
        joint = figure.JOINT[str(loc[-1]).removeprefix("near_").removeprefix("far_")]
        return f"{value} degrees is outside the {joint.name.replace('_', ' ')}'s range of " \
               f"{joint.low} to {joint.high} (0 is {joint.zero})"
    if kind == "greater_than_equal":
        return f"must be at least {ctx['ge']}, not {value}"
    if kind == "less_than_equal":
        return f"must be at most {ctx['le']}, not {value}"
    if kind == "string_type":
        return f"must be text, not {_show(value)}; put quotes around it if it is meant as text"
    if kind == "string_pattern_mismatch" and loc[-1] == "cname":
        return f"'{value}' is not a domain name; write it like stretch.example.org, " \
               "without https:// or a path"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_too_long":
        return f"is too long ({len(value)} characters); keep it under {ctx['max_length']}"
    if kind == "bool_type":
        return f"must be true or false, not {_show(value)}"
    if kind == "tuple_type":
        return f"must be one item, or alternatives written as 'strap or towel', " \
               f"not {_show(value)}"
    if kind == "list_type":
        return f"must be a list (one '- item' per line), not {_show(value)}"
    if kind == "too_short":
        return "must list at least one item"
    if kind == "too_long":
        return f"lists {ctx.get('actual_length')} items; at most {ctx['max_length']} are allowed"
    if kind in ("date_type", "date_parsing", "date_from_datetime_inexact"):
        return f"must be a date written YYYY-MM-DD, not {_show(value)}"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"must be 'key: value' fields, not {_show(value)}"
    if kind == "value_error":
        exc = ctx.get("error")
        return getattr(exc, "message", None) or str(exc)
    return error["msg"][:1].lower() + error["msg"][1:]


@memo("poses checked")  # the same answer until the pose changes
def _faults(drawing: Drawing) -> list[str]:
    return check_drawing(drawing)


def posable(stretches: Sequence[Document[Stretch]], jobs: int = 1,
            progress: Progress | None = None) -> list[tuple[Document[Stretch], Problem]]:
    """The stretches whose pose puts the body where no body can be (through the floor, a
    knee bent backwards), each with its problem. Asked of all at once, so that the answers
    the cache has come in a few reads, and the others are worked out on up to `jobs`
    processes; `progress` hears ('poses checked', done, total)."""
    posed = [document for document in stretches if document.meta.pose is not None]
    found = _faults.many([(document.meta.pose.drawing(tuple(document.meta.equipment)),)
                          for document in posed], jobs, progress)
    out = []
    for document, faults in zip(posed, found, strict=True):
        if faults:
            more = f" (and {len(faults) - 3} more)" if len(faults) > 3 else ""
            out.append((document, Problem(
                document.name, document.line_of("pose"), format_loc(("pose",)),
                "the drawing is impossible: " + "; ".join(faults[:3]) + more
                + "; change the angles or what it rests on")))
    return out


def _show(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, (list, dict)):
        return "a list" if isinstance(value, list) else "a set of fields"
    return repr(value) if isinstance(value, str) else str(value)


def validate(model: type[M], data: dict[str, Any], name: str,
             parsed: Parsed) -> tuple[M | None, list[Problem]]:
    """Validate data against model; on failure return every problem with its line.

    A value YAML 1.1 would read as something the author didn't write (parsed.traps) is a
    problem of its own, in place of whatever the model says of what YAML made of it."""
    traps = parsed.positions.traps
    problems = [Problem(name, parsed.line_of(loc), format_loc(loc), message)
                for loc, message in traps.items()]
    try:
        meta = model.model_validate(data)
    except ValidationError as exc:
        meta = None
        for error in exc.errors(include_url=False):
            loc = tuple(error["loc"])
            ctx_error = (error.get("ctx") or {}).get("error")
            if isinstance(ctx_error, _FieldError):
                loc = (*loc, *ctx_error.loc)
            if loc not in traps:
                problems.append(Problem(name, parsed.line_of(loc), format_loc(loc),
                                        _message(error, model)))
    return (None if problems else meta), problems
