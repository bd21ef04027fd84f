"""Forward kinematics: joint angles in, the body's points in the room out.

`forward` walks the skeleton once, from the pelvis out to the head, hands and
feet; `place` then turns and moves the whole body so the points it rests on
lie on their surfaces. Both are pure functions of plain data.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple

from . import body as b

Vec = tuple[float, float, float]
Mat = tuple[Vec, Vec, Vec]

IDENTITY: Mat = ((1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0))


@functools.lru_cache(maxsize=4096)  # poses use whole degrees: a few hundred turns in all
def rot(axis: str, degrees: float) -> Mat:
    """Rotation about a body axis, counter-clockwise seen from the axis' positive end."""
    c, s = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    if axis == "x":
        return ((1.0, 0.0, 0.0), (0.0, c, -s), (0.0, s, c))
    if axis == "y":
        return ((c, 0.0, s), (0.0, 1.0, 0.0), (-s, 0.0, c))
    return ((c, -s, 0.0), (s, c, 0.0), (0.0, 0.0, 1.0))


def mul(a: Mat, m: Mat) -> Mat:
    (a0, a1, a2), (b0, b1, b2), (c0, c1, c2) = a
    (d0, d1, d2), (e0, e1, e2), (f0, f1, f2) = m
    return ((a0 * d0 + a1 * e0 + a2 * f0, a0 * d1 + a1 * e1 + a2 * f1,
             a0 * d2 + a1 * e2 + a2 * f2),
            (b0 * d0 + b1 * e0 + b2 * f0, b0 * d1 + b1 * e1 + b2 * f1,
             b0 * d2 + b1 * e2 + b2 * f2),
            (c0 * d0 + c1 * e0 + c2 * f0, c0 * d1 + c1 * e1 + c2 * f1,
             c0 * d2 + c1 * e2 + c2 * f2))


def apply(m: Mat, v: Vec) -> Vec:
    (a0, a1, a2), (b0, b1, b2), (c0, c1, c2) = m
    x, y, z = v
    return (a0 * x + a1 * y + a2 * z, b0 * x + b1 * y + b2 * z, c0 * x + c1 * y + c2 * z)


def offset(at: Vec, m: Mat, v: Vec) -> Vec:
    """at + apply(m, v), in one step: the skeleton is walked with it some 30 times."""
    (a0, a1, a2), (b0, b1, b2), (c0, c1, c2) = m
    x, y, z = v
    return (at[0] + (a0 * x + a1 * y + a2 * z), at[1] + (b0 * x + b1 * y + b2 * z),
            at[2] + (c0 * x + c1 * y + c2 * z))


def front(m: Mat) -> Vec:
    """Where a frame's x axis (the front of a part) points: apply(m, (1, 0, 0))."""
    return (m[0][0], m[1][0], m[2][0])


def lerp(a: Vec, b_: Vec, t: float) -> Vec:
    return (a[0] + (b_[0] - a[0]) * t, a[1] + (b_[1] - a[1]) * t, a[2] + (b_[2] - a[2]) * t)


def turned(m: Mat, *turns: tuple[str, float]) -> Mat:
    """m, then each turn in order, about the axes as turned so far."""
    for axis, degrees in turns:
        if degrees:  # most joints rest at zero in most poses: nothing to turn
            m = mul(m, rot(axis, degrees))
    return m


# Every angle the skeleton reads, each side's separately: 'spine', 'near_knee', ...
ANGLES = tuple(f"{side}_{j.name}" if j.sided else j.name
               for j in b.JOINTS for side in (b.SIDES if j.sided else ("",)))


def resolve_angles(base: b.Base, frame: Mapping[str, int]) -> dict[str, float]:
    """Every joint's angle for both sides: the base's, then the frame's; 'knee' sets both
    knees and 'near_knee' one of them."""
    angles = dict.fromkeys(ANGLES, 0.0)
    for source in (base.angles, frame):
        # 'knee' first, so that 'near_knee' in the same place wins
        for name, value in sorted(source.items(), key=lambda item: item[0] in angles):
            if name in angles:
                angles[name] = float(value)
            else:  # a sided joint named without its side: both sides
                for side in b.SIDES:
                    angles[f"{side}_{name}"] = float(value)
    return angles


class Capsule(NamedTuple):
    """A rounded part of the body: a segment from a to b, drawn with this radius.
    (A tuple rather than a dataclass: a drawing makes some 150 of them.)"""

    part: str  # 'thigh', 'lumbar', 'head', ...
    side: str  # 'near', 'far' or '' for the trunk
    a: Vec
    b: Vec
    radius: float
    front: Vec = (1.0, 0.0, 0.0)  # which way the front of this part faces


# The parts drawn, in drawing order: (part, side, the point it runs from, the point it runs
# to, its radius). The head is a ball round one point.
BONES: tuple[tuple[str, str, str, str, float], ...] = (
    ("lumbar", "", "pelvis", "waist", b.WIDTH["lumbar"] / 2),
    ("thoracic", "", "waist", "midback", b.WIDTH["thoracic"] / 2),
    ("chest", "", "midback", "neck_base", b.WIDTH["chest"] / 2),
    ("neck", "", "neck_base", "neck_top", b.WIDTH["neck"] / 2),
    ("head", "", "head", "head", b.HEAD_RADIUS),
    *((part, side, f"{side}_{a}", f"{side}_{z}", b.WIDTH[part] / 2) for side in b.SIDES
      for part, a, z in (("upper_arm", "shoulder", "elbow"), ("forearm", "elbow", "wrist"),
                         ("hand", "wrist", "hand"), ("thigh", "hip", "knee"),
                         ("shin", "knee", "ankle"), ("foot", "sole_back", "sole_front"))),
)

# Where each resting point of the body is, and how thick the body is round it.
CONTACT_AT: dict[str, tuple[str, float]] = {
    "pelvis": ("seat", 8.0),
    "waist": ("waist", max(b.WIDTH["lumbar"], b.WIDTH["thoracic"]) / 2),
    "chest": ("midback", max(b.WIDTH["thoracic"], b.WIDTH["chest"]) / 2),
    "head": ("head", b.HEAD_RADIUS),
    **{f"{side}_{name}": (f"{side}_{point}", radius) for side in b.SIDES
       for name, point, radius in (
           ("heel", "heel", 0.0), ("toe", "toe", 0.0), ("foot", "midfoot", 0.0),
           ("knee", "knee", b.WIDTH["thigh"] / 2), ("ankle", "ankle", b.WIDTH["shin"] / 2),
           ("hip", "hip", 9.0), ("shoulder", "shoulder", 5.0),
           ("elbow", "elbow", b.WIDTH["upper_arm"] / 2),
           ("hand", "palm", b.WIDTH["forearm"] / 2))},
}


@dataclass(frozen=True)
class Body:
    """The body's named points in the room, and which way the front of each bone faces;
    its capsules are made from the two when asked, so moving a body moves only points."""

    points: dict[str, Vec]  # named joints and landmarks
    fronts: tuple[Vec, ...]  # one per bone, in the order of BONES

    @functools.cached_property
    def capsules(self) -> tuple[Capsule, ...]:
        p = self.points
        return tuple(Capsule(part, side, p[a], p[z], radius, front)
                     for (part, side, a, z, radius), front in zip(BONES, self.fronts,
                                                                   strict=True))

    def contact(self, name: str) -> tuple[Vec, float]:
        """A resting point (a name of body.CONTACTS): where it is, and the body's radius
        there."""
        point, radius = CONTACT_AT[name]
        return self.points[point], radius


def forward(turn: tuple[tuple[str, float], ...], angles: Mapping[str, float]) -> Body:
    """Walk the skeleton from the pelvis; the pelvis centre is at the origin."""
    a = angles
    pelvis = turned(IDENTITY, *turn)
    p: dict[str, Vec] = {"pelvis": (0.0, 0.0, 0.0), "seat": apply(pelvis, (-1.0, -2.0, 0.0))}
    fronts: list[Vec] = []

    # The spine, in three parts that share its bending, then the neck and head.
    frame, at = pelvis, p["pelvis"]
    for index, (name, length, share) in enumerate(zip(("waist", "midback", "neck_base"),
                                                      b.SPINE, b.SPINE_SHARE, strict=True)):
        flex = a["spine"] * share[0] + (a["low_back"] if index == 0 else 0.0)
        frame = turned(frame, ("z", -flex), ("x", a["spine_side"] * share[1]),
                       ("y", -a["spine_turn"] * share[2]))
        at = p[name] = offset(at, frame, (0.0, length, 0.0))
        fronts.append(front(frame))
    shoulders = frame
    neck = turned(shoulders, ("z", -a["neck"]))
    p["neck_top"] = offset(at, neck, (0.0, b.NECK, 0.0))
    p["head"] = offset(p["neck_top"], neck, (1.0, b.HEAD_RADIUS - 1.0, 0.0))
    p["nose"] = offset(p["head"], neck, (b.HEAD_RADIUS + 1.2, -0.8, 0.0))
    fronts += (front(neck), (1.0, 0.0, 0.0))

    r = b.WIDTH["foot"] / 2  # the foot is drawn above its sole
    for side, sign in (("near", 1.0), ("far", -1.0)):
        def ang(joint: str, side: str = side) -> float:
            return a[f"{side}_{joint}"]

        # Arm: shoulder, elbow, wrist, fingertips.
        sh = offset(p["neck_base"], shoulders, (0.0, -b.SHOULDER_DROP,
                                                sign * b.SHOULDER_HALF_WIDTH))
        upper = turned(shoulders, ("z", ang("shoulder")), ("x", -sign * ang("shoulder_out")))
        elbow = offset(sh, upper, (0.0, -b.UPPER_ARM, 0.0))
        fore = turned(upper, ("z", ang("elbow")))
        wrist = offset(elbow, fore, (0.0, -b.FOREARM, 0.0))
        hand = turned(fore, ("z", ang("wrist")))
        tip = offset(wrist, hand, (0.0, -b.HAND, 0.0))
        # Leg: hip, knee, ankle, heel and toe on the sole.
        hip = apply(pelvis, (0.0, -b.HIP_DROP, sign * b.HIP_HALF_WIDTH))
        thigh = turned(pelvis, ("z", ang("hip")), ("x", -sign * ang("hip_out")),
                       ("y", -sign * ang("hip_turn")))
        knee = offset(hip, thigh, (0.0, -b.THIGH, 0.0))
        shin = turned(thigh, ("z", -ang("knee")))
        ankle = offset(knee, shin, (0.0, -b.SHIN, 0.0))
        foot = turned(shin, ("z", ang("ankle")))
        heel = offset(ankle, foot, (-b.FOOT_BACK, -b.ANKLE_HEIGHT, 0.0))
        toe = offset(ankle, foot, (b.FOOT_FRONT, -b.ANKLE_HEIGHT, 0.0))
        for name, value in (
                ("shoulder", sh), ("elbow", elbow), ("wrist", wrist), ("hand", tip),
                ("palm", lerp(wrist, tip, 0.5)), ("hip", hip), ("knee", knee),
                ("ankle", ankle), ("heel", heel), ("toe", toe),
                ("midfoot", lerp(heel, toe, 0.5)),
                ("sole_back", offset(ankle, foot, (-b.FOOT_BACK + r, -b.ANKLE_HEIGHT + r, 0.0))),
                ("sole_front", offset(ankle, foot, (b.FOOT_FRONT - r, -b.ANKLE_HEIGHT + r, 0.0)))):
            p[f"{side}_{name}"] = value
        fronts += (front(upper), front(fore), front(hand), front(thigh), front(shin),
                   front(foot))
    return Body(p, tuple(fronts))


def _transform(body: Body, m: Mat, shift: Vec) -> Body:
    (a0, a1, a2), (b0, b1, b2), (c0, c1, c2) = m
    sx, sy, sz = shift
    return Body({k: (a0 * x + a1 * y + a2 * z + sx, b0 * x + b1 * y + b2 * z + sy,
                     c0 * x + c1 * y + c2 * z + sz) for k, (x, y, z) in body.points.items()},
                tuple(apply(m, f) for f in body.fronts))


def place(body: Body, rest: Mapping[str, str], heights: Mapping[str, float],
          base: Body | None = None) -> Body:
    """Tilt the body (about the room's z axis) so its two resting points are at their
    surfaces' heights, then move it there. With one resting point, only move it.

    Two tilts can do it. The one chosen rests a foot on its sole (the ankle above it);
    failing that, keeps the two points in the order they have in `base`, the base
    posture (shins behind the knees); failing that, keeps the trunk as upright.
    """
    (first, surface), *others = rest.items()
    (p1, r1) = body.contact(first)
    y1 = heights[surface] + (r1 if surface != "bar" else 0.0)  # a hand grips round a bar
    m = IDENTITY
    if others:
        second, surface2 = others[0]
        p2, r2 = body.contact(second)
        dx, dy = p2[0] - p1[0], p2[1] - p1[1]
        length = math.hypot(dx, dy)
        rise = heights[surface2] + r2 - y1
        if length > 1e-6 and abs(rise) < length:
            current = math.atan2(dy, dx)
            wanted = math.asin(rise / length)
            m = max((rot("z", math.degrees(turn - current)) for turn in
                     (wanted, math.pi - wanted)),
                    key=lambda tilt: _natural(body, tilt, (first, second), base or body))
    c1 = apply(m, p1)
    return _transform(body, m, (-c1[0], y1 - c1[1], 0.0))


def _natural(body: Body, tilt: Mat, resting: tuple[str, str], base: Body) -> tuple:
    """How natural a tilt is: feet on their soles, the base posture's order of the two
    resting points, then an upright trunk."""
    soles = 0
    for name in resting:
        side, _, part = name.partition("_")
        if part in ("heel", "toe", "foot"):
            ankle, point = apply(tilt, body.points[f"{side}_ankle"]), \
                apply(tilt, body.contact(name)[0])
            soles += ankle[1] > point[1]
    first, second = (apply(tilt, body.contact(n)[0]) for n in resting)
    order = (second[0] >= first[0]) == \
        (base.contact(resting[1])[0][0] >= base.contact(resting[0])[0][0])
    trunk = apply(tilt, (body.points["neck_base"][0] - body.points["pelvis"][0],
                         body.points["neck_base"][1] - body.points["pelvis"][1],
                         body.points["neck_base"][2] - body.points["pelvis"][2]))
    return soles, order, trunk[1]


@functools.cache
def base_body(name: str) -> Body:
    """The base posture itself, as turned, unplaced: the reference for `place`."""
    base = b.BASES[name]
    return forward(base.turn, resolve_angles(base, {}))
