"""Draw: each posed stretch's drawings as SVG files, with their text alternatives.

A stage between resolve and render: the resolved site in, the figure files and
what the views need to show them out. The drawing itself is pure geometry in
drawing/; this module only knows which stretch gets which drawing and what it
is called.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from typing import Any

from . import parallel, urls
from .cache import Cache
from .drawing import body as figure_body
from .drawing import bodymap
from .drawing.areas import AREAS
from .drawing.figure import Pose as Drawing
from .drawing.figure import draw as draw_svgs
from .drawing.kinematics import resolve_angles
from .graph import Entry, Site
from .models import Muscle, Stretch
from .write import fingerprint

FRAMES = ("start", "end", "loop")
CAPTIONS = {"start": "Start", "end": "Stretch", "loop": "Moving between the two"}
PIXELS_PER_UNIT = 1.35  # one scale for every drawing: a standing adult is about 3.6 cm tall
MIN_CHANGE = 8  # degrees; smaller changes go unmentioned in the text alternative

# How a change of each joint reads: (subject, when the angle grows, when it shrinks).
MOVES = {
    "hip": ("thigh", "lifts forward", "moves back"),
    "hip_out": ("thigh", "moves out to the side", "moves in across the body"),
    "hip_turn": ("thigh", "turns out", "turns in"),
    "knee": ("knee", "bends", "straightens"),
    "ankle": ("foot", "flexes up", "points down"),
    "shoulder": ("arm", "lifts forward", "moves back"),
    "shoulder_out": ("arm", "lifts out to the side", "comes down to the side"),
    "elbow": ("elbow", "bends", "straightens"),
    "spine": ("back", "rounds forward", "arches"),
    "low_back": ("lower back", "flattens", "arches"),
    "spine_side": ("trunk", "bends to the side", "bends to the side"),
    "spine_turn": ("trunk", "turns", "turns"),
    "neck": ("head", "drops forward", "tips back"),
}


@dataclass(frozen=True)
class Figure:
    """One drawing as a page shows it."""

    src: str
    alt: str
    caption: str
    width: int
    height: int


@dataclass(frozen=True)
class Drawings:
    files: dict[str, bytes]  # output path -> SVG
    figures: dict[str, dict[str, Figure]]  # stretch slug -> 'start'/'end'/'loop' -> figure
    maps: dict[str, str]  # stretch or muscle page route -> address of its body map
    missing: tuple[str, ...]  # stretches without a pose, for `check` to list
    drawn_from: dict[str, str]  # stretch slug -> what its figures were drawn from
    # output path -> (key, name): the SVGs not in files, kept in the cache as the file name
    # of the entry key (draw without hold)
    kept: dict[str, tuple[str, str]] = field(default_factory=dict)
    digests: dict[str, str] = field(default_factory=dict)  # output path -> its fingerprint


def moving(meta: Stretch) -> bool:
    """A stretch done as repeated movement, not a hold: cat-cow, pelvic tilts, swings."""
    return meta.hold_seconds is None


def what_moves(drawing: Drawing) -> list[str]:
    """['one knee bends', 'the back rounds forward'], from the start to the end."""
    base = figure_body.BASES[drawing.base]
    start, end = resolve_angles(base, drawing.start), resolve_angles(base, drawing.end)
    phrases = []
    for joint in figure_body.JOINTS:
        if joint.name not in MOVES:
            continue
        subject, more, less = MOVES[joint.name]
        sides = figure_body.SIDES if joint.sided else ("",)
        changes = {side: end[f"{side}_{joint.name}" if side else joint.name]
                   - start[f"{side}_{joint.name}" if side else joint.name] for side in sides}
        moved = {side: delta for side, delta in changes.items() if abs(delta) >= MIN_CHANGE}
        if not moved:
            continue
        if joint.sided and len(moved) == 2 and \
                (moved["near"] > 0) == (moved["far"] > 0):
            plural = {"knee": "knees", "foot": "feet", "thigh": "thighs", "arm": "arms",
                      "elbow": "elbows"}[subject]
            phrases.append(f"both {plural} {_plural_verb(more if moved['near'] > 0 else less)}")
            continue
        for side, delta in moved.items():
            who = {"near": "one", "far": "the other", "": "the"}[side]
            phrases.append(f"{who} {subject} {more if delta > 0 else less}")
    return phrases


def _plural_verb(phrase: str) -> str:
    """'lifts forward' -> 'lift forward'."""
    verb, _, rest = phrase.partition(" ")
    verb = verb[:-2] if verb.endswith("ches") else verb[:-1]
    return f"{verb} {rest}".strip()


def alt_texts(title: str, drawing: Drawing, loop: bool) -> dict[str, str]:
    """The text alternative of each drawing: what it shows, in words."""
    base = figure_body.BASES[drawing.base]
    props = [("" if kind.endswith("s") else "an " if kind[0] in "aeiou" else "a ")
             + kind.replace("-", " ")
             for kind in sorted(drawing.props) if kind not in base.needs]
    with_props = f", with {_join(props)}" if props else ""
    moves = what_moves(drawing)
    change = _join(moves) if moves else "the position is held"
    texts = {
        "start": f"{title}, start: {base.label}{with_props}.",
        "end": f"{title}, stretch: {base.label}{with_props}; from the start, {change}.",
    }
    if loop:
        texts["loop"] = f"{title}, moving slowly between the start and the stretch: {change}."
    return texts


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _svgs(key: str) -> dict[str, bytes]:
    data = json.loads(key)
    drawing = Drawing(**{k: tuple(v) if k == "mark" else v for k, v in data["drawing"].items()})
    return {name: svg.encode("utf-8") for name, svg in
            draw_svgs(drawing, data["titles"], loop=data["loop"], id_prefix=data["id"]).items()}


def _size(svg: bytes) -> tuple[int, int]:
    head = svg[:svg.index(b">")].decode("utf-8")
    width = float(head.split(' width="')[1].split('"')[0])
    height = float(head.split(' height="')[1].split('"')[0])
    return round(width * PIXELS_PER_UNIT), round(height * PIXELS_PER_UNIT)


def _areas(site: Site, entry: Entry[Stretch]) -> tuple[str, ...]:
    return tuple(site.muscles[entry.meta.muscles[0]].meta.body_map)


def marks(site: Site, entry: Entry) -> dict[str, str]:
    """Body-map areas of a stretch (its main target 'main', the other muscles 'secondary')
    or of a muscle (its own areas, 'main')."""
    if isinstance(entry.meta, Muscle):
        return dict.fromkeys(entry.meta.body_map, "main")
    meta = entry.meta
    found: dict[str, str] = {}
    for muscle_id in [*meta.muscles[1:], *meta.secondary_muscles]:
        found.update(dict.fromkeys(site.muscles[muscle_id].meta.body_map, "secondary"))
    found.update(dict.fromkeys(site.muscles[meta.muscles[0]].meta.body_map, "main"))
    return found


@functools.lru_cache(maxsize=1024)  # pages that mark the same areas share one file
def _map_file(marked: tuple[tuple[str, str], ...]) -> tuple[str, bytes]:
    """The body-map file for these marks (area, level): its output path and SVG."""
    main = tuple(sorted(a for a, level in marked if level == "main"))
    others = tuple(sorted(a for a, level in marked if level != "main"))
    title = f"Body map: {_join([AREAS[a][0].lower() for a in main])} marked" + (
        f"; also {_join([AREAS[a][0].lower() for a in others])}" if others else "")
    svg = bodymap.body_map(dict(marked), title=title, id_prefix="map")
    return urls.body_map(main, others), svg.encode("utf-8")


def _drawn_from(site: Site, entry: Entry[Stretch]) -> str:
    """What a stretch's figures are made from: its fields, those of its muscles (their
    body-map areas are marked), and the base URL."""
    muscles = sorted({*entry.meta.muscles, *entry.meta.secondary_muscles})
    return "\0".join([site.base.href(""), entry.doc.listed,
                      *(site.muscles[muscle].doc.listed for muscle in muscles)])


def draw(site: Site, cache: Cache | None = None, jobs: int = 1,
         progress: parallel.Progress | None = None,
         previous: Drawings | None = None, hold: bool = True) -> Drawings:
    """Draw every posed stretch, and the body map of every stretch and muscle page; list
    the stretches without a pose. A stretch's figures are taken from `previous` while what
    they are drawn from is the same (an edited title redraws one stretch, not all), else
    from the cache; the rest are drawn on up to `jobs` processes. Without `hold`, the
    stretches' drawings are left in the cache (Drawings.kept), those found there unread."""
    cache = cache or Cache(None)
    files: dict[str, bytes] = {}
    kept: dict[str, tuple[str, str]] = {}
    digests: dict[str, str] = {}
    figures: dict[str, dict[str, Figure]] = {}
    maps: dict[str, str] = {}
    missing = []
    for entry in [*site.stretches.values(), *site.muscles.values()]:
        route, svg = _map_file(tuple(sorted(marks(site, entry).items())))
        files[route] = svg
        maps[entry.route] = site.base.href(route)
    drawn_from = {slug: _drawn_from(site, entry) for slug, entry in site.stretches.items()}

    def place(slug: str, made: dict[str, Any], svgs: dict[str, bytes]) -> None:
        """A stretch's drawings, as made (titles, sizes, fingerprints) and, if held, their
        SVGs."""
        figures[slug] = {}
        for name in FRAMES:
            if name not in made["sizes"]:
                continue
            route = urls.figure(slug, name)
            if hold:
                files[route] = svgs[name]
            else:
                kept[route] = (keys[slug], name)
            digests[route] = made["fingerprints"][name]
            figures[slug][name] = Figure(site.base.href(route), made["titles"][name],
                                         CAPTIONS[name], *made["sizes"][name])

    posed = []  # stretches to draw, or find in the cache
    for slug, entry in site.stretches.items():
        if previous is not None and previous.drawn_from.get(slug) == drawn_from[slug]:
            if slug in previous.figures:
                figures[slug] = previous.figures[slug]
                for route in (urls.figure(slug, name) for name in figures[slug]):
                    files[route] = previous.files[route]
                    digests[route] = previous.digests[route]
            else:
                missing.append(slug)
        elif entry.meta.pose is None:
            missing.append(slug)
        else:
            posed.append(slug)
    # The cache knows a stretch's drawings, and their titles, by what they are drawn from:
    # it is asked before the stretch is posed.
    keys = {slug: cache.key("drawing", slug, drawn_from[slug]) for slug in posed}
    asked: dict[str, tuple[str, dict[str, str]]] = {}  # slug -> (what to draw, titles)
    for slug, found in zip(posed, cache.get_many(list(keys.values()), with_files=hold),
                           strict=True):
        if found is not None:
            place(slug, *found)
            continue
        entry = site.stretches[slug]
        drawing = entry.meta.pose.drawing(tuple(entry.meta.equipment), _areas(site, entry))
        loop = moving(entry.meta)
        titles = alt_texts(entry.meta.title, drawing, loop)
        asked[slug] = (json.dumps({"drawing": drawing.__dict__, "titles": titles, "loop": loop,
                                   "id": f"pose-{slug}"}, sort_keys=True, default=dict), titles)
    drawn = parallel.ordered_results(_svgs, [what for what, _titles in asked.values()], jobs,
                                     parallel.counter("drawings", len(posed),
                                                      len(posed) - len(asked), progress))
    for (slug, (_what, titles)), svgs in zip(asked.items(), drawn, strict=True):
        made = {"titles": titles, "sizes": {name: _size(svg) for name, svg in svgs.items()},
                "fingerprints": {name: fingerprint(svg) for name, svg in svgs.items()}}
        cache.put(keys[slug], made, svgs)
        place(slug, made, svgs)
    return Drawings(dict(sorted(files.items())),
                    {slug: figures[slug] for slug in site.stretches if slug in figures}, maps,
                    tuple(missing), drawn_from, kept, digests)
