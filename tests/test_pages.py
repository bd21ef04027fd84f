"""Every page kind renders with its data, and the muscle pages group stretches correctly."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from site_src.views import dosage
from tests.conftest import BASE_FILES


class _Text(HTMLParser):
    """Visible text of a page, section by section (by element id / class)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def text_of(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return re.sub(r"\s+", " ", " ".join(parser.parts))


def section(html: str, heading: str) -> str:
    """The HTML from the <h2> with this text to the next <h2> or the end of main."""
    match = re.search(rf"<h2[^>]*>{re.escape(heading)}</h2>(.*?)(?=<h2|</main>)", html, re.S)
    assert match, f"no section {heading!r}"
    return match.group(1)


@pytest.fixture
def built(make_site, run):
    site = make_site()
    result = run()
    assert result.code == 0, result.err
    return site


def test_build_prints_one_summary_line(make_site, run):
    make_site()
    result = run()
    assert re.fullmatch(r"Built 28 pages into _site in \d+\.\d\d s "
                        r"\(2 stretches, 3 muscles, 1 routine; add --pdf for worksheet PDFs\)\n",
                        result.out)


def test_stretch_page_shows_everything_a_reader_needs(built):
    html = built.page("stretches/seated-hamstring-stretch/index.html")
    text = text_of(html)
    assert "<h1>Seated hamstring stretch</h1>" in html
    assert "Sit tall and reach for your toes." in text
    assert "Hold 30 seconds, 3 times, each side" in text
    assert '<a href="/limber/muscles/hamstrings/">Hamstrings</a>' in html
    assert '<a href="/limber/muscles/glutes/">Glutes</a>' in html
    assert "Seated" in text and "Chair" in text and "Beginner" in text
    # Cautions come before the steps, in their own highlighted box.
    assert html.index('class="cautions"') < html.index("<ol>")
    cautions = re.search(r'<section class="cautions".*?</section>', html, re.S).group(0)
    assert "Be careful" in cautions and "Do not bounce." in cautions
    assert re.search(r"<ol>\s*<li>Sit on the edge of a chair.</li>", html)
    assert '<a href="https://example.org/">Example source</a>' in html
    assert '<time datetime="2026-01-15">15 January 2026</time>' in html


def test_stretch_without_equipment_says_none(built):
    html = built.page("stretches/figure-four/index.html")
    assert re.search(r'<dt>Equipment</dt>\s*<dd><a href="/limber/equipment/none/"[^>]*>None</a>'
                     r'</dd>', html)
    assert "Hold 1 minute" in text_of(html)


def test_markdown_link_to_source_file_becomes_page_url(built):
    html = built.page("stretches/figure-four/index.html")
    assert '<a href="/limber/safety/">safety page</a>' in html


def test_muscle_page_lists_main_then_secondary_stretches(built):
    html = built.page("muscles/hamstrings/index.html")
    main = section(html, "Stretches for the hamstrings")
    also = section(html, "Stretches that also reach the hamstrings")
    assert "Seated hamstring stretch" in main and "Figure-four" not in main
    assert "Figure-four stretch" in also and "Seated hamstring" not in also
    assert "The muscles at the back of the thigh." in text_of(html)
    assert "also called back of thigh" in text_of(html)


def test_muscle_without_stretches_says_so(built):
    html = built.page("muscles/calves/index.html")
    assert "No stretches for the calves yet." in text_of(html)
    assert "Stretches for the calves" not in html


def test_muscles_index_groups_by_region_with_counts(built):
    text = text_of(built.page("muscles/index.html"))
    assert re.search(r"Glutes Glutes \(2 stretches\)", text)
    assert re.search(r"Legs Calves \(0 stretches\) Hamstrings \(2 stretches\)", text)
    assert text.index("Glutes Glutes") < text.index("Legs Calves")  # region order


def test_home_offers_every_way_in(built):
    html = built.page("index.html")
    for href in ("/limber/muscles/", "/limber/routines/", "/limber/stretches/",
                 "/limber/routines/morning/", "/limber/worksheets/morning/"):
        assert f'href="{href}"' in html
    assert "All 2 stretches" in text_of(html)


def test_stretches_index_lists_all_a_to_z(built):
    text = text_of(built.page("stretches/index.html"))
    assert text.index("Figure-four stretch") < text.index("Seated hamstring stretch")


def test_routine_page_and_worksheet_show_steps_in_order_with_overrides(built):
    for path in ("routines/morning/index.html", "worksheets/morning/index.html"):
        text = text_of(built.page(path))
        assert "Morning loosener" in text and "4 minutes" in text and "daily" in text
        first, second = text.index("Figure-four stretch"), text.index("Seated hamstring")
        assert first < second
        assert "Go gently." in text
        # The step's own hold time overrides the stretch's: in words on the routine page,
        # in figures on the worksheet.
        words = "Hold 20 seconds" if path.startswith("routines") else "Hold 20 s"
        assert f"{words}, 3 times, each side" in text
    worksheet = text_of(built.page("worksheets/morning/index.html"))
    assert "Name ____" in worksheet and "Started ____" in worksheet
    assert "Sit tall" in worksheet and "Do not bounce." in worksheet


def test_free_page_menu_and_404(built):
    html = built.page("safety/index.html")
    assert "<strong>30 seconds</strong>" in html
    assert '<a href="/limber/safety/" aria-current="page">Stretch safely</a>' in html
    not_found = built.page("404.html")
    assert "Page not found" in not_found
    assert 'href="/limber/static/style.css?v=' in not_found  # absolute: works at any depth


def test_sitemap_robots_and_nojekyll(built):
    sitemap = built.page("sitemap.xml")
    locations = re.findall(r"<loc>(.*?)</loc>", sitemap)
    assert "https://example.github.io/limber/" in locations
    assert "https://example.github.io/limber/stretches/figure-four/" in locations
    assert "https://example.github.io/limber/worksheets/morning/" in locations
    assert not any("404" in loc for loc in locations)
    assert locations == sorted(locations)
    assert "Sitemap: https://example.github.io/limber/sitemap.xml" in built.page("robots.txt")
    assert (built.out / ".nojekyll").read_bytes() == b""


def test_every_html_page_has_canonical_link_and_disclaimer(built):
    pages = sorted(built.out.rglob("*.html"))
    assert len(pages) == 28
    for path in pages:
        html = path.read_text()
        assert '<link rel="canonical" href="https://example.github.io/limber/' in html, path
        assert "<strong>Stop if it hurts</strong> and ask your clinician." in html, path


def test_drafts_are_left_out_unless_asked_for(make_site, run):
    site = make_site({"content/stretches/draft-one.md": """\
---
title: Draft one
summary: Not ready.
muscles: [calves]
position: standing
difficulty: beginner
draft: true
---
1. Step.
"""})
    assert run().code == 0
    assert not (site.out / "stretches/draft-one").exists()
    assert "No stretches for the calves yet." in text_of(site.page("muscles/calves/index.html"))
    assert run("--drafts").code == 0
    assert (site.out / "stretches/draft-one/index.html").exists()
    assert "Draft one" in site.page("muscles/calves/index.html")


def test_text_from_content_is_escaped(make_site, run):
    site = make_site({"content/stretches/figure-four.md": BASE_FILES[
        "content/stretches/figure-four.md"].replace("title: Figure-four stretch",
                                                   "title: \"Hips <b>&</b> 'knees'\"")})
    assert run().code == 0
    html = site.page("stretches/figure-four/index.html")
    assert "<h1>Hips &lt;b&gt;&amp;&lt;/b&gt; &#39;knees&#39;</h1>" in html
    assert "<title>Hips &lt;b&gt;&amp;&lt;/b&gt; &#39;knees&#39; · Test Stretches</title>" in html


def test_main_target_is_the_first_muscle(make_site, run):
    site = make_site({"content/stretches/figure-four.md": BASE_FILES[
        "content/stretches/figure-four.md"].replace("muscles: [glutes]",
                                                   "muscles: [glutes, calves]")
        .replace("hold_seconds: 60", "hold_seconds: 60\nlast_reviewed: \"2026-02-03\"")})
    assert run().code == 0
    html = site.page("stretches/figure-four/index.html")
    assert re.search(r"<dt>Main target</dt>\s*<dd><a href=\"/limber/muscles/glutes/\">Glutes"
                     r"</a></dd>\s*<dt>Also reaches</dt>\s*<dd><a href=\"/limber/muscles/"
                     r"calves/\">Calves</a>, <a href=\"/limber/muscles/hamstrings/\">", html)
    calves = site.page("muscles/calves/index.html")
    assert "Figure-four stretch" in section(calves, "Stretches that also reach the calves")
    assert "Stretches for the calves" not in calves
    # A quoted date is read as a date too.
    assert '<time datetime="2026-02-03">3 February 2026</time>' in html


def test_raw_html_is_sanitized(make_site, run):
    site = make_site({"content/pages/safety.md": """\
---
title: Stretch safely
---
<div style="position:fixed" data-x="1">Boxed</div>
"""})
    refused = run()
    assert refused.code == 1  # attributes outside the allow-list are named, not just dropped
    assert ("content/pages/safety.md:4: the attribute 'style' is not allowed on <div> in "
            "content; allowed: class, id, lang, title") in refused.err.splitlines()
    assert "the attribute 'data-x' is not allowed on <div>" in refused.err
    site.write("content/pages/safety.md", """\
---
title: Stretch safely
---
<div>Boxed</div>

<form><input></form>

<p><a href="/stretches/">every stretch</a> and <a href="../stretches/figure-four.md">one</a></p>

## Hold times {: #holds }

| Side | Hold |
|:-----|-----:|
| Left | 30 s |
""")
    assert run().code == 0, run().err
    html = site.page("safety/index.html")
    assert "<div>Boxed</div>" in html
    content = html[html.index("<main"):html.index("</main>")]  # the header has a search form
    assert "<form" not in content and "<input" not in content
    # Links in raw HTML are rewritten for the base path just like Markdown links.
    assert '<a href="/limber/stretches/">every stretch</a>' in html
    assert '<a href="/limber/stretches/figure-four/">one</a>' in html
    assert '<th style="text-align:left">Side</th>' in html
    assert '<h2 id="holds">Hold times</h2>' in html


@pytest.mark.parametrize("args, words", [
    ((30, 3, None, True), "Hold 30 seconds, 3 times, each side"),
    ((90, 1, None, False), "Hold 1 minute 30 seconds, once"),
    ((300, None, None, False), "Hold 5 minutes"),
    ((None, 10, None, False), "Repeat 10 times"),
    ((10, 3, 3, False), "Hold 10 seconds, 3 times, 3 sets"),
    ((None, None, None, True), "Each side"),
    ((None, None, None, False), ""),
])
def test_dosage_in_words(args, words):
    assert dosage(*args) == words


def test_every_page_allows_only_the_site_itself(make_site, run):
    """A Content-Security-Policy on every page: the site's own scripts, styles and pictures,
    and a video's player only, framed from YouTube (without cookies) or Vimeo."""
    site = make_site()
    assert run().code == 0
    pages = sorted(site.out.rglob("*.html"))
    assert len(pages) > 20
    for path in pages:
        html = path.read_text()
        assert ('<meta http-equiv="Content-Security-Policy" content="default-src &#39;self&#39;; '
                "script-src &#39;self&#39; &#39;wasm-unsafe-eval&#39;;") in html, path
        assert "frame-src https://player.vimeo.com https://www.youtube-nocookie.com" in html
