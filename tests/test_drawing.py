"""Pose drawings: what a physical therapist would check, for every stretch in content/.

The geometry is checked with invariants rather than snapshots: nothing below the
floor or inside a prop, limbs that keep their lengths from start to end, every
mark inside the picture; and the drawings are deterministic.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET

import pytest

from site_src.drawing import body as b
from site_src.drawing.figure import Pose, check, draw, frames
from site_src.drawing.kinematics import forward, resolve_angles
from site_src.pipeline import Settings, build
from tests.conftest import ROOT, TEMPLATES

SLUGS = sorted(p.stem for p in (ROOT / "content/stretches").glob("*.md"))
SVG = "{http://www.w3.org/2000/svg}"
FLOOR_SLACK = 0.6  # skin presses this far into the floor at most
BONES = {  # point pairs a drawing must keep at a fixed distance
    "thigh": ("hip", "knee", b.THIGH),
    "shin": ("knee", "ankle", b.SHIN),
    "upper arm": ("shoulder", "elbow", b.UPPER_ARM),
    "forearm": ("elbow", "wrist", b.FOREARM),
    "hand": ("wrist", "hand", b.HAND),
    "heel": ("ankle", "heel", math.hypot(b.FOOT_BACK, b.ANKLE_HEIGHT)),
    "toe": ("ankle", "toe", math.hypot(b.FOOT_FRONT, b.ANKLE_HEIGHT)),
}
SPINE = (("pelvis", "waist", b.SPINE[0]), ("waist", "midback", b.SPINE[1]),
         ("midback", "neck_base", b.SPINE[2]), ("neck_base", "neck_top", b.NECK))


@pytest.fixture(scope="module")
def real():
    """The real site, built in memory."""
    return build(Settings(content=ROOT / "content", templates=TEMPLATES), write=False)


def drawing_of(report, slug: str) -> Pose:
    meta = report.site.stretches[slug].meta
    assert meta.pose is not None, f"{slug} has no pose"
    areas = tuple(report.site.muscles[meta.muscles[0]].meta.body_map)
    return meta.pose.drawing(tuple(meta.equipment), areas)


def test_every_stretch_has_a_drawing(real):
    assert real.undrawn == ()
    for slug in SLUGS:
        assert f"figures/{slug}-start.svg" in real.files
        assert f"figures/{slug}-end.svg" in real.files


@pytest.mark.parametrize("slug", SLUGS)
def test_drawing_is_physically_possible(real, slug):
    drawing = drawing_of(real, slug)
    floor = 1.0 if "mat" in drawing.props else 0.0
    for name, frame in zip(("start", "end"), frames(drawing), strict=True):
        for cap in frame.body.capsules:
            lowest = min(cap.a[1], cap.b[1]) - cap.radius
            assert lowest >= floor - FLOOR_SLACK, \
                f"{name}: {cap.side} {cap.part} is {floor - lowest:.1f} below the floor"
            for solid in frame.solids:
                if solid.shape != "box" or not solid.rigid:
                    continue
                for i in range(21):  # no point of the part's axis inside a solid prop
                    t = i / 20
                    p = [cap.a[k] + (cap.b[k] - cap.a[k]) * t for k in range(3)]
                    inside = all(solid.lo[k] + 1.0 < p[k] < solid.hi[k] - 1.0 for k in range(3))
                    assert not inside, f"{name}: {cap.side} {cap.part} is inside the " \
                                       f"{solid.kind}"
    assert check(drawing) == []


@pytest.mark.parametrize("slug", SLUGS)
def test_limbs_keep_their_lengths_from_start_to_end(real, slug):
    drawing = drawing_of(real, slug)
    base = b.BASES[drawing.base]
    start, end = resolve_angles(base, drawing.start), resolve_angles(base, drawing.end)
    halfway = {k: (start[k] + end[k]) / 2 for k in start}  # a frame of the loop
    for angles in (start, halfway, end):
        points = forward(base.turn, angles).points
        for side in b.SIDES:
            for bone, (a, c, length) in BONES.items():
                got = math.dist(points[f"{side}_{a}"], points[f"{side}_{c}"])
                assert got == pytest.approx(length, abs=1e-6), f"{side} {bone}"
        for a, c, length in SPINE:
            assert math.dist(points[a], points[c]) == pytest.approx(length, abs=1e-6)
    for frame in frames(drawing):  # and after resting on the floor or a prop
        for side in b.SIDES:
            p = frame.body.points
            assert math.dist(p[f"{side}_hip"], p[f"{side}_knee"]) == pytest.approx(b.THIGH)


def _extent(element: ET.Element) -> list[tuple[float, float, float, float]]:
    """(x, y, reach across x, reach across y) of every point an element inks."""
    tag = element.tag.removeprefix(SVG)
    half = float(element.get("stroke-width", "0")) / 2
    if tag == "line":
        x1, y1, x2, y2 = (float(element.get(k)) for k in ("x1", "y1", "x2", "y2"))
        if element.get("stroke-linecap") == "round":
            return [(x1, y1, half, half), (x2, y2, half, half)]
        length = math.hypot(x2 - x1, y2 - y1) or 1.0  # square ends: ink only across the line
        rx, ry = abs(y2 - y1) / length * half, abs(x2 - x1) / length * half
        return [(x1, y1, rx, ry), (x2, y2, rx, ry)]
    if tag == "circle":
        r = float(element.get("r")) + half
        return [(float(element.get("cx")), float(element.get("cy")), r, r)]
    if tag == "ellipse":
        cx, cy = float(element.get("cx")), float(element.get("cy"))
        rx, ry = float(element.get("rx")), float(element.get("ry"))
        return [(cx, cy, rx + half, ry + half)]
    if tag == "polygon":
        return [(float(x), float(y), half, half) for x, y in
                (pair.split(",") for pair in element.get("points").split())]
    return []


def _drawn(root: ET.Element) -> list[ET.Element]:
    """Every element drawn in the picture (a pattern's tile in <defs> is not)."""
    defs = {id(e) for d in root.iter(f"{SVG}defs") for e in d.iter()}
    return [e for e in root.iter() if id(e) not in defs]


@pytest.mark.parametrize("slug", SLUGS)
def test_drawing_stays_inside_its_picture(real, slug):
    for frame in ("start", "end", "loop"):
        data = real.files.get(f"figures/{slug}-{frame}.svg")
        if data is None:
            continue
        root = ET.fromstring(data)
        _x, _y, width, height = map(float, root.get("viewBox").split())
        drawn = [p for e in _drawn(root) for p in _extent(e)]
        assert len(drawn) > 20
        for x, y, rx, ry in drawn:
            assert x - rx >= -0.01 and x + rx <= width + 0.01, f"{frame}: x {x}"
            assert y - ry >= -0.01 and y + ry <= height + 0.01, f"{frame}: y {y}"


def test_drawings_are_deterministic(real):
    again = build(Settings(content=ROOT / "content", templates=TEMPLATES), write=False)
    figures = {k: v for k, v in real.files.items() if k.startswith("figures/")}
    assert figures == {k: v for k, v in again.files.items() if k.startswith("figures/")}
    assert len(figures) >= 2 * len(SLUGS)


def test_moving_stretches_loop_and_held_ones_do_not(real):
    for slug, entry in real.site.stretches.items():
        loops = f"figures/{slug}-loop.svg" in real.files
        assert loops == (entry.meta.hold_seconds is None), slug


# The figure model on its own: data in, SVG out.

CAT = Pose(base="all-fours", start={"spine": 30, "neck": 35, "hip": 65, "shoulder": 100},
           end={"spine": -25, "neck": -25, "hip": 85, "shoulder": 75}, props={"mat": ""},
           mark=("lower-back",))
TITLES = {"start": "Start of the cat", "end": "The cow", "loop": "Cat to cow"}


def test_far_limbs_are_lighter_and_the_target_is_hatched():
    svg = draw(CAT, TITLES)["end"]
    assert 'stroke="#808080"' in svg  # the far side's outline
    assert 'stroke="#1b1b1b"' in svg  # the near side's
    assert svg.count('class="target"') >= 1
    assert 'stroke="url(#pose-target)"' in svg
    unmarked = draw(Pose(CAT.base, CAT.start, CAT.end, props=CAT.props), TITLES)["end"]
    assert 'class="target"' not in unmarked


def test_seen_square_on_no_side_is_greyed():
    front = draw(Pose(base="standing", start={}, end={"near_shoulder_out": 170}, view="front"),
                 TITLES)
    for svg in front.values():
        assert 'stroke="#808080"' not in svg  # neither side, nor the trunk, is far


def test_drawing_has_its_text_alternative_and_a_private_pattern_id():
    svgs = draw(CAT, TITLES, loop=True, id_prefix="cat")
    assert "<title>The cow</title>" in svgs["end"]
    assert 'id="cat-target"' in svgs["start"]
    assert draw(CAT, TITLES, loop=True, id_prefix="cat") == svgs


def test_loop_steps_between_start_and_end_and_stops_for_reduced_motion():
    loop = draw(CAT, TITLES, loop=True)["loop"]
    frames_drawn = re.findall(r'<g class="f f(\d+)">', loop)
    assert len(frames_drawn) >= 8
    assert "prefers-reduced-motion:reduce" in loop
    assert "animation:none" in loop


def test_check_finds_a_body_through_the_floor_and_into_a_prop():
    sunk = Pose(base="lying-back", start={}, end={"near_hip": -30})
    assert any("below the floor" in fault for fault in check(sunk))
    into_chair = Pose(base="seated-chair", start={}, end={"hip": 20}, props={"chair": "seat"})
    assert any("inside the chair" in fault for fault in check(into_chair))
    assert check(Pose(base="seated-chair", start={}, end={}, props={"chair": "seat"})) == []


def test_side_specific_angles_win_over_both_sides():
    angles = resolve_angles(b.BASES["standing"], {"knee": 30, "near_knee": 60})
    assert (angles["near_knee"], angles["far_knee"]) == (60, 30)
