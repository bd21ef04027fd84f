"""The body map SVG: every area in its views, marks, links, ids, determinism, geometry."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from site_src.drawing.areas import AREAS
from site_src.drawing.bodymap import VIEWS, body_map

NS = "{http://www.w3.org/2000/svg}"
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def draw(**kwargs) -> ET.Element:
    kwargs.setdefault("title", "Body map")
    kwargs.setdefault("id_prefix", "bm")
    return parse(body_map(**kwargs))


def view_group(root: ET.Element, view: str) -> ET.Element:
    (group,) = [g for g in root.iter(f"{NS}g") if g.get("data-view") == view]
    return group


def regions(root: ET.Element) -> list[ET.Element]:
    return [e for e in root.iter() if e.get("data-area")]


def region(root: ET.Element, view: str, area: str) -> ET.Element:
    (found,) = [e for e in view_group(root, view).iter() if e.get("data-area") == area]
    return found


def outline(root: ET.Element, view: str) -> ET.Element:
    """The view's body outline: a path in <defs>, drawn by <use> in the view."""
    (fill,) = [u for u in view_group(root, view).iter(f"{NS}use") if u.get("class") == "body-fill"]
    (path,) = [p for p in root.iter(f"{NS}path") if f"#{p.get('id')}" == fill.get("href")]
    return path


def coords(d: str) -> list[tuple[float, float]]:
    """Every x,y pair in path data made of absolute M/C commands."""
    assert re.fullmatch(r"[MCZ0-9.,\s-]+", d), d
    values = [float(v) for v in NUMBER.findall(d)]
    assert len(values) % 2 == 0
    return list(zip(values[::2], values[1::2], strict=True))


def viewbox(root: ET.Element) -> tuple[float, float, float, float]:
    x, y, w, h = (float(v) for v in root.get("viewBox").split())
    return x, y, w, h


def test_root_element():
    root = draw()
    assert root.tag == f"{NS}svg"
    assert root.get("class") == "body-map"
    assert root.get("width") is None and root.get("height") is None
    _x, _y, w, h = viewbox(root)
    assert w > 0 and h > 0
    assert body_map(title="t", id_prefix="p").startswith('<svg ')
    assert 'xmlns="http://www.w3.org/2000/svg"' in body_map(title="t", id_prefix="p")


def test_every_area_drawn_in_exactly_its_views():
    root = draw()
    for view in VIEWS:
        drawn = [e.get("data-area") for e in view_group(root, view).iter() if e.get("data-area")]
        assert len(drawn) == len(set(drawn)), f"an area drawn twice in {view}"
        expected = {area for area, (_label, views) in AREAS.items() if view in views}
        assert set(drawn) == expected, view
    assert {e.get("data-area") for e in regions(root)} == set(AREAS)


def test_regions_have_classes_and_shapes():
    root = draw()
    for e in regions(root):
        area = e.get("data-area")
        assert e.get("class") == f"area area-{area}"
        assert e.findall(f"{NS}path"), area


def test_symmetric_regions_are_mirrored():
    """Each region is left-right symmetric about its figure's midline."""
    root = draw()
    for view in VIEWS:
        group = view_group(root, view)
        xs = [x for x, _ in coords(outline(root, view).get("d"))]
        mid = (min(xs) + max(xs)) / 2
        for e in group.iter():
            if not e.get("data-area"):
                continue
            pts = [p for path in e.iter(f"{NS}path") for p in coords(path.get("d"))]
            for x, y in pts:
                assert any(
                    abs(2 * mid - x - x2) <= 0.02 and abs(y - y2) <= 0.02 for x2, y2 in pts
                ), (view, e.get("data-area"), x, y)


def test_marks_add_classes_and_patterns():
    marks = {"hamstrings": "main", "glutes": "secondary", "lower-back": "secondary"}
    root = draw(marks=marks, id_prefix="m")
    ids = {e.get("id") for e in root.iter() if e.get("id")}
    assert {"m-hatch-main", "m-dots-secondary"} <= ids
    fills = {}
    for e in regions(root):
        area = e.get("data-area")
        level = marks.get(area)
        classes = e.get("class").split()
        assert classes[:2] == ["area", f"area-{area}"]
        path_fills = {p.get("fill") for p in e.iter(f"{NS}path")}
        fills[area] = path_fills
        if level is None:
            assert "area-main" not in classes and "area-secondary" not in classes
            assert not any(f and f.startswith("url(") for f in path_fills), area
        else:
            assert f"area-{level}" in classes
    assert "url(#m-hatch-main)" in fills["hamstrings"]
    assert "url(#m-dots-secondary)" in fills["glutes"]
    assert "url(#m-dots-secondary)" in fills["lower-back"]
    assert "url(#m-hatch-main)" not in fills["glutes"]


def test_main_and_secondary_differ_in_pattern_and_line_weight():
    root = draw(marks={"quadriceps": "main", "adductors": "secondary"})
    main = region(root, "front", "quadriceps")
    secondary = region(root, "front", "adductors")
    plain = region(root, "front", "shins")
    widths = [float(e.get("stroke-width")) for e in (main, secondary, plain)]
    assert widths[0] > widths[1] > widths[2]
    patterns = {p.get("id"): p for p in root.iter(f"{NS}pattern")}
    hatch = patterns["bm-hatch-main"]
    dots = patterns["bm-dots-secondary"]
    assert hatch.findall(f"{NS}path") and not hatch.findall(f"{NS}circle")
    assert dots.findall(f"{NS}circle") and not dots.findall(f"{NS}path")


def test_no_links_is_an_image_with_a_title():
    root = draw(title="Where the hamstring stretch is felt")
    assert root.get("role") == "img"
    assert root.find(f"{NS}title").text == "Where the hamstring stretch is felt"
    assert root.get("aria-label") == "Where the hamstring stretch is felt"
    assert not list(root.iter(f"{NS}a"))


def test_links_wrap_exactly_the_linked_regions():
    links = {
        "hamstrings": ("/muscles/hamstrings/", "Hamstrings"),
        "neck": ("../neck/?a=1&b=2", 'The "neck" muscles'),
    }
    root = draw(links=links, title="Muscles")
    assert root.get("role") == "group"
    assert root.get("aria-label") == "Muscles"
    anchors = list(root.iter(f"{NS}a"))
    seen = []
    for a in anchors:
        assert a.get("class") == "area-link"
        (inner,) = [e for e in a.iter() if e.get("data-area")]
        area = inner.get("data-area")
        assert (a.get("href"), a.get("aria-label")) == links[area]
        assert inner.findall(f"{NS}path")
        seen.append(area)
    # neck is drawn in both views, so it is linked in both
    assert sorted(seen) == ["hamstrings", "neck", "neck"]
    linked = {id(e) for a in anchors for e in a.iter()}
    unlinked = {e.get("data-area") for e in regions(root) if id(e) not in linked}
    assert unlinked == set(AREAS) - {"hamstrings", "neck"}


def test_every_area_can_be_linked():
    links = {area: (f"/muscles/{area}/", label) for area, (label, _views) in AREAS.items()}
    root = draw(links=links, marks={"glutes": "main"})
    for view in VIEWS:
        for a in view_group(root, view).iter(f"{NS}a"):
            (inner,) = [e for e in a.iter() if e.get("data-area")]
            assert a.get("href") == f"/muscles/{inner.get('data-area')}/"
    assert len(list(root.iter(f"{NS}a"))) == sum(len(views) for _label, views in AREAS.values())
    assert "area-main" in region(root, "back", "glutes").get("class").split()


@pytest.mark.parametrize(
    "kwargs",
    [
        {"marks": {"hamstring": "main"}},
        {"marks": {"chest": "main", "spleen": "secondary"}},
        {"links": {"biceps": ("/muscles/biceps/", "Biceps")}},
        {"marks": {"glutes": "tertiary"}},
        {"marks": {"glutes": "Main"}},
    ],
)
def test_bad_marks_and_links_raise(kwargs):
    with pytest.raises(ValueError):
        body_map(**kwargs, title="t", id_prefix="p")


def test_unknown_area_is_named_in_the_error():
    with pytest.raises(ValueError, match="spleen"):
        body_map({"spleen": "main"}, title="t", id_prefix="p")


@pytest.mark.parametrize("prefix", ["", "has space", 'q"uote', "a#b"])
def test_bad_id_prefix_raises(prefix):
    with pytest.raises(ValueError):
        body_map(title="t", id_prefix=prefix)


def test_deterministic():
    args = ({"psoas": "main", "hip-flexors": "secondary"}, {"psoas": ("/p/", "Psoas")})
    assert body_map(*args, title="x", id_prefix="a") == body_map(*args, title="x", id_prefix="a")
    reordered = (dict(reversed(args[0].items())), args[1])
    assert body_map(*args, title="x", id_prefix="a") == body_map(
        *reordered, title="x", id_prefix="a"
    )


def test_id_prefixes_keep_maps_apart():
    marks = {"calves": "main", "shins": "secondary"}
    maps = [parse(body_map(marks, title="t", id_prefix=p)) for p in ("one", "two")]
    ids = [{e.get("id") for e in m.iter() if e.get("id")} for m in maps]
    assert ids[0] and ids[1]
    assert not ids[0] & ids[1]
    for prefix, m, own in zip(("one", "two"), maps, ids, strict=True):
        assert all(i.startswith(f"{prefix}-") for i in own)
        refs = set()
        for e in m.iter():
            for value in e.attrib.values():
                refs.update(re.findall(r"url\(#([^)]+)\)", value))
            if e.get("href", "").startswith("#"):
                refs.add(e.get("href")[1:])
        assert refs and refs <= own, refs - own


def test_shapes_lie_inside_the_viewbox_and_their_own_half():
    root = draw()
    x0, y0, w, h = viewbox(root)
    for view in VIEWS:
        paths = [*view_group(root, view).iter(f"{NS}path"), outline(root, view)]
        xs = []
        for path in paths:
            for x, y in coords(path.get("d")):
                assert x0 <= x <= x0 + w and y0 <= y <= y0 + h, (view, x, y)
                xs.append(x)
        half = (x0, x0 + w / 2) if view == "front" else (x0 + w / 2, x0 + w)
        assert half[0] <= min(xs) and max(xs) <= half[1], view


def test_view_labels():
    root = draw()
    for view, label in (("front", "Front"), ("back", "Back")):
        texts = [t.text for t in view_group(root, view).iter(f"{NS}text")]
        assert texts == [label]


def test_front_view_is_left_of_back_view():
    root = draw()
    centres = {}
    for view in VIEWS:
        xs = [x for x, _ in coords(outline(root, view).get("d"))]
        centres[view] = (min(xs) + max(xs)) / 2
    assert centres["front"] < centres["back"]


def test_regions_are_clipped_to_the_body():
    root = draw(id_prefix="c")
    clips = {c.get("id"): c for c in root.iter(f"{NS}clipPath")}
    assert set(clips) == {"c-clip-front", "c-clip-back"}
    for view in VIEWS:
        (use,) = clips[f"c-clip-{view}"]
        assert use.get("href") == f"#{outline(root, view).get('id')}"
        for e in view_group(root, view).iter():
            if e.get("data-area"):
                assert e.get("clip-path") == f"url(#c-clip-{view})"
