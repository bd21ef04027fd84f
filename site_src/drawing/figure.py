"""Pose figures: a stretch's start and end positions as clean line drawings.

Data in, SVG text out. A `Pose` names a base posture, the joint angles of its
start and end, what the body rests on and where each prop goes; `draw`
returns the start, the end and (for moving stretches) a gentle loop between
them. The far-side limbs are drawn lighter, and the main target is marked
with a hatched band that survives black-and-white printing.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from . import body as b
from .kinematics import BONES, Body, Capsule, Vec, base_body, forward, lerp, place, resolve_angles
from .props import PLACEMENTS, Solid, parse_placement, place_props
from .svg import el, line, num, text

OUTLINE = 1.3  # the dark edge around each part

INK = {"near": ("#1b1b1b", "#ffffff"), "far": ("#808080", "#e6e6e6")}
PROP_STYLE = {"fill": "#e6e2d9", "stroke": "#5c5c5c", "stroke_width": 0.7}

# Where each area of the body lies on the figure: (part, from, to, offset), the offset
# in radii toward the front (+) or back (-) of that part.
BANDS: dict[str, tuple[tuple[str, float, float, float], ...]] = {
    "hamstrings": (("thigh", 0.15, 0.85, -0.45),),
    "quadriceps": (("thigh", 0.1, 0.85, 0.45),),
    "hip-flexors": (("thigh", 0.0, 0.4, 0.5), ("lumbar", 0.0, 0.25, 0.5)),
    "psoas": (("lumbar", 0.15, 1.0, 0.25), ("thigh", 0.0, 0.3, 0.45)),
    "adductors": (("thigh", 0.1, 0.75, 0.0),),
    "outer-thigh": (("thigh", 0.0, 0.85, 0.0),),
    "glutes": (("lumbar", 0.0, 0.2, -0.6), ("thigh", 0.0, 0.3, -0.5)),
    "piriformis": (("lumbar", 0.0, 0.15, -0.5), ("thigh", 0.0, 0.2, -0.45)),
    "calves": (("shin", 0.1, 0.6, -0.45),),
    "shins": (("shin", 0.1, 0.8, 0.45),),
    "lower-back": (("lumbar", 0.1, 1.0, -0.55), ("thoracic", 0.0, 0.3, -0.55)),
    "quadratus-lumborum": (("lumbar", 0.2, 1.0, -0.2),),
    "upper-back": (("thoracic", 0.3, 1.0, -0.55), ("chest", 0.0, 0.7, -0.55)),
    "lats": (("thoracic", 0.0, 1.0, -0.3), ("chest", 0.0, 0.7, -0.3),
             ("upper_arm", 0.0, 0.35, -0.3)),
    "abdominals": (("lumbar", 0.1, 1.0, 0.55), ("thoracic", 0.0, 0.5, 0.55)),
    "obliques": (("lumbar", 0.1, 1.0, 0.1), ("thoracic", 0.0, 0.4, 0.1)),
    "chest": (("chest", 0.2, 1.0, 0.55),),
    "shoulders": (("upper_arm", 0.0, 0.3, 0.0),),
    "neck": (("neck", 0.0, 1.0, 0.0),),
}
TRUNK_PARTS = {"lumbar", "thoracic", "chest", "neck", "head"}
LOOP_STEPS = 8  # drawings from start to end in a loop
LOOP_SECONDS = 5.6


@dataclass(frozen=True)
class Pose:
    """Everything a drawing depends on; plain data, validated by the content model."""

    base: str
    start: Mapping[str, int]
    end: Mapping[str, int]
    view: str = "side"
    props: Mapping[str, str] = field(default_factory=dict)  # kind -> placement, resolved
    rest: Mapping[str, str] | None = None
    mark: tuple[str, ...] = ()  # areas of the main target, hatched on the figure
    mark_side: str = "near"


def resolve_props(base: str, equipment: tuple[str, ...],
                  props: Mapping[str, str]) -> dict[str, str]:
    """Where each piece of equipment goes: the pose's word, else the base's usual place.
    'none' leaves an item out (an alternative, such as a couch instead of a bed).
    Raises ValueError naming the item when it can't be placed."""
    placed = {}
    for kind in equipment:
        how = props.get(kind) or b.BASES[base].props.get(kind)
        if how is None and kind in PLACEMENTS and any(n == 0 for n in
                                                     PLACEMENTS[kind].values()):
            how = next(k for k, n in PLACEMENTS[kind].items() if n == 0)
        if how is None:
            raise ValueError(f"say where the {kind} goes in the drawing, e.g. "
                             f"'props: {{{kind}: {_example(kind)}}}', or "
                             f"'{kind}: none' if the drawing leaves it out")
        if how != "none":
            parse_placement(kind, how)
            placed[kind] = how
    for kind in props:
        if kind not in equipment:
            raise ValueError(f"'{kind}' is not in this stretch's equipment; add it there "
                             "or remove it here")
    return placed


def _example(kind: str) -> str:
    keyword, count = next(iter(PLACEMENTS[kind].items()))
    names = ("near_hand", "near_foot")[:count or 1]
    return " ".join([keyword, *names] if keyword else names)


@dataclass(frozen=True)
class Frame:
    """One drawing's geometry: the placed body and its props."""

    body: Body
    solids: tuple[Solid, ...]


def heights(props: Mapping[str, str]) -> dict[str, float]:
    floor = 1.0 if "mat" in props else 0.0
    return {name: height + floor if name != "bar" else height
            for name, height in b.SURFACES.items()}


def frame(pose: Pose, angles: Mapping[str, float]) -> Frame:
    base = b.BASES[pose.base]
    rest = pose.rest or base.rest
    placed = place(forward(base.turn, angles), rest, heights(pose.props), base_body(pose.base))
    return Frame(placed, tuple(place_props(placed, pose.props, "mat" in pose.props)))


def frames(pose: Pose) -> tuple[Frame, Frame]:
    """The start and end geometry, for drawing and for checking."""
    base = b.BASES[pose.base]
    return (frame(pose, resolve_angles(base, pose.start)),
            frame(pose, resolve_angles(base, pose.end)))


# Projection: the viewer walks `view` degrees round the body from its near side.

@dataclass(frozen=True)
class _Camera:
    """The viewer walks round the body (turn) and may look down on it (tilt)."""

    cos: float
    sin: float
    tilt_cos: float = 1.0
    tilt_sin: float = 0.0
    box: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)  # the picture, in room units

    def xy(self, v: Vec) -> tuple[float, float]:
        """Picture coordinates: x to the right, y down from the picture's top."""
        level_depth = v[0] * self.sin + v[2] * self.cos
        up = v[1] * self.tilt_cos - level_depth * self.tilt_sin
        return (v[0] * self.cos - v[2] * self.sin - self.box[0], self.box[3] - up)

    def depth(self, v: Vec) -> float:
        return v[1] * self.tilt_sin + (v[0] * self.sin + v[2] * self.cos) * self.tilt_cos

    @property
    def size(self) -> tuple[float, float]:
        return self.box[2] - self.box[0], self.box[3] - self.box[1]

    @property
    def level(self) -> bool:
        return self.tilt_sin == 0.0


MARGIN = 3.0
GROUND = 5.0  # floor shown below the floor line


def _floor_patch(geometry: list[Frame]) -> list[Vec]:
    """Corners of the floor under everything, for a camera that looks down."""
    xs = [v[0] for g in geometry for c in g.body.capsules for v in (c.a, c.b)]
    zs = [v[2] for g in geometry for c in g.body.capsules for v in (c.a, c.b)]
    for g in geometry:
        for solid in g.solids:
            xs += [solid.lo[0], solid.hi[0]]
            zs += [solid.lo[2], solid.hi[2]]
    x0, x1, z0, z1 = min(xs) - 8, max(xs) + 8, min(zs) - 8, max(zs) + 8
    return [(x0, 0.0, z0), (x1, 0.0, z0), (x1, 0.0, z1), (x0, 0.0, z1)]


def _limb(bone: tuple[str, str, str, str, float]) -> str:
    part, side = bone[0], bone[1]
    if part in TRUNK_PARTS:
        return "trunk"
    return f"{side}_leg" if part in ("thigh", "shin", "foot") else f"{side}_arm"


# Each point a bone ends at, and the largest radius drawn round it.
ENDS: dict[str, float] = {
    name: max(radius for *_, start, end, radius in BONES if name in (start, end))
    for *_, start, end, _ in BONES for name in (start, end)}

# The figure's limbs, drawn one after another: the trunk with the neck and head, and each
# side's arm and leg, as (name, indexes into BONES).
LIMBS: list[tuple[str, tuple[int, ...]]] = sorted(
    {key: tuple(i for i, bone in enumerate(BONES) if _limb(bone) == key)
     for key in map(_limb, BONES)}.items())

# A point as the camera sees it before framing: its x, how high it is, how near.
Shot = dict[str, tuple[float, float, float]]


def _shoot(cam: _Camera, points: Mapping[str, Vec]) -> Shot:
    """Every bone end seen at once (`xy` and `depth` without the picture's box), so the
    framing and the drawing share one projection of each frame."""
    c, s, tc, ts = cam.cos, cam.sin, cam.tilt_cos, cam.tilt_sin
    shot = {}
    for name in ENDS:
        x, y, z = points[name]
        level = x * s + z * c
        shot[name] = (x * c - z * s, y * tc - level * ts, y * ts + level * tc)
    return shot


def _camera(pose: Pose, geometry: list[Frame]) -> tuple[_Camera, list[Shot]]:
    """A camera whose picture holds every frame, so start and end share one scale; and
    each frame's bone ends as it sees them."""
    turn, tilt = (math.radians(a) for a in b.VIEWS[pose.view])
    cam = _Camera(math.cos(turn), math.sin(turn), math.cos(tilt), math.sin(tilt))
    shots = [_shoot(cam, g.body.points) for g in geometry]
    xs: list[float] = []
    ys: list[float] = []
    for g, shot in zip(geometry, shots, strict=True):
        for name, r in ENDS.items():
            x, up, _ = shot[name]
            xs += (x - r, x + r)
            ys += (up + r, up - r)
        for solid in g.solids:
            for x, y in _seen(cam, solid):
                xs.append(x)
                ys.append(-y + (solid.radius if solid.shape == "rod" else 0.0))
    if not cam.level:
        for c in _floor_patch(geometry):
            x, y = cam.xy(c)
            xs.append(x)
            ys.append(-y)
    left, right = min(xs) - MARGIN - OUTLINE, max(xs) + MARGIN + OUTLINE
    top = max(ys) + MARGIN + OUTLINE
    bottom = -GROUND if cam.level else min(ys) - MARGIN
    return _Camera(cam.cos, cam.sin, cam.tilt_cos, cam.tilt_sin, (left, bottom, right, top)), \
        shots


def _corners(solid: Solid) -> list[Vec]:
    lo, hi = solid.lo, solid.hi
    if solid.shape in ("rod", "line"):
        return [lo, hi]
    return [(x, y, z) for x in (lo[0], hi[0]) for y in (lo[1], hi[1]) for z in (lo[2], hi[2])]


def _seen(cam: _Camera, solid: Solid) -> list[tuple[float, float]]:
    """A solid's corners in the picture (`xy` of each). Seen level, a box's outline is the
    rectangle of its widest corners, so only those four are worked out."""
    if not cam.level or solid.shape in ("rod", "line"):
        return [cam.xy(c) for c in _corners(solid)]
    (x0, y0, z0), (x1, y1, z1) = solid.lo, solid.hi
    c, s, left, top = cam.cos, cam.sin, cam.box[0], cam.box[3]
    across = [x0 * c - z0 * s - left, x0 * c - z1 * s - left, x1 * c - z0 * s - left,
              x1 * c - z1 * s - left]
    return [(x, y) for x in (min(across), max(across)) for y in (top - y0, top - y1)]


def _hull(pts: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Convex hull (monotone chain), counter-clockwise."""
    pts = sorted(set(pts))
    if len(pts) < 3:
        return pts

    def cross(o, a, c):
        return (a[0] - o[0]) * (c[1] - o[1]) - (a[1] - o[1]) * (c[0] - o[0])

    lower: list[tuple[float, float]] = []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    upper: list[tuple[float, float]] = []
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def _segment(cam: _Camera, a: Vec, b_: Vec, width: float, color: str,
             class_: str | None = None) -> str:
    (x1, y1), (x2, y2) = cam.xy(a), cam.xy(b_)
    if math.hypot(x2 - x1, y2 - y1) < 0.05:
        return el("circle", cx=x1, cy=y1, r=width / 2, fill=color, class_=class_)
    return line(x1, y1, x2, y2, color, width, class_)


_num = functools.lru_cache(maxsize=256)(num)  # for the few widths the parts come in


def _strokes(cam: _Camera, bones: tuple[int, ...], shot: Shot) -> Callable[[str, float],
                                                                          list[str]]:
    """The bones drawn as round strokes: each end placed in the picture and written out
    once, then stroked in any colour and growth (outline, then fill)."""
    left, top = cam.box[0], cam.box[3]
    at: dict[str, tuple[float, float]] = {}
    for i in bones:
        for name in BONES[i][2:4]:
            if name not in at:
                x, up, _ = shot[name]
                at[name] = (x - left, top - up)
    written = {name: (num(x), num(y)) for name, (x, y) in at.items()}
    ends = []
    for i in bones:
        _, _, start, end, radius = BONES[i]
        (x1, y1), (x2, y2) = at[start], at[end]
        ends.append((radius, math.hypot(x2 - x1, y2 - y1) < 0.05, *written[start],
                     *written[end]))

    def stroke(color: str, grow: float) -> list[str]:
        return [f'<circle cx="{x1}" cy="{y1}" fill="{color}" r="{_num(radius + grow)}"/>'
                if dot else f'<line stroke="{color}" stroke-linecap="round" '
                            f'stroke-width="{_num(2 * (radius + grow))}" '
                            f'x1="{x1}" x2="{x2}" y1="{y1}" y2="{y2}"/>'
                for radius, dot, x1, y1, x2, y2 in ends]
    return stroke


def _solid(cam: _Camera, solid: Solid) -> str:
    if solid.shape == "rod":
        return _segment(cam, solid.lo, solid.hi, solid.radius * 2, "#5c5c5c")
    if solid.shape == "line":
        return _segment(cam, solid.lo, solid.hi, solid.radius * 2, "#333333")
    corners = _seen(cam, solid)
    if solid.shape == "blob":
        xs, ys = [c[0] for c in corners], [c[1] for c in corners]
        return el("ellipse", cx=(min(xs) + max(xs)) / 2, cy=(min(ys) + max(ys)) / 2,
                  rx=(max(xs) - min(xs)) / 2, ry=(max(ys) - min(ys)) / 2,
                  fill="#f4f1ea", stroke="#5c5c5c", stroke_width=0.7)
    hull = _hull([(round(x, 3), round(y, 3)) for x, y in corners])
    style = dict(PROP_STYLE)
    if solid.kind in ("mat", "towel"):
        style["fill"] = "#c9d6cf"
    if solid.kind == "wall":
        style["fill"] = "#eeebe4"
    return el("polygon", points=" ".join(f"{num(x)},{num(y)}" for x, y in hull),
              stroke_linejoin="round", **style)


def _band(cam: _Camera, start: Vec, end: Vec, front: Vec, radius: float, t0: float,
          t1: float, offset: float, pattern: str) -> str:
    """A hatched band along part of a bone, from t0 to t1 of its length, moved `offset`
    radii toward its front."""
    a, c = lerp(start, end, t0), lerp(start, end, t1)
    shift = (front[0] * offset * radius, front[1] * offset * radius,
             front[2] * offset * radius)
    a = (a[0] + shift[0], a[1] + shift[1], a[2] + shift[2])
    c = (c[0] + shift[0], c[1] + shift[1], c[2] + shift[2])
    return _segment(cam, a, c, radius * 1.05, f"url(#{pattern})", class_="target")


def _figure(cam: _Camera, pose: Pose, g: Frame, shot: Shot, pattern: str,
            props: Mapping[Solid, str]) -> list[str]:
    """The elements of one drawing, back to front; shot: its bone ends as the camera sees
    them; props: each solid's drawing."""
    out: list[str] = []
    for solid in sorted((s for s in g.solids if not s.front),
                        key=lambda s: (s.kind != "wall", s.kind != "mat",
                                       cam.depth(lerp(s.lo, s.hi, 0.5)))):
        out.append(props[solid])
    bands = [(part, t0, t1, off) for area in pose.mark for part, t0, t1, off in BANDS[area]]
    depth = {key: sum(shot[BONES[i][2]][2] + shot[BONES[i][3]][2] for i in bones) /
             (2 * len(bones)) for key, bones in LIMBS}
    far_side = _far_side(cam, g.body)
    points = g.body.points
    for key, bones in sorted(LIMBS, key=lambda item: (depth[item[0]], item[0])):
        ink, fill = INK["far" if far_side and BONES[bones[0]][1] == far_side else "near"]
        stroke = _strokes(cam, bones, shot)
        plate = _trunk_plate(cam, shot) if key == "trunk" else None
        for color, grow in ((ink, OUTLINE), (fill, 0.0)):
            out += stroke(color, grow)
            if plate:
                out.append(plate(color, grow))
        if key == "trunk":
            nose_a, nose_b = lerp(g.body.points["head"], g.body.points["nose"], 0.78), \
                g.body.points["nose"]
            if cam.depth(g.body.points["nose"]) > cam.depth(g.body.points["head"]) - 3:
                out.append(_segment(cam, nose_a, nose_b, 2.6, ink))
        for i in bones:
            part, side, start, end, radius = BONES[i]
            if side in ("", pose.mark_side):  # the trunk, or the marked side's limbs
                out += [_band(cam, points[start], points[end], g.body.fronts[i], radius, t0, t1,
                              off, pattern) for marked, t0, t1, off in bands if marked == part]
    for solid in (s for s in g.solids if s.front):
        out.append(props[solid])
    return out


def _far_side(cam: _Camera, bd: Body) -> str:
    """The side turned away from the viewer, judged where the limbs join the trunk, so a
    raised arm keeps its side's shade; '' when the viewer faces the body square on."""
    p = bd.points
    near = cam.depth(p["near_hip"]) + cam.depth(p["near_shoulder"])
    far = cam.depth(p["far_hip"]) + cam.depth(p["far_shoulder"])
    if abs(near - far) < 4.0:
        return ""
    return "far" if far < near else "near"


def _trunk_plate(cam: _Camera, shot: Shot) -> Callable[[str, float], str]:
    """The trunk's breadth between the shoulders and hips, seen from the front or back."""
    left, top = cam.box[0], cam.box[3]
    corners = " ".join(f"{num(x)},{num(y)}" for x, y in _hull([
        (round(x - left, 3), round(top - up, 3)) for x, up, _ in (
            shot[name] for name in ("near_hip", "far_hip", "near_shoulder", "far_shoulder",
                                    "waist", "midback"))]))

    def plate(color: str, grow: float) -> str:  # el("polygon", ...), written out
        return (f'<polygon fill="{color}" points="{corners}" stroke="{color}" '
                f'stroke-linejoin="round" stroke-width="{_num(2 + 2 * grow)}"/>')
    return plate


@functools.cache
def _defs(pattern: str) -> str:
    return el("defs", el("pattern", [
        el("rect", width=4, height=4, fill="#cfe3d8"),
        el("line", x1=0, y1=0, x2=0, y2=4, stroke="#1f5f44", stroke_width=1.6),
    ], id=pattern, width=4, height=4, patternUnits="userSpaceOnUse",
        patternTransform="rotate(45)"))


def _ground(cam: _Camera, geometry: list[Frame]) -> str:
    """The floor: a line seen level, or a patch seen from above."""
    width, height = cam.size
    if not cam.level:
        patch = [cam.xy(c) for c in _floor_patch(geometry)]
        return el("polygon", points=" ".join(f"{num(x)},{num(y)}" for x, y in patch),
                  fill="#f1f1ee", stroke="#9a9a9a", stroke_width=0.6, stroke_linejoin="round")
    floor = height - GROUND
    return "".join([
        el("rect", x=0, y=floor, width=width, height=GROUND, fill="#f1f1ee"),
        el("line", x1=0, y1=floor, x2=width, y2=floor, stroke="#6b6b6b", stroke_width=0.9),
    ])


def _svg(cam: _Camera, children: list[str], title: str, extra_class: str = "") -> str:
    width, height = cam.size
    return el("svg", [el("title", text(title)), *children],
              xmlns="http://www.w3.org/2000/svg", viewBox=f"0 0 {num(width)} {num(height)}",
              width=num(width), height=num(height), role="img",
              class_=("pose-figure " + extra_class).strip()) + "\n"


def _smooth(t: float) -> float:
    return t * t * (3 - 2 * t)


def draw(pose: Pose, titles: Mapping[str, str], loop: bool = False,
         id_prefix: str = "pose") -> dict[str, str]:
    """SVG text of the start and end drawings, and of a loop between them if asked.

    titles: 'start', 'end' (and 'loop') -> the drawing's text alternative.
    """
    base = b.BASES[pose.base]
    a0, a1 = resolve_angles(base, pose.start), resolve_angles(base, pose.end)
    between = [_smooth(i / LOOP_STEPS) for i in range(1, LOOP_STEPS)] if loop else []
    geometry = [frame(pose, angles) for angles in
                (a0, *({k: a0[k] + (a1[k] - a0[k]) * t for k in a0} for t in between), a1)]
    cam, shots = _camera(pose, geometry)
    pattern = f"{id_prefix}-target"
    props: dict[Solid, str] = {}  # most props are where they were in the other frames
    for g in geometry:
        for solid in g.solids:
            if solid not in props:
                props[solid] = _solid(cam, solid)
    out = {}
    ground = _ground(cam, geometry)
    for name, index in (("start", 0), ("end", -1)):
        out[name] = _svg(cam, [_defs(pattern), ground,
                               *_figure(cam, pose, geometry[index], shots[index], pattern,
                                        props)],
                         titles[name])
    if loop:
        sequence = [*range(LOOP_STEPS + 1), *range(LOOP_STEPS - 1, 0, -1)]
        share = 100 / len(sequence)
        style = (".f{opacity:0;animation:pose " + num(LOOP_SECONDS) + "s infinite "
                 "step-end}@keyframes pose{0%{opacity:1}" + num(share) + "%{opacity:0}"
                 "100%{opacity:0}}"
                 "@media (prefers-reduced-motion:reduce){.f{animation:none}.f0{opacity:1}}")
        style += "".join(f".f{slot}{{animation-delay:{num(slot * LOOP_SECONDS / len(sequence))}s}}"
                         for slot in range(1, len(sequence)))
        groups = [el("g", _figure(cam, pose, geometry[index], shots[index], pattern, props),
                     class_=f"f f{slot}")
                  for slot, index in enumerate(sequence)]
        out["loop"] = _svg(cam, [el("style", style), _defs(pattern), ground, *groups],
                           titles["loop"], "pose-loop")
    return out


# Checks: what a physical therapist would see at once is wrong with a drawing.

FLOOR_SLACK = 0.6  # a part may press this far into the floor (skin is soft)
PROP_SLACK = 1.5  # ... or into a prop it rests on
PART_NAMES = {"upper_arm": "upper arm", "lumbar": "lower back", "thoracic": "mid back",
              "chest": "upper back"}


def _part_name(cap: Capsule) -> str:
    name = PART_NAMES.get(cap.part, cap.part)
    return f"{cap.side} {name}" if cap.side else name


def _samples(cap: Capsule, step: float = 2.0) -> list[Vec]:
    length = math.dist(cap.a, cap.b)
    count = max(1, math.ceil(length / step))
    return [lerp(cap.a, cap.b, i / count) for i in range(count + 1)]


def _inside(solid: Solid, point: Vec, radius: float) -> float:
    """How deep a ball at point reaches into the solid (0 when clear)."""
    if solid.shape == "box":
        nearest = tuple(min(max(point[i], solid.lo[i]), solid.hi[i]) for i in range(3))
        gap = math.dist(point, nearest)
        if gap == 0.0:  # the centre is inside the box
            return radius + min(min(point[i] - solid.lo[i], solid.hi[i] - point[i])
                                for i in range(3))
        return max(0.0, radius - gap)
    if solid.shape == "rod":
        ab = _sub(solid.hi, solid.lo)
        length2 = sum(c * c for c in ab) or 1.0
        t = min(1.0, max(0.0, sum(c * d for c, d in zip(_sub(point, solid.lo), ab,
                                                        strict=True)) / length2))
        gap = math.dist(point, lerp(solid.lo, solid.hi, t))
        return max(0.0, radius + solid.radius - gap)
    return 0.0


def _sub(a: Vec, c: Vec) -> Vec:
    return (a[0] - c[0], a[1] - c[1], a[2] - c[2])


def _overlap(solid: Solid, low: tuple[float, ...], high: tuple[float, ...]) -> bool:
    """Whether the solid's bounding box meets the box low..high (a quick first test)."""
    grow = solid.radius + PROP_SLACK
    return all(min(solid.lo[i], solid.hi[i]) - grow <= high[i] and
               low[i] <= max(solid.lo[i], solid.hi[i]) + grow for i in range(3))


def check(pose: Pose) -> list[str]:
    """Every fault of the two drawings: parts below the floor or inside a prop.
    Distances are given in centimetres."""
    problems = []
    floor = heights(pose.props)["floor"]
    pair = frames(pose)
    for name, g in zip(("start", "end"), pair, strict=True):
        for cap in g.body.capsules:
            low = min(cap.a[1], cap.b[1]) - cap.radius
            if low < floor - FLOOR_SLACK:
                problems.append(f"{name}: the {_part_name(cap)} is "
                                f"{_cm(floor - low)} below the floor")
            low_corner = tuple(min(cap.a[i], cap.b[i]) - cap.radius for i in range(3))
            high_corner = tuple(max(cap.a[i], cap.b[i]) + cap.radius for i in range(3))
            for solid in g.solids:
                if not solid.rigid or not _overlap(solid, low_corner, high_corner):
                    continue
                depth = max(_inside(solid, p, cap.radius) for p in _samples(cap))
                if depth > PROP_SLACK:
                    problems.append(f"{name}: the {_part_name(cap)} is {_cm(depth)} "
                                    f"inside the {solid.kind}")
    return sorted(set(problems))


def _cm(units: float) -> str:
    return f"{max(1, round(units * 1.7))} cm"
