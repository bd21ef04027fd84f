"""Props: equipment drawn where the body meets it, as simple solids in the room.

Each prop kind has a few placements, written in a pose as a short phrase:
`chair: seat` (or `edge`), `bed: under far_knee far_elbow`, `strap: near_hand near_foot`,
`pillow: under head`, `ball: between near_knee far_knee`, `wall: near_hand`.
A placement is computed from the placed body, so the prop sits under, between
or against the body points it names.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .body import CONTACTS, SURFACES
from .kinematics import Body, Vec, lerp

MAT_THICKNESS = 1.0
CHAIR_BACK_TOP = 50.0


@dataclass(frozen=True)
class Solid:
    """One piece of a prop. 'box': corners lo and hi; 'rod': a round bar from lo to hi
    with a radius; 'line': a strap through the points; 'blob': a soft cushion, an
    ellipsoid centred between lo and hi."""

    kind: str
    shape: str
    lo: Vec
    hi: Vec
    radius: float = 0.0
    rigid: bool = True  # the body must not pass through it
    front: bool = False  # drawn over the body (a strap in the hands)


# kind -> placement keyword -> how many body points it names (None: any number, at least 1)
PLACEMENTS: dict[str, dict[str, int | None]] = {
    "chair": {"seat": 0, "edge": 0, "hands": 0, "beside": 0},
    "table": {"hands": 0},
    "bed": {"under": None}, "couch": {"under": None}, "cushions": {"under": None},
    "step": {"under": None}, "block": {"under": None},
    "bar": {"hands": 0, "beside": 0},
    "wall": {"": 1, "beside": 0},
    "strap": {"": 2},
    "pillow": {"under": 1, "between": 2},
    "towel": {"under": 1},
    "ball": {"between": 2},
    "foam-roller": {"under": 1},
    "mat": {"": 0},
}


def parse_placement(kind: str, text: str) -> tuple[str, tuple[str, ...]]:
    """'under far_knee far_elbow' -> ('under', ('far_knee', 'far_elbow')); ValueError with
    a message an author can act on."""
    words = text.split()
    choices = PLACEMENTS[kind]
    keyword = words[0] if words and words[0] in choices else ""
    names = tuple(words[1:] if keyword else words)
    if keyword not in choices:
        shown = ", ".join(f"'{k} ...'" if n else f"'{k}'" for k, n in choices.items() if k)
        raise ValueError(f"'{text}' is not a way to place a {kind}; use {shown}")
    expected = choices[keyword]
    for name in names:
        if name not in CONTACTS:
            raise ValueError(f"'{name}' is not a body point; use one of: {', '.join(CONTACTS)}")
    if expected is None and not names:
        raise ValueError(f"say which body points the {kind} is under, "
                         f"e.g. '{keyword} pelvis'")
    if expected is not None and len(names) != expected:
        what = "no body point" if expected == 0 else f"{expected} body point" + \
            ("s" if expected > 1 else "")
        example = {"wall": "near_hand", "strap": "near_hand near_foot"}.get(kind, "")
        raise ValueError(f"a {kind} placed '{keyword or text}' takes {what}"
                         + (f", e.g. '{example}'" if example else ""))
    return keyword, names


def _box(kind: str, x: tuple[float, float], y: tuple[float, float],
         z: tuple[float, float], rigid: bool = True) -> Solid:
    return Solid(kind, "box", (min(x), min(y), min(z)), (max(x), max(y), max(z)), rigid=rigid)


def _span(body: Body, names: tuple[str, ...], margin: float) -> tuple[float, float]:
    xs = [body.contact(n)[0][0] for n in names]
    return min(xs) - margin, max(xs) + margin


def _chair(body: Body, how: str, floor: float) -> list[Solid]:
    seat_top = floor + SURFACES["chair"]
    if how == "beside":
        x0, z0 = body.contact("pelvis")[0][0] - 11.0, -32.0
    elif how == "hands":
        hands = [body.contact(f"{s}_hand")[0] for s in ("near", "far")]
        x0 = min(h[0] for h in hands) - 1.0  # the backrest stands just under the hands
        back_top = min(h[1] for h in hands) - 2.2
        z0 = 0.0
        return _chair_parts(x0, seat_top, max(back_top, seat_top + 12.0), z0, facing=1.0)
    elif how == "edge":  # perched on the very front, thighs free to slope down
        x0, z0 = body.contact("pelvis")[0][0] - 21.0, 0.0
    else:  # sitting near the front edge, as the steps ask
        x0, z0 = body.contact("pelvis")[0][0] - 17.0, 0.0
    return _chair_parts(x0, seat_top, floor + CHAIR_BACK_TOP, z0, facing=1.0)


def _chair_parts(x_back: float, seat_top: float, back_top: float, z0: float,
                 facing: float) -> list[Solid]:
    """A plain kitchen chair whose backrest stands at x_back and whose seat reaches
    forward (facing +1) or backward (-1)."""
    depth, half = 23.0, 11.0
    x_front = x_back + facing * depth
    parts = [
        _box("chair", (x_back, x_front), (seat_top - 2.0, seat_top), (z0 - half, z0 + half)),
        _box("chair", (x_back, x_back - facing * 2.0), (seat_top, back_top),
             (z0 - half, z0 + half)),
    ]
    for x in (x_back - facing * 0.5, x_front - facing * 1.5):
        for z in (z0 - half + 1.0, z0 + half - 1.0):
            parts.append(_box("chair", (x - 0.8, x + 0.8), (0.0, seat_top - 2.0),
                              (z - 0.8, z + 0.8)))
    return parts


def place_props(body: Body, props: Mapping[str, str], mat: bool) -> list[Solid]:
    """Solids for every prop, placed against the body. `props` maps kind -> placement."""
    floor = MAT_THICKNESS if mat else 0.0
    solids: list[Solid] = []
    for kind, text in sorted(props.items()):
        how, names = parse_placement(kind, text)
        contact = {n: body.contact(n) for n in names}
        if kind == "chair":
            solids += _chair(body, how, floor)
        elif kind == "table":
            hands = [body.contact(f"{s}_hand")[0] for s in ("near", "far")]
            top = min(h[1] for h in hands) - 2.2
            x0 = max(h[0] for h in hands) - 4.0
            solids.append(_box(kind, (x0, x0 + 30.0), (top - 2.5, top), (-20.0, 20.0)))
            solids += [_box(kind, (x - 0.9, x + 0.9), (0.0, top - 2.5), (-18.0, -16.0))
                       for x in (x0 + 2.0, x0 + 28.0)]
        elif kind in ("bed", "couch", "cushions", "step", "block"):
            top = floor + SURFACES.get(kind, 6.0) if kind != "block" else floor + 6.0
            x = _span(body, names, 12.0)
            far_edge = min(c[2] - r for c, r in contact.values())
            near_edge = max(c[2] + r for c, r in contact.values())
            if kind in ("bed", "couch"):
                z = (min(far_edge, -45.0), near_edge + 1.0)
                solids.append(_box(kind, x, (top - 12.0, top), z))
                solids += [_box(kind, (xx - 1.2, xx + 1.2), (floor, top - 12.0),
                                (near_edge - 2.0, near_edge)) for xx in (x[0] + 2, x[1] - 2)]
            else:
                solids.append(_box(kind, x, (floor, top), (-18.0, 18.0)))
        elif kind == "bar":
            if how == "beside":
                x = body.contact("pelvis")[0][0] + 22.0
                solids.append(Solid(kind, "rod", (x, floor, -26.0), (x, 96.0, -26.0), 1.6))
            else:
                grip = lerp(body.contact("near_hand")[0], body.contact("far_hand")[0], 0.5)
                y = grip[1] + 1.0
                solids.append(Solid(kind, "rod", (grip[0], y, -38.0), (grip[0], y, 38.0), 1.6,
                                    rigid=False))
                solids += [Solid(kind, "rod", (grip[0], floor, z), (grip[0], y, z), 1.6)
                           for z in (-38.0, 38.0)]
        elif kind == "wall":
            if how == "beside":
                x = body.contact("pelvis")[0][0]
                solids.append(_box(kind, (x - 40.0, x + 40.0), (0.0, 125.0), (-34.0, -31.0)))
                continue
            (name,) = names
            c, r = contact[name]
            pelvis = body.contact("pelvis")[0]
            # The wall touches the farthest point of the part (the fingertips, not the palm).
            hands = [cap for cap in body.capsules if name == f"{cap.side}_{cap.part}"]
            reach = [(end, cap.radius) for cap in hands for end in (cap.a, cap.b)] or [(c, r)]
            if abs(c[2] - pelvis[2]) > abs(c[0] - pelvis[0]):
                out = 1.0 if c[2] > pelvis[2] else -1.0
                z = max(out * (p[2] + pr * out) for p, pr in reach) * out
                solids.append(_box(kind, (c[0] - 38.0, c[0] + 38.0), (0.0, 125.0),
                                   (z, z + 3.0 * out)))
            else:
                out = 1.0 if c[0] > pelvis[0] else -1.0
                x = max(out * (p[0] + pr * out) for p, pr in reach) * out
                solids.append(_box(kind, (x, x + 3.0 * out), (0.0, 125.0), (-40.0, 40.0)))
        elif kind == "strap":
            ends = [body.contact(n)[0] for n in names]
            ends = [(e[0], e[1] - (1.5 if n.endswith(("foot", "heel", "toe")) else 0.0), e[2])
                    for e, n in zip(ends, names, strict=True)]
            solids.append(Solid(kind, "line", ends[0], ends[1], 0.9, rigid=False, front=True))
        elif kind in ("pillow", "towel", "foam-roller"):
            if how == "between":
                (c1, r1), (c2, r2) = contact.values()
                mid = lerp(c1, c2, 0.5)
                size = max(2.0, (abs(c1[2] - c2[2]) - r1 - r2) / 2)
                solids.append(Solid(kind, "blob", (mid[0] - 7, mid[1] - 5, mid[2] - size),
                                    (mid[0] + 7, mid[1] + 5, mid[2] + size), rigid=False,
                                    front=True))
                continue
            (c, r), = contact.values()
            below = _surface_below(solids, c, floor)
            bottom = c[1] - r
            if kind == "towel":
                solids.append(_box(kind, (c[0] - 7, c[0] + 7), (below - 0.2, below + 1.2),
                                   (-12, 12), rigid=False))
            elif kind == "foam-roller":
                solids.append(Solid(kind, "rod", (c[0], below + 4, -14), (c[0], below + 4, 14),
                                    4.0))
            else:
                height = max(bottom - below, 3.0)
                solids.append(Solid(kind, "blob", (c[0] - 9, below, c[2] - 8),
                                    (c[0] + 9, below + height + 0.5, c[2] + 8), rigid=False))
        elif kind == "ball":
            (c1, r1), (c2, r2) = contact.values()
            mid = lerp(c1, c2, 0.5)
            gap = max(abs(c1[2] - c2[2]) - r1 - r2, 0.0)
            if gap <= 9.0:  # a ball the knees can hold
                radius = max(gap / 2 + 0.8, 3.0)
                solids.append(Solid(kind, "rod", mid, mid, radius, rigid=False, front=True))
        elif kind == "mat":
            low = [x for cap in body.capsules for x in (cap.a[0], cap.b[0])
                   if min(cap.a[1], cap.b[1]) - cap.radius < floor + 3.0]
            if low:
                solids.append(_box(kind, (min(low) - 8.0, max(low) + 8.0), (0.0, floor),
                                   (-22.0, 22.0), rigid=False))
    return solids


def _surface_below(solids: list[Solid], point: Vec, floor: float) -> float:
    """The top of the highest box under a point (the floor if none)."""
    tops = [s.hi[1] for s in solids if s.shape == "box" and s.rigid
            and s.lo[0] <= point[0] <= s.hi[0] and s.lo[2] <= point[2] <= s.hi[2]
            and s.hi[1] <= point[1]]
    return max([floor, *tops])
