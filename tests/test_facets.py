"""Ways to find a stretch: facet pages, equipment alternatives, and the links between pages.

The facet tests work out from content/'s own front-matter which stretch belongs on
which page, independently of the build's code, and compare with the built pages.
"""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import pytest
import yaml

from site_src import facets, urls
from site_src.frontmatter import split
from site_src.models import DIFFICULTIES, EQUIPMENT, POSITIONS, REGIONS
from site_src.pipeline import Settings, build
from tests.conftest import ROOT, TEMPLATES
from tests.test_pages import section, text_of

CONTENT = ROOT / "content"


def _front(path: Path) -> dict:
    return yaml.safe_load(split(path.read_text())[0])


def expected_facets() -> dict[str, dict[str, set[str]]]:
    """facet -> value -> the slugs of the stretches whose front-matter puts them there."""
    regions = {p.stem: _front(p)["region"] for p in (CONTENT / "muscles").glob("*.md")}
    out: dict[str, dict[str, set[str]]] = {"positions": {}, "equipment": {}, "difficulty": {},
                                           "regions": {}}
    for path in (CONTENT / "stretches").glob("*.md"):
        meta, slug = _front(path), path.stem
        items = [item for need in meta.get("equipment", []) for item in need.split(" or ")]
        out["positions"].setdefault(meta["position"], set()).add(slug)
        if meta["position"] == "standing" or (meta["position"] == "seated" and "chair" in items):
            out["positions"].setdefault("off-the-floor", set()).add(slug)
        for item in items or ["none"]:
            out["equipment"].setdefault(item, set()).add(slug)
        out["difficulty"].setdefault(meta["difficulty"], set()).add(slug)
        for muscle in meta["muscles"] + meta.get("secondary_muscles", []):
            out["regions"].setdefault(regions[muscle], set()).add(slug)
    return out


def listed(html: str, prefix: str) -> list[str]:
    """The slugs of the stretch cards on a page, in order."""
    return re.findall(r'<li class="card stretch-card"[^>]*>\s*(?:<img[^>]*>\s*)?'
                      r'<div class="card-text">\s*<h[23]><a href="' + re.escape(prefix)
                      + r'stretches/([a-z0-9-]+)/"', html)


@pytest.fixture(scope="module", params=["https://example.org/limber/", "https://example.org/"],
                ids=["subpath", "root"])
def real_site(request, tmp_path_factory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("facets") / "site"
    build(Settings(content=CONTENT, templates=TEMPLATES, out=out, base_url=request.param))
    return out, re.sub(r"^https://[^/]+", "", request.param)


def test_every_facet_page_lists_exactly_its_stretches(real_site):
    out, prefix = real_site
    expected = expected_facets()
    vocab = {"positions": (*POSITIONS, "off-the-floor"), "equipment": ("none", *EQUIPMENT),
             "difficulty": DIFFICULTIES, "regions": REGIONS}
    for facet, values in expected.items():
        built = sorted(p.name for p in (out / facet).iterdir() if p.is_dir())
        assert built == sorted(values), f"/{facet}/ has pages for exactly the values in use"
        index = (out / facet / "index.html").read_text()
        for value, slugs in values.items():
            html = (out / facet / value / "index.html").read_text()
            assert sorted(listed(html, prefix)) == sorted(slugs), f"/{facet}/{value}/"
            assert f'href="{prefix}{facet}/{value}/"' in index
            # it links its siblings, itself marked with its count
            nav = html[html.index('aria-label="Browse stretches"'):]
            for other in values:
                assert f'href="{prefix}{facet}/{other}/"' in nav
            assert re.search(f'<a href="{re.escape(prefix)}{facet}/{value}/" aria-current="page">'
                             rf'[^<]+</a> <span class="count">\({len(slugs)}\)</span>', nav)
        assert set(values) <= set(vocab[facet])


def test_region_pages_list_the_stretches_aimed_there_first(real_site):
    out, prefix = real_site
    regions = {p.stem: _front(p)["region"] for p in (CONTENT / "muscles").glob("*.md")}
    main = {p.stem: regions[_front(p)["muscles"][0]]
            for p in (CONTENT / "stretches").glob("*.md")}
    for page in (out / "regions").glob("*/index.html"):
        region = page.parent.name
        order = [main[slug] == region for slug in listed(page.read_text(), prefix)]
        assert order == sorted(order, reverse=True), f"{region}: aimed-here ones first"
        html = page.read_text()
        if all(order):
            assert "Also reach here" not in html
        if any(order) and not all(order):
            assert html.index("Aimed here") < html.index("Also reach here")


def test_facet_cards_show_thumbnail_muscle_position_equipment_and_dose(real_site):
    out, _ = real_site
    html = (out / "equipment/chair/index.html").read_text()
    card = html[html.index('stretch-card'):]
    card = card[:card.index("</li>")]
    assert re.search(r'<img class="thumb" src="[^"]*/figures/[a-z0-9-]+-end\.svg"', card)
    facts = text_of(card[card.index('class="facts"'):])
    assert "Chair" in facts and "Hold" in facts


def test_sitemap_lists_every_facet_page(real_site):
    out, _ = real_site
    sitemap = (out / "sitemap.xml").read_text()
    for page in sorted(out.glob("positions/**/index.html")) + \
            sorted(out.glob("equipment/**/index.html")) + \
            sorted(out.glob("difficulty/**/index.html")) + \
            sorted(out.glob("regions/**/index.html")):
        route = page.parent.relative_to(out).as_posix() + "/"
        assert re.search(r"<loc>https://example\.org/(limber/)?" + re.escape(route) + "</loc>",
                         sitemap), route


ALTERNATIVES = {
    "content/stretches/towel-hamstring.md": """\
        ---
        title: Towel hamstring stretch
        summary: Loop a strap or a towel round one foot.
        muscles: [hamstrings]
        position: lying
        equipment: [strap or towel, bed or couch]
        difficulty: beginner
        pose:
          base: lying-back
          props: {strap: near_hand near_foot, bed: none}
          start: {}
          end: {near_hip: 70}
        ---
        1. Lie on your back on a bed or a couch.
        2. Loop the strap round one foot and raise the leg.
        """,
}


def test_equipment_alternatives_read_as_either_and_list_under_both(make_site, run):
    site = make_site({path: textwrap.dedent(text) for path, text in ALTERNATIVES.items()})
    result = run()
    assert result.code == 0, result.err
    page = site.page("stretches/towel-hamstring/index.html")
    facts = text_of(page[page.index('class="facts-table"'):page.index("</dl>")]).replace(" ,", ",")
    assert "Strap or towel, Bed or couch" in facts
    for item in ("strap", "towel", "bed", "couch"):
        assert "Towel hamstring stretch" in site.page(f"equipment/{item}/index.html"), item
        assert f'href="/limber/equipment/{item}/"' in page, "each alternative links its page"
    assert "Towel hamstring stretch" not in site.page("equipment/none/index.html")
    # The drawing shows the first alternative: the strap, from hand to foot.
    assert 'stroke="#333333"' in (site.out / "figures/towel-hamstring-end.svg").read_text()


def test_equipment_alternative_typo_names_file_line_and_fix(make_site, run):
    site = make_site({"content/stretches/towel-hamstring.md": textwrap.dedent(
        ALTERNATIVES["content/stretches/towel-hamstring.md"]).replace("strap or towel",
                                                                      "strap or towl")})
    result = run()
    assert result.code == 1
    assert "content/stretches/towel-hamstring.md:6: equipment[0][1]: 'towl' is not allowed " \
           "(did you mean 'towel'?)" in result.err
    assert "Traceback" not in result.err
    assert not site.out.exists()


def test_stretch_page_names_its_routines_and_similar_stretches(make_site, run):
    site = make_site({"content/stretches/hamstring-wall.md": textwrap.dedent("""\
        ---
        title: Wall hamstring stretch
        summary: One leg up a wall.
        muscles: [hamstrings]
        position: lying
        equipment: [wall]
        difficulty: beginner
        ---
        1. Lie near a wall and rest one leg up it.
        """)})
    assert run().code == 0
    page = site.page("stretches/seated-hamstring-stretch/index.html")
    routines = text_of(section(page, "In these routines"))
    assert "Morning loosener (step 2)" in routines
    similar = section(page, "Similar stretches")
    assert listed(similar, "/limber/") == ["hamstring-wall"]  # same main muscle, not itself
    lone = site.page("stretches/figure-four/index.html")
    assert "Similar stretches" not in lone  # no other stretch aims at the glutes
    assert re.search(r'href="/limber/positions/seated/"[^>]*>Seated</a>', page)
    assert re.search(r'href="/limber/difficulty/beginner/"[^>]*>Beginner</a>', page)


def test_routine_page_shows_each_steps_how_to_inline(make_site, run):
    site = make_site()
    assert run().code == 0
    page = site.page("routines/morning/index.html")
    howto = page[page.index('<details class="howto"'):]
    assert "Cross one ankle over the other knee." in howto
    assert page.count('<details class="howto" open data-collapse-on-phones>') == 2


def test_home_offers_what_do_you_need_and_muscles_link_regions(make_site, run):
    site = make_site()
    assert run().code == 0
    home = site.page("index.html")
    needs = section(home, "What do you need?")
    assert 'href="/limber/equipment/chair/"' in needs
    assert 'href="/limber/positions/off-the-floor/"' in needs
    assert 'href="/limber/routines/morning/"' in needs and "A 4-minute routine" in needs
    assert 'href="/limber/equipment/none/"' in needs  # the figure-four needs nothing
    muscles = site.page("muscles/index.html")
    assert '<h3><a href="/limber/regions/legs/">Legs</a></h3>' in muscles
    assert 'href="/limber/regions/legs/"' in site.page("muscles/hamstrings/index.html")


def _json_ld(html: str) -> dict:
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(found) == 1
    return json.loads(found[0])


def test_structured_data_for_stretches_and_routines(make_site, run):
    site = make_site()
    assert run().code == 0
    stretch = _json_ld(site.page("stretches/seated-hamstring-stretch/index.html"))
    assert stretch["@context"] == "https://schema.org"
    assert stretch["@type"] == "MedicalWebPage"
    assert stretch["lastReviewed"] == "2026-01-15"
    assert stretch["url"] == "https://example.github.io/limber/stretches/seated-hamstring-stretch/"
    assert [m["name"] for m in stretch["about"]] == ["Hamstrings", "Glutes"]  # main first
    assert stretch["mainEntity"]["activityDuration"] == "PT30S"
    assert stretch["mainEntity"]["repetitions"] == 3

    routine = _json_ld(site.page("routines/morning/index.html"))
    assert routine["@type"] == "ExercisePlan"
    assert routine["activityDuration"] == "PT4M" and routine["activityFrequency"] == "daily"
    parts = routine["hasPart"]
    assert [p["name"] for p in parts] == ["Figure-four stretch", "Seated hamstring stretch"]
    assert parts[0]["activityDuration"] == "PT1M"
    assert parts[1]["activityDuration"] == "PT20S"  # the routine's own hold wins
    assert parts[1]["repetitions"] == 3


def test_structured_data_cannot_end_its_script_early(make_site, run):
    site = make_site({"content/stretches/figure-four.md": None,
                      "content/routines/morning.md": None,
                      "content/stretches/odd.md": textwrap.dedent("""\
        ---
        title: "Odd </script><script>alert(1)</script> stretch"
        summary: "Tom & Jerry's <b>bold</b> stretch."
        muscles: [hamstrings]
        position: standing
        difficulty: beginner
        ---
        1. Stand.
        """)})
    result = run()
    assert result.code == 0, result.err
    page = site.page("stretches/odd/index.html")
    data = _json_ld(page)  # exactly one script, and it parses
    assert data["name"] == "Odd </script><script>alert(1)</script> stretch"
    assert "<script>alert" not in page


def test_every_page_has_open_graph_title_and_description(make_site, run):
    site = make_site()
    assert run().code == 0
    pages = sorted(site.out.rglob("*.html"))
    assert len(pages) > 20
    for path in pages:
        html = path.read_text()
        title = re.search(r'<meta property="og:title" content="([^"]+)">', html)
        description = re.search(r'<meta property="og:description" content="([^"]+)">', html)
        url = re.search(r'<meta property="og:url" content="([^"]+)">', html)
        assert title and description and url, path
        canonical = re.search(r'<link rel="canonical" href="([^"]+)">', html)
        assert url.group(1) == canonical.group(1), path


def test_the_facet_pages_keep_their_addresses_from_content():
    """A page named like a facet would take its address; the graph reserves these names."""
    assert tuple(facet.name for facet in facets.FACETS) == urls.FACET_NAMES
