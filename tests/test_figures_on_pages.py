"""Drawings and body maps where a reader meets them: stretch, routine, worksheet and muscle
pages, built from the real content."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from site_src.pipeline import Settings, build
from tests.conftest import ROOT, TEMPLATES

BASE = "https://example.org/limber/"


class _Images(HTMLParser):
    """Every <img> (with the class of its nearest ancestor that has one) and every <a>
    inside an svg."""

    def __init__(self) -> None:
        super().__init__()
        self.images: list[dict[str, str]] = []
        self.map_links: list[dict[str, str]] = []
        self.stack: list[str] = []
        self.in_svg = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "svg":
            self.in_svg += 1
        if tag == "img":
            self.images.append({**attrs, "within": " ".join(self.stack)})
        if tag == "a" and self.in_svg:
            self.map_links.append(attrs)
        if tag not in ("img", "br", "meta", "link", "input", "rect", "path", "use", "line",
                       "circle", "polygon", "ellipse", "stop"):
            self.stack.append(attrs.get("class") or "")

    def handle_endtag(self, tag):
        if tag == "svg":
            self.in_svg -= 1
        if tag not in ("img", "br", "meta", "link", "input") and self.stack:
            self.stack.pop()


def parse(html: bytes) -> _Images:
    parser = _Images()
    parser.feed(html.decode())
    return parser


@pytest.fixture(scope="module")
def site():
    return build(Settings(content=ROOT / "content", templates=TEMPLATES, base_url=BASE),
                 write=False)


def figures_in(page: _Images) -> list[dict[str, str]]:
    return [img for img in page.images if "/figures/" in img["src"]]


def test_every_stretch_page_shows_start_and_stretch_with_text_alternatives(site):
    for slug, entry in site.site.stretches.items():
        page = parse(site.files[f"stretches/{slug}/index.html"])
        shown = [img for img in figures_in(page) if "pose-frame" in img["within"]]
        assert [img["src"] for img in shown] == [f"/limber/figures/{slug}-start.svg",
                                                 f"/limber/figures/{slug}-end.svg"], slug
        for img in shown:
            assert img["alt"].startswith(entry.meta.title + ", "), img["alt"]
            assert int(img["width"]) > 20 and int(img["height"]) > 20
        assert "start:" in shown[0]["alt"] and "stretch:" in shown[1]["alt"]
        label = {"seated-chair": "sitting on a chair", "lying-back": "lying on the back",
                 "all-fours": "on hands and knees"}.get(entry.meta.pose.base)
        if label:
            assert label in shown[0]["alt"], shown[0]["alt"]


def test_the_text_alternative_says_what_moves(site):
    page = parse(site.files["stretches/knee-to-chest/index.html"])
    stretch = figures_in(page)[1]["alt"]
    assert "lying on the back" in stretch
    assert "one thigh lifts forward" in stretch


def test_moving_stretches_show_a_loop_that_reduced_motion_hides(site):
    page = parse(site.files["stretches/cat-cow/index.html"])
    loops = [img for img in figures_in(page) if "pose-loop" in img["within"]]
    assert [img["src"] for img in loops] == ["/limber/figures/cat-cow-loop.svg"]
    assert "moving slowly between the start and the stretch" in loops[0]["alt"]
    held = parse(site.files["stretches/childs-pose/index.html"])
    assert not [img for img in figures_in(held) if "pose-loop" in img["within"]]
    css = site.files["static/style.css"].decode()
    assert "@media (prefers-reduced-motion: reduce) { .pose-loop { display: none; } }" in css


def test_routine_pages_and_worksheet_cards_show_each_steps_drawings(site):
    for slug, entry in site.site.routines.items():
        steps = [step.stretch for step in entry.meta.steps]
        for route in (f"routines/{slug}/index.html", f"worksheets/{slug}/index.html"):
            shown = figures_in(parse(site.files[route]))
            wanted = [f"/limber/figures/{s}-{frame}.svg" for s in steps
                      for frame in ("start", "end")]
            assert [img["src"] for img in shown] == wanted, route
            assert all(img["alt"] for img in shown)
        cards = [img for img in figures_in(parse(site.files[f"worksheets/{slug}/index.html"]))
                 if "ws-card" in img["within"]]
        assert len(cards) == 2 * len(steps)


def test_build_your_own_worksheet_cards_carry_drawings(site):
    for slug in site.site.stretches:  # each card the sheet fetches, and its player's step
        fetched = json.loads(site.files[f"worksheets/custom/{slug}.json"])
        shown = figures_in(parse(fetched["card"].encode()))
        wanted = [f"/limber/figures/{slug}-{frame}.svg" for frame in ("start", "end")]
        assert [img["src"] for img in shown] == wanted
        assert all(img["alt"] for img in shown)
        assert [figure["src"] for figure in fetched["play"]["figures"]] == wanted


def body_map_of(site, route: str) -> tuple[str, str]:
    """The body map a page shows: the SVG of the file it points at, and its text alternative."""
    page = site.files[f"{route}index.html"].decode()
    img = re.search(r'<img class="body-map" src="/limber/([^"]+)" alt="([^"]+)"', page)
    assert img, route
    return site.files[img.group(1)].decode(), img.group(2)


def test_stretch_page_body_map_marks_main_and_secondary_areas(site):
    svg, alt = body_map_of(site, "stretches/passive-hang/")
    assert 'class="area area-lats area-main"' in svg
    assert alt.startswith("Body map: the latissimus dorsi marked as the main target")
    html = site.files["stretches/passive-hang/index.html"].decode()
    assert 'Main target<span class="legend-names">: Latissimus dorsi</span>' in html
    entry = site.site.stretches["passive-hang"]
    others = [*entry.meta.muscles[1:], *entry.meta.secondary_muscles]
    for muscle_id in others:
        area = site.site.muscles[muscle_id].meta.body_map[0]
        assert f'class="area area-{area} area-secondary"' in svg
    assert len(others) >= 2
    assert 'Also stretched<span class="legend-names">: ' in html


def test_muscle_page_marks_its_own_areas(site):
    svg, alt = body_map_of(site, "muscles/erector-spinae/")
    assert 'class="area area-lower-back area-main"' in svg
    assert 'class="area area-upper-back area-main"' in svg
    assert "area-secondary" not in svg
    assert "erector spinae" in alt


def test_pages_that_mark_the_same_areas_share_one_map_file(site):
    maps = {body_map_of(site, entry.route)[0] for entry in site.site.stretches.values()}
    files = [path for path in site.files if path.startswith("figures/map-")]
    assert len(files) == len(set(files)) and len(maps) < len(site.site.stretches)
    for path in files:
        assert site.files[path].startswith(b"<svg ") and b"<title>Body map: " in site.files[path]


def test_muscles_index_map_links_every_muscle_that_has_stretches(site):
    page = parse(site.files["muscles/index.html"])
    linked = {link["href"] for link in page.map_links}
    wanted = {f"/limber/muscles/{slug}/" for slug in site.site.muscles
              if site.site.primary[slug] or site.site.secondary[slug]}
    assert wanted and linked == wanted
    for link in page.map_links:
        assert link["aria-label"].split(":")[0] in {m.meta.name for m in
                                                     site.site.muscles.values()}
    html = site.files["muscles/index.html"].decode()
    assert 'class="regions"' in html  # the grouped list stays as the text equivalent
