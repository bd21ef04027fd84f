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


def resolve_angles(base: b.Base, frame: Mapping[str, int]) -> dict[str, float]:
    """Every joint's angle for both sides: the base's, then the frame's; 'knee' sets both
    knees and 'near_knee' one of them."""
    angles = {f"{side}_{j.name}" if j.sided else j.name: 0.0
              for j in b.JOINTS for side in (b.SIDES if j.sided else ("",))}
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


@dataclass(frozen=True)
class Body:
    points: dict[str, Vec]  # named joints and landmarks
    capsules: tuple[Capsule, ...]
    contacts: dict[str, tuple[Vec, float]]  # body point -> (centre, radius of the body there)


def forward(turn: tuple[tuple[str, float], ...], angles: Mapping[str, float]) -> Body:
    """Walk the skeleton from the pelvis; the pelvis centre is at the origin."""
    a = angles
    pelvis = turned(IDENTITY, *turn)
    p: dict[str, Vec] = {"pelvis": (0.0, 0.0, 0.0)}
    caps: list[Capsule] = []

    # The spine, in three parts that share its bending, then the neck and head.
    frame, at = pelvis, p["pelvis"]
    names = ("waist", "midback", "neck_base")
    parts = ("lumbar", "thoracic", "chest")
    for index, (length, share) in enumerate(zip(b.SPINE, b.SPINE_SHARE, strict=True)):
        flex = a["spine"] * share[0] + (a["low_back"] if index == 0 else 0.0)
        frame = turned(frame, ("z", -flex), ("x", a["spine_side"] * share[1]),
                       ("y", -a["spine_turn"] * share[2]))
        end = offset(at, frame, (0.0, length, 0.0))
        caps.append(Capsule(parts[index], "", at, end, b.WIDTH[parts[index]] / 2,
                            front(frame)))
        p[names[index]], at = end, end
    shoulders = frame
    neck = turned(shoulders, ("z", -a["neck"]))
    p["neck_top"] = offset(at, neck, (0.0, b.NECK, 0.0))
    p["head"] = offset(p["neck_top"], neck, (1.0, b.HEAD_RADIUS - 1.0, 0.0))
    p["nose"] = offset(p["head"], neck, (b.HEAD_RADIUS + 1.2, -0.8, 0.0))
    caps.append(Capsule("neck", "", p["neck_base"], p["neck_top"], b.WIDTH["neck"] / 2,
                        front(neck)))
    caps.append(Capsule("head", "", p["head"], p["head"], b.HEAD_RADIUS))

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
        r = b.WIDTH["foot"] / 2  # the foot is drawn above its sole
        sole_back = offset(ankle, foot, (-b.FOOT_BACK + r, -b.ANKLE_HEIGHT + r, 0.0))
        sole_front = offset(ankle, foot, (b.FOOT_FRONT - r, -b.ANKLE_HEIGHT + r, 0.0))
        for name, value in (("shoulder", sh), ("elbow", elbow), ("wrist", wrist),
                            ("hand", tip), ("hip", hip), ("knee", knee), ("ankle", ankle),
                            ("heel", heel), ("toe", toe)):
            p[f"{side}_{name}"] = value
        for part, start, end, m in (("upper_arm", sh, elbow, upper),
                                    ("forearm", elbow, wrist, fore),
                                    ("hand", wrist, tip, hand), ("thigh", hip, knee, thigh),
                                    ("shin", knee, ankle, shin),
                                    ("foot", sole_back, sole_front, foot)):
            caps.append(Capsule(part, side, start, end, b.WIDTH[part] / 2,
                                front(m)))

    contacts: dict[str, tuple[Vec, float]] = {
        "pelvis": (apply(pelvis, (-1.0, -2.0, 0.0)), 8.0),
        "waist": (p["waist"], max(b.WIDTH["lumbar"], b.WIDTH["thoracic"]) / 2),
        "chest": (p["midback"], max(b.WIDTH["thoracic"], b.WIDTH["chest"]) / 2),
        "head": (p["head"], b.HEAD_RADIUS),
    }
    for side in b.SIDES:
        contacts.update({
            f"{side}_heel": (p[f"{side}_heel"], 0.0),
            f"{side}_toe": (p[f"{side}_toe"], 0.0),
            f"{side}_foot": (lerp(p[f"{side}_heel"], p[f"{side}_toe"], 0.5), 0.0),
            f"{side}_knee": (p[f"{side}_knee"], b.WIDTH["thigh"] / 2),
            f"{side}_ankle": (p[f"{side}_ankle"], b.WIDTH["shin"] / 2),
            f"{side}_hip": (p[f"{side}_hip"], 9.0),
            f"{side}_shoulder": (p[f"{side}_shoulder"], 5.0),
            f"{side}_elbow": (p[f"{side}_elbow"], b.WIDTH["upper_arm"] / 2),
            f"{side}_hand": (lerp(p[f"{side}_wrist"], p[f"{side}_hand"], 0.5),
                             b.WIDTH["forearm"] / 2),
        })
    return Body(p, tuple(caps), contacts)


def _transform(body: Body, m: Mat, shift: Vec) -> Body:
    (a0, a1, a2), (b0, b1, b2), (c0, c1, c2) = m
    sx, sy, sz = shift

    def move(v: Vec) -> Vec:  # apply(m, v) + shift, written out: a drawing moves ~150 points
        x, y, z = v
        return (a0 * x + a1 * y + a2 * z + sx, b0 * x + b1 * y + b2 * z + sy,
                c0 * x + c1 * y + c2 * z + sz)

    points = {k: move(v) for k, v in body.points.items()}
    # Most capsule ends and contacts are named points too: move those once.
    moved = {id(v): points[k] for k, v in body.points.items()}
    return Body(points,
                tuple(Capsule(c.part, c.side, moved.get(id(c.a)) or move(c.a),
                              moved.get(id(c.b)) or move(c.b), c.radius, apply(m, c.front))
                      for c in body.capsules),
                {k: (moved.get(id(v)) or move(v), r) for k, (v, r) in body.contacts.items()})


def place(body: Body, rest: Mapping[str, str], heights: Mapping[str, float],
          base: Body | None = None) -> Body:
    """Tilt the body (about the room's z axis) so its two resting points are at their
    surfaces' heights, then move it there. With one resting point, only move it.

    Two tilts can do it. The one chosen rests a foot on its sole (the ankle above it);
    failing that, keeps the two points in the order they have in `base`, the base
    posture (shins behind the knees); failing that, keeps the trunk as upright.
    """
    (first, surface), *others = rest.items()
    (p1, r1) = body.contacts[first]
    y1 = heights[surface] + (r1 if surface != "bar" else 0.0)  # a hand grips round a bar
    m = IDENTITY
    if others:
        second, surface2 = others[0]
        p2, r2 = body.contacts[second]
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
                apply(tilt, body.contacts[name][0])
            soles += ankle[1] > point[1]
    first, second = (apply(tilt, body.contacts[n][0]) for n in resting)
    order = (second[0] >= first[0]) == \
        (base.contacts[resting[1]][0][0] >= base.contacts[resting[0]][0][0])
    trunk = apply(tilt, (body.points["neck_base"][0] - body.points["pelvis"][0],
                         body.points["neck_base"][1] - body.points["pelvis"][1],
                         body.points["neck_base"][2] - body.points["pelvis"][2]))
    return soles, order, trunk[1]


@functools.cache
def base_body(name: str) -> Body:
    """The base posture itself, as turned, unplaced: the reference for `place`."""
    base = b.BASES[name]
    return forward(base.turn, resolve_angles(base, {}))
