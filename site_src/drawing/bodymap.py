"""The body map: a front and a back outline of an adult body with its muscle areas.

`body_map` turns marks (area id -> "main" / "secondary") and links (area id ->
(href, accessible name)) into one inline `<svg>`. It is a pure function: the same
arguments always give the same text.

The drawing is data. Each view has one outline and a table of regions; every
shape is a list of points in figure coordinates (x from the body's midline,
positive towards the figure's side on the right of the picture, y down from the
top of the head; one head is about 52 units, the figure 7.5 heads tall). A smooth
closed curve (Catmull-Rom, written as cubic Beziers) runs through the points. A
point given as `(x, y, CORNER)` is a sharp corner. Shapes are one of:

- PAIR: one side's points; the other side is the mirror image (two shapes);
- MID: the right half of a shape that straddles the midline, from a point on the
  midline round to another; the left half is mirrored (one shape).

Regions are clipped to the outline, so a region may reach past the body's edge
and still meet it exactly. Later regions in a table are drawn over earlier ones
(piriformis over glutes, psoas over abdominals, quadratus lumborum over lats).

The output, for page CSS and tests:

    <svg class="body-map" role="img|group" aria-label=title viewBox="0 0 400 440">
      <title> (role img only)   <defs> {p}-hatch-main, {p}-dots-secondary patterns,
      {p}-outline-front/back paths, {p}-clip-front/back clip paths
      <g class="body-view body-view-front" data-view="front">   (then the back view)
        <use class="body-fill">   regions   <use class="body-line">   <text>Front</text>
    a region:  <g class="area area-<id> [area-main|area-secondary]" data-area="<id>">
    a linked region:  <a class="area-link" href=... aria-label=...> around that <g>
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from .areas import AREAS, BACK, FRONT
from .svg import el, num, text

VIEWS = (FRONT, BACK)
LEVELS = ("main", "secondary")

VIEWBOX = (0, 0, 400, 440)
_MIDLINE = {FRONT: 100.0, BACK: 300.0}  # x of each figure's midline
_TOP = 12.0  # y of the top of the head
_LABEL_Y = 432.0
_VIEW_LABEL = {FRONT: "Front", BACK: "Back"}

INK = "#1b1b1b"
OUTLINE = "#4a4a4a"
BODY_FILL = "#f1f0ed"
PLAIN_FILL = "#ffffff"
PLAIN_STROKE = "#9a9a9a"
MAIN_FILL = "#1f6f50"
SECONDARY_FILL = "#cfe3d8"

PAIR, MID = "pair", "mid"
CORNER = True

Point = tuple[float, ...]  # (x, y) or (x, y, CORNER)
Shape = tuple[str, tuple[Point, ...]]

# ---------------------------------------------------------------------------
# Outlines: the right half, from the top of the head down the outside of the arm,
# round the hand, up the inside of the arm, down the flank and the outside of the
# leg, round the foot and up the inside of the leg to the crotch.

_HEAD_AND_ARM: tuple[Point, ...] = (
    (0, 0), (10.5, 2), (16.5, 9), (18.5, 20), (18.3, 31), (16, 40), (12.5, 48),
    (12.5, 56), (14.5, 63), (20, 68.5), (30, 72.5), (41, 75.5), (50, 82), (55.5, 95), (57, 113),
    (59, 135), (60.5, 152), (64, 170), (65.5, 188), (65.5, 200),
    (67.5, 212), (67.5, 228), (64.5, 239), (60, 243), (56, 238), (54.5, 226),
    (54.5, 210), (53.5, 196), (49.5, 172), (44.5, 150), (41, 128), (39, 110),
    (37, 99, CORNER),
)
_FLANK_AND_LEG: tuple[Point, ...] = (
    (35.5, 115), (32.5, 135), (30.5, 150), (31.5, 165), (35, 182), (37.5, 200),
    (37.5, 216), (36, 238), (33.5, 260), (31.5, 280), (31, 293), (33, 311),
    (32.5, 331), (29.5, 350), (27, 364),
)
_FOOT = {
    FRONT: ((28, 374), (30, 381.5), (31.5, 387.5), (29.5, 392.5), (21, 394), (15, 392),
            (14.5, 385), (15.5, 374)),
    BACK: ((28, 373), (28.5, 381), (27.5, 388.5), (22.5, 392.5), (17.5, 391), (15.5, 383),
           (15.5, 374)),
}
_INNER_LEG: tuple[Point, ...] = (
    (16.5, 366), (14.5, 350), (11.5, 326), (11, 306), (10.5, 293), (9.5, 280),
    (7.5, 260), (4.5, 238), (2, 220), (0, 211, CORNER),
)
_OUTLINES: dict[str, tuple[Point, ...]] = {
    view: _HEAD_AND_ARM + _FLANK_AND_LEG + _FOOT[view] + _INNER_LEG for view in VIEWS
}

# ---------------------------------------------------------------------------
# Regions, in drawing order: area id -> shape, per view.

_FRONT_REGIONS: tuple[tuple[str, Shape], ...] = (
    ("neck", (MID, (
        (0, 47), (8, 49), (14, 53), (14, 62), (24, 69), (27, 73), (14, 75), (0, 77),
    ))),
    ("chest", (PAIR, (
        (1.5, 79), (14, 76.5), (29, 76), (36, 84), (40.5, 95), (38, 104.5), (30, 111),
        (18, 114), (8, 112.5), (1.5, 108),
    ))),
    ("shoulders", (PAIR, (
        (29, 73), (41, 74.5), (51, 81), (57, 94), (58.5, 108), (56, 122), (50.5, 117),
        (45, 104), (39.5, 91.5), (34, 80.5),
    ))),
    ("abdominals", (MID, (
        (0, 115), (8, 115.5), (14.5, 118), (15.5, 136), (14.5, 156), (14, 176),
        (11.5, 192), (6, 203), (0, 206),
    ))),
    ("obliques", (PAIR, (
        (17, 117), (30, 111.5), (37, 117), (35, 135), (31.5, 150), (33, 166), (37, 180),
        (30, 183), (22, 188), (14.5, 195), (14, 176), (15, 155), (16, 132),
    ))),
    ("quadriceps", (PAIR, (
        (15, 222), (24, 218), (33, 212), (36.5, 236), (34.5, 258), (31.5, 276),
        (27, 290), (19.5, 292), (14, 282), (15, 262), (15.5, 240),
    ))),
    ("adductors", (PAIR, (
        (0, 211), (9, 209.5), (13.5, 214), (16, 230), (15.5, 250), (14, 268),
        (12, 284), (7, 266), (2, 244), (-1, 225),
    ))),
    ("hip-flexors", (PAIR, (
        (30, 183), (37, 180), (38.5, 196), (36, 212), (30, 226), (21, 233), (15, 229),
        (12.5, 216), (8.5, 206), (14.5, 195), (22, 188),
    ))),
    ("outer-thigh", (PAIR, (
        (30, 186), (40, 187), (41, 215), (39, 244), (35, 270), (32.5, 289),
        (26.5, 289), (27, 268), (28.5, 245), (29.5, 222), (29, 200),
    ))),
    ("shins", (PAIR, (
        (19.5, 301), (27, 297.5), (32.5, 309), (32.5, 326), (29.5, 346), (25.5, 362),
        (21, 364), (19, 345), (18, 322),
    ))),
    ("psoas", (PAIR, (
        (9, 150), (16, 149), (19, 165), (22, 184), (24.5, 204), (22.5, 216),
        (15.5, 214), (14, 198), (12, 178), (9.5, 162),
    ))),
)

_BACK_REGIONS: tuple[tuple[str, Shape], ...] = (
    ("neck", (MID, (
        (0, 44), (10, 46), (14, 52), (14, 61), (21, 67.5), (26, 72.5), (13, 74), (0, 77),
    ))),
    ("upper-back", (MID, (
        (0, 77), (13, 74), (30, 75), (35.5, 83), (40, 94), (38.5, 103), (30, 110),
        (20, 118), (10, 128), (0, 134),
    ))),
    ("shoulders", (PAIR, (
        (29, 73), (41, 74.5), (51, 81), (57, 94), (58.5, 108), (56, 122), (50.5, 117),
        (45, 105), (40.5, 93), (35, 81.5),
    ))),
    ("lats", (PAIR, (
        (39.5, 99), (36, 115), (33, 135), (30.5, 150), (32, 166), (35, 182), (26, 184),
        (16, 174), (11, 155), (10.5, 140), (12, 128), (20, 118), (30, 110),
    ))),
    ("lower-back", (MID, (
        (0, 134), (10, 128), (11.5, 145), (12, 165), (12, 182), (9, 192), (4, 200),
        (0, 205),
    ))),
    ("quadratus-lumborum", (PAIR, (
        (12, 150), (21, 150), (26, 162), (27, 176), (22, 186), (12, 184),
    ))),
    ("hamstrings", (PAIR, (
        (1, 222), (12, 224), (26, 224), (34, 218), (32.5, 250), (30.5, 270),
        (28, 290), (22, 296), (14, 296), (10, 282), (6, 258), (1, 242),
    ))),
    ("glutes", (PAIR, (
        (1, 210), (4, 200), (10, 190), (21, 186), (33, 187), (37.5, 199), (38.5, 213),
        (35, 225), (27, 232), (15, 234), (5, 231), (0.5, 223),
    ))),
    ("outer-thigh", (PAIR, (
        (30.5, 218), (40, 214), (40, 232), (38, 252), (35, 271), (32.5, 289),
        (26, 289), (26.5, 270), (28, 250), (29.5, 232),
    ))),
    ("calves", (PAIR, (
        (12, 300), (20, 298), (30, 300), (34, 315), (32, 335), (28, 352), (23, 360),
        (17, 358), (13, 345), (11, 320),
    ))),
    ("piriformis", (PAIR, (
        (3.5, 199), (15, 196), (27, 199), (37, 205), (36.5, 213), (26, 208), (14, 206),
        (3, 209),
    ))),
)

# Deep muscles, drawn over the areas above them: dashed, and see-through when unmarked
# so the area underneath still shows its own mark.
_DEEP = frozenset({"psoas", "quadratus-lumborum", "piriformis"})

_REGIONS: dict[str, tuple[tuple[str, Shape], ...]] = {
    FRONT: _FRONT_REGIONS,
    BACK: _BACK_REGIONS,
}

# ---------------------------------------------------------------------------
# Styles, as presentation attributes so the map prints and opens as a file as is.

_PLAIN_STYLE = {"fill": PLAIN_FILL, "stroke": PLAIN_STROKE, "stroke_width": 0.7}
# Unmarked deep areas are see-through, so the mark of the area they lie over shows;
# fill-opacity 0 rather than fill none, so the shape still takes pointer clicks.
_DEEP_PLAIN_STYLE = {**_PLAIN_STYLE, "fill_opacity": 0, "stroke": OUTLINE,
                     "stroke_dasharray": "2.5 1.5"}
# level -> (colour, pattern id suffix, outline style)
_LEVEL_STYLE = {
    "main": (MAIN_FILL, "hatch-main", {"stroke": INK, "stroke_width": 1.3}),
    "secondary": (SECONDARY_FILL, "dots-secondary", {"stroke": OUTLINE, "stroke_width": 0.9}),
}
_ID_PREFIX = re.compile(r"[A-Za-z0-9_-]+")


def _patterns(prefix: str) -> list[str]:
    """Dense diagonal hatch for the main target, sparse dots for the others.

    The patterns are see-through: a region paints its colour first and the pattern
    over it, so PDF viewers show no seams between pattern tiles.
    """
    hatch = el(
        "pattern",
        [
            el("path", d="M2,-1V5", stroke=INK, stroke_width=1.3),
        ],
        id=f"{prefix}-hatch-main", patternUnits="userSpaceOnUse", width=4, height=4,
        patternTransform="rotate(45)",
    )
    dots = el(
        "pattern",
        [
            el("circle", cx=1.5, cy=1.5, r=0.75, fill=INK),
            el("circle", cx=4.5, cy=4.5, r=0.75, fill=INK),
        ],
        id=f"{prefix}-dots-secondary", patternUnits="userSpaceOnUse", width=6, height=6,
    )
    return [hatch, dots]


def swatch(level: str) -> str:
    """A small sample of a level's shading, for a legend beside a map; its pattern is its
    own, so it shows without a map on the page."""
    color, pattern, outline = _LEVEL_STYLE[level]
    prefix = f"key-{level}"
    return el("svg", [
        el("defs", [p for p in _patterns(prefix) if f'id="{prefix}-{pattern}"' in p]),
        el("rect", width=18, height=12, fill=color),
        el("rect", width=18, height=12, fill=f"url(#{prefix}-{pattern})", **outline),
    ], class_="swatch", viewBox="0 0 18 12", aria_hidden="true")


def _place(view: str, pts: Sequence[Point], mirror: bool = False) -> list[Point]:
    """Figure coordinates -> drawing coordinates (corners kept)."""
    sign = -1 if mirror else 1
    return [(_MIDLINE[view] + sign * p[0], _TOP + p[1], *p[2:]) for p in pts]


def _smooth(pts: Sequence[Point]) -> str:
    """A closed Catmull-Rom curve through the points, as cubic Beziers."""
    n = len(pts)
    parts = [f"M{num(pts[0][0])},{num(pts[0][1])}"]
    for i in range(n):
        p0, p1, p2, p3 = pts[i - 1], pts[i], pts[(i + 1) % n], pts[(i + 2) % n]
        c1 = p1 if p1[2:] else (p1[0] + (p2[0] - p0[0]) / 6, p1[1] + (p2[1] - p0[1]) / 6)
        c2 = p2 if p2[2:] else (p2[0] - (p3[0] - p1[0]) / 6, p2[1] - (p3[1] - p1[1]) / 6)
        parts.append(
            f"C{num(c1[0])},{num(c1[1])} {num(c2[0])},{num(c2[1])} {num(p2[0])},{num(p2[1])}"
        )
    return "".join(parts) + "Z"


def _outlines(view: str, shape: Shape) -> list[str]:
    """The path data for a shape: two mirrored paths for a PAIR, one for a MID."""
    kind, pts = shape
    if kind == PAIR:
        return [_smooth(_place(view, pts)), _smooth(_place(view, pts, mirror=True)[::-1])]
    return [_body(view, pts)]


def _body(view: str, half: Sequence[Point]) -> str:
    """One closed path from a right half that starts and ends on the midline."""
    return _smooth(_place(view, half) + _place(view, half[1:-1], mirror=True)[::-1])


def _region(view: str, area: str, shape: Shape, level: str | None, prefix: str) -> str:
    paths = _outlines(view, shape)
    if level:
        colour, pattern, style = _LEVEL_STYLE[level]
        shapes = [el("path", d=d, fill=colour, stroke="none") for d in paths]
        shapes += [el("path", d=d, fill=f"url(#{prefix}-{pattern})") for d in paths]
    else:
        style = _DEEP_PLAIN_STYLE if area in _DEEP else _PLAIN_STYLE
        shapes = [el("path", d=d) for d in paths]
    classes = f"area area-{area}" + (f" area-{level}" if level else "")
    return el(
        "g", shapes, class_=classes, data_area=area, clip_path=f"url(#{prefix}-clip-{view})",
        stroke_linejoin="round", **style,
    )


def _view(view: str, marks: Mapping[str, str], links: Mapping[str, tuple[str, str]],
          prefix: str) -> str:
    body = f"#{prefix}-outline-{view}"
    regions = []
    for area, shape in _REGIONS[view]:
        region = _region(view, area, shape, marks.get(area), prefix)
        if area in links:
            href, name = links[area]
            region = el("a", region, href=href, aria_label=name, class_="area-link")
        regions.append(region)
    label = el(
        "text", text(_VIEW_LABEL[view]), x=_MIDLINE[view], y=_LABEL_Y, fill=INK,
        font_family="system-ui, sans-serif", font_size=15, text_anchor="middle",
        aria_hidden="true",
    )
    return el(
        "g",
        [
            el("use", href=body, class_="body-fill", fill=BODY_FILL),
            *regions,
            el("use", href=body, class_="body-line", fill="none", stroke=OUTLINE,
               stroke_width=1.4, stroke_linejoin="round", pointer_events="none"),
            label,
        ],
        class_=f"body-view body-view-{view}", data_view=view,
        role="group" if links else None, aria_label=_VIEW_LABEL[view] if links else None,
    )


def _check(kind: str, ids: Mapping[str, object]) -> None:
    unknown = sorted(set(ids) - set(AREAS))
    if unknown:
        raise ValueError(
            f"unknown body map area(s) in {kind}: {', '.join(unknown)}; "
            f"known areas: {', '.join(sorted(AREAS))}"
        )


def body_map(marks: Mapping[str, str] | None = None,
             links: Mapping[str, tuple[str, str]] | None = None,
             *, title: str, id_prefix: str) -> str:
    """marks: area id -> "main" or "secondary" (other areas drawn plain).
    links: area id -> (href, accessible name); those regions become <a> links.
    title: the text alternative (an <svg role="img"> gets <title>; with links, use
    role="group" or no role and aria-label=title so the links stay reachable).
    id_prefix: prefix for every id inside (pattern ids), so several maps can be
    inlined on one HTML page without id clashes.
    Raises ValueError for an unknown area id in marks or links."""
    marks = marks or {}
    links = links or {}
    _check("marks", marks)
    _check("links", links)
    bad = sorted(f"{area}: {level!r}" for area, level in marks.items() if level not in LEVELS)
    if bad:
        raise ValueError(f"body map marks must be 'main' or 'secondary': {', '.join(bad)}")
    if not _ID_PREFIX.fullmatch(id_prefix):
        raise ValueError(f"body map id_prefix must be letters, digits, - or _: {id_prefix!r}")

    # each outline once; the view draws it twice (fill under the regions, line over
    # them) and clips its regions to it
    outlines = []
    for view in VIEWS:
        outline = f"{id_prefix}-outline-{view}"
        outlines.append(el("path", d=_body(view, _OUTLINES[view]), id=outline))
        outlines.append(el("clipPath", el("use", href=f"#{outline}"),
                           id=f"{id_prefix}-clip-{view}"))
    children = [] if links else [el("title", text(title))]
    children.append(el("defs", _patterns(id_prefix) + outlines))
    children += [_view(view, marks, links, id_prefix) for view in VIEWS]
    return el(
        "svg", children,
        xmlns="http://www.w3.org/2000/svg", viewBox=" ".join(str(v) for v in VIEWBOX),
        class_="body-map", role="group" if links else "img", aria_label=title,
    )
