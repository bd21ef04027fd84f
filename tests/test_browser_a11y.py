"""Phones and accessibility, in Debian's Chromium: focus rings, tap targets, the phone
menu, dark mode, text at 200%, a clean console, the favicon, and axe-core's checks.

The real site is built and served at /limber/ by the `site_url` fixture. axe-core comes
from npm (`npm ci --prefix tests`, pinned in tests/package.json).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urljoin

import pytest

from tests.conftest import ARTIFACTS, ROOT, settled

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
AXE = ROOT / "tests" / "node_modules" / "axe-core" / "axe.min.js"

# Pages axe-core checks, in light and in dark. Add new kinds of page here.
AXE_ROUTES = [
    "",
    "stretches/",
    "stretches/?position=seated&equipment=none",
    "stretches/cat-cow/",
    "positions/seated/",
    "regions/lower-back/",
    "muscles/",
    "routines/chair-back-relief/",
    "search/?q=QL",
]

# One page of every kind, for text at 200% on a phone.
PAGE_KINDS = [
    "",
    "stretches/",
    "stretches/seated-piriformis-stretch/",
    "muscles/",
    "muscles/quadratus-lumborum/",
    "routines/",
    "routines/chair-back-relief/",
    "worksheets/chair-back-relief/",
    "worksheets/custom/",
    "worksheets/custom/?s=cat-cow,bridge,seated-piriformis-stretch",
    "safety/",
]


# Colours and contrast, as WCAG defines them.

def rgba(css: str) -> tuple[float, float, float, float]:
    """'rgb(31, 111, 80)' or 'rgba(0, 0, 0, 0)' -> (r, g, b, alpha)."""
    numbers = [float(n) for n in re.findall(r"[\d.]+", css)]
    return (*numbers[:3], numbers[3] if len(numbers) > 3 else 1.0)  # type: ignore[return-value]


def luminance(css: str) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b, _ = rgba(css)
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


# The background an element is seen against: the first opaque one from it outwards.
BACKDROP_JS = """
(e, fromParent) => {
  let node = fromParent ? e.parentElement : e;
  for (; node; node = node.parentElement) {
    const bg = getComputedStyle(node).backgroundColor;
    if (!/rgba\\(.*, 0\\)$/.test(bg) && bg !== "transparent") return bg;
  }
  return getComputedStyle(document.documentElement).backgroundColor;
}
"""


@pytest.fixture
def tab(browser, request):
    """new(color_scheme=..., viewport=..., javascript=...) -> a fresh tab in its own context."""
    contexts = []

    def new(color_scheme: str = "light", viewport: dict | None = None, javascript: bool = True,
            bypass_csp: bool = False):
        context = browser.new_context(viewport=viewport or PHONE, color_scheme=color_scheme,
                                      java_script_enabled=javascript, bypass_csp=bypass_csp)
        contexts.append(context)
        return context.new_page()

    yield new
    for context in contexts:
        context.close()


def shot(page, name: str, full_page: bool = False) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=full_page)


# 1. Focus rings.

def focus_path(page, limit: int = 120) -> list[dict]:
    """Tab through the page; for each control reached, its ring and what it sits on."""
    seen: list[dict] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        info = page.evaluate("""() => {
          const e = document.activeElement;
          if (!e || e === document.body) return null;
          const s = getComputedStyle(e);
          const r = e.getBoundingClientRect();
          return {tag: e.tagName, text: (e.textContent || e.value || e.getAttribute("aria-label")
                    || "").trim().slice(0, 40),
                  id: e.id + "|" + e.tagName + "|" + (e.getAttribute("href") || "") + "|"
                    + Math.round(r.top + scrollY) + "|" + Math.round(r.left),
                  visible: e.matches(":focus-visible"), style: s.outlineStyle,
                  width: parseFloat(s.outlineWidth), color: s.outlineColor,
                  offset: parseFloat(s.outlineOffset), svg: e instanceof SVGElement};
        }""")
        if info is None or (seen and info["id"] == seen[0]["id"]):
            break
        info["own"] = page.evaluate_handle("document.activeElement").evaluate(BACKDROP_JS, False)
        info["around"] = page.evaluate_handle("document.activeElement").evaluate(
            BACKDROP_JS, True)
        seen.append(info)
    return seen


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("route", ["stretches/cat-cow/", "worksheets/custom/?s=cat-cow,bridge"])
def test_every_control_shows_a_focus_ring_that_stands_out(tab, site_url, scheme, route):
    page = tab(color_scheme=scheme)
    page.goto(site_url + route)
    settled(page)
    path = focus_path(page)
    kinds = {c["tag"] for c in path}
    assert {"A", "BUTTON"} <= kinds, kinds  # links and buttons both reached
    if route.startswith("worksheets"):
        assert "INPUT" in kinds
    problems = []
    for control in path:
        if control["svg"]:  # body-map areas draw their own ring (test_browser_figures)
            continue
        ring_ok = (control["visible"] and control["style"] == "solid" and control["width"] >= 2
                   and control["offset"] >= 1)
        own, around = contrast(control["color"], control["own"]), contrast(
            control["color"], control["around"])
        if not ring_ok or own < 3 or around < 3:
            problems.append((control["tag"], control["text"], control["style"], control["width"],
                             control["color"], round(own, 2), round(around, 2)))
    assert problems == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_focus_ring_changes_what_the_reader_sees_around_a_green_button(tab, site_url, scheme):
    page = tab(color_scheme=scheme)
    page.goto(site_url + "stretches/cat-cow/")
    button = page.get_by_role("button", name="Add to my worksheet")
    box = button.bounding_box()
    clip = {"x": box["x"] - 8, "y": box["y"] - 8, "width": box["width"] + 16,
            "height": box["height"] + 16}
    before = page.screenshot(clip=clip)
    button.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")  # a keyboard focus, so :focus-visible
    assert button.evaluate("e => e.matches(':focus-visible')")
    after = page.screenshot(clip=clip)
    assert before != after
    if scheme == "light":
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / "focus-ring-button.png").write_bytes(after)


# 2. Tap targets.

TARGETS_JS = """
() => [...document.querySelectorAll(
    ".site-header a, .site-header button, .site-header input, .site-footer a, " +
    "main button, main input, main select, main summary, main a.button, " +
    ".ws-actions a, .add-to-worksheet a")]
  .filter(e => e.checkVisibility() && !e.closest(".visually-hidden"))
  .map(e => { const r = e.getBoundingClientRect();
              return [e.tagName, (e.textContent || e.placeholder || "").trim().slice(0, 30),
                      Math.round(r.width * 10) / 10, Math.round(r.height * 10) / 10]; })
"""


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_links_and_buttons_in_header_footer_and_controls_are_24px_targets(
        tab, site_url, viewport):
    page = tab(viewport=viewport)
    checked = 0
    for route in ["", "stretches/cat-cow/", "routines/chair-back-relief/",
                  "worksheets/chair-back-relief/", "worksheets/custom/?s=cat-cow,bridge"]:
        page.goto(site_url + route)
        settled(page)
        menu = page.locator(".menu-toggle")
        if menu.is_visible():
            menu.click()
        targets = page.evaluate(TARGETS_JS)
        checked += len(targets)
        small = [t for t in targets if t[2] < 24 or t[3] < 24]
        assert small == [], route
    assert checked > 30


# 3. The phone menu.

def test_on_a_phone_the_menu_folds_so_the_page_comes_first(tab, site_url):
    page = tab()
    page.goto(site_url + "stretches/")
    button = page.get_by_role("button", name="Menu")
    nav = page.get_by_role("navigation", name="Main")
    links = nav.get_by_role("link")
    assert button.is_visible()
    assert button.get_attribute("aria-expanded") == "false"
    controlled = page.locator("#" + button.get_attribute("aria-controls"))
    assert controlled.count() == 1 and not controlled.is_visible()
    assert not links.first.is_visible()
    # The first screen is the page: the header (name, menu button, search) is a thin band
    # and the heading follows it in the top fifth.
    assert page.locator(".site-header").bounding_box()["height"] < 0.16 * PHONE["height"]
    assert page.locator("main h1").bounding_box()["y"] < 0.2 * PHONE["height"]
    shot(page, "menu-phone-folded.png")

    button.click()
    assert button.get_attribute("aria-expanded") == "true"
    assert controlled.is_visible() and links.count() >= 3
    for link in links.all():
        assert link.is_visible()
    shot(page, "menu-phone-open.png")

    page.keyboard.press("Escape")  # Escape folds it and gives focus back to the button
    assert button.get_attribute("aria-expanded") == "false"
    assert not links.first.is_visible()
    assert button.evaluate("e => e === document.activeElement")

    page.keyboard.press("Enter")  # the keyboard opens it too; Tab goes into the list
    assert button.get_attribute("aria-expanded") == "true"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('nav') !== null")
    page.mouse.click(200, 700)  # a tap on the page below folds it away
    assert button.get_attribute("aria-expanded") == "false"

    button.click()
    nav.get_by_role("link", name="Routines").click()
    page.wait_for_url(site_url + "routines/")
    assert page.get_by_role("button", name="Menu").get_attribute("aria-expanded") == "false"


def test_without_javascript_the_menu_is_simply_open(tab, site_url):
    page = tab(javascript=False)
    page.goto(site_url + "stretches/")
    assert not page.locator(".menu-toggle").is_visible()
    links = page.get_by_role("navigation", name="Main").get_by_role("link")
    assert links.count() >= 3
    for link in links.all():
        assert link.is_visible()


def test_on_a_wide_screen_the_menu_is_always_there(tab, site_url):
    page = tab(viewport=DESKTOP)
    page.goto(site_url)
    assert not page.locator(".menu-toggle").is_visible()
    links = page.get_by_role("navigation", name="Main").get_by_role("link")
    for link in links.all():
        assert link.is_visible()
    assert page.locator(".site-header").bounding_box()["height"] < 120


def test_header_search_form_fits_a_phone_and_leaves_paper(tab, site_url):
    """The search form the header shows once the site has a search page."""
    page = tab()
    page.goto(site_url + "stretches/")
    assert page.get_by_role("search", name="Site").count() == 1
    search = page.get_by_role("searchbox", name="Search stretches")
    submit = page.locator("form.site-search button")
    assert search.is_visible() and submit.is_visible()
    field, button = search.bounding_box(), submit.bounding_box()
    assert field["height"] >= 24 and button["height"] >= 24
    assert field["width"] > 0.5 * PHONE["width"]  # room to type on a phone
    assert button["x"] + button["width"] <= PHONE["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.emulate_media(media="print")
    assert not search.is_visible() and not submit.is_visible()
    assert not page.locator(".menu-toggle").is_visible()


# 4. Dark mode.

def test_dark_mode_is_dark_and_keeps_drawings_maps_and_codes_on_light_panels(tab, site_url):
    page = tab(color_scheme="dark")
    page.goto(site_url + "stretches/cat-cow/")
    body = page.locator("body")
    paper = body.evaluate("e => getComputedStyle(e).backgroundColor")
    ink = body.evaluate("e => getComputedStyle(e).color")
    assert luminance(paper) < 0.05 and contrast(ink, paper) >= 7
    # The pose drawings (dark ink, light fills) and the body map sit on light panels.
    for selector in (".pose-pair", ".body-map-section"):
        panel = page.locator(selector).first.evaluate("e => getComputedStyle(e).backgroundColor")
        assert luminance(panel) > 0.9, selector
    # The body map's own labels and outline read on its panel; the legend's text too.
    svg = page.locator("img.body-map").evaluate("img => fetch(img.src).then(r => r.text())")
    label = re.search(r'<text [^>]*fill="(#[0-9a-f]{6})"', svg).group(1)
    panel = page.locator(".body-map-section").evaluate("e => getComputedStyle(e).backgroundColor")
    assert contrast(_hex_to_rgb(label), panel) >= 4.5
    legend = page.locator(".map-legend li").first.evaluate("e => getComputedStyle(e).color")
    assert contrast(legend, panel) >= 4.5
    shot(page, "stretch-phone-dark.png", full_page=True)

    page.goto(site_url + "worksheets/chair-back-relief/")
    qr = page.locator(".ws-qr")
    qr_panel = qr.evaluate("e => getComputedStyle(e).backgroundColor")
    assert contrast("rgb(0, 0, 0)", qr_panel) >= 15  # the QR code still scans
    card = page.locator(".ws-card").first
    edge = card.evaluate("e => getComputedStyle(e).borderTopColor")
    around = card.evaluate(BACKDROP_JS, True)
    assert contrast(edge, around) >= 3
    shot(page, "worksheet-phone-dark.png", full_page=True)


def _hex_to_rgb(value: str) -> str:
    value = value.lstrip("#")
    return "rgb({}, {}, {})".format(*(int(value[i:i + 2], 16) for i in (0, 2, 4)))


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_visited_links_and_control_edges_keep_their_contrast(tab, site_url, scheme):
    """What axe-core cannot see: visited links (browsers hide them from scripts) and the
    edges of inputs and buttons (WCAG 1.4.11, 3:1)."""
    page = tab(color_scheme=scheme)
    page.goto(site_url + "worksheets/custom/?s=cat-cow")
    settled(page)
    root = page.evaluate("""() => { const s = getComputedStyle(document.documentElement);
        const probe = document.createElement("span"); document.body.append(probe);
        const out = {};
        for (const name of ["--visited", "--accent", "--paper", "--tint", "--warn-bg",
                            "--control-edge"]) {
          probe.style.color = s.getPropertyValue(name);
          out[name] = getComputedStyle(probe).color;
        }
        probe.remove(); return out; }""")
    assert root["--visited"] != root["--accent"]  # a reader sees which pages they have read
    for background in ("--paper", "--tint", "--warn-bg"):
        assert contrast(root["--visited"], root[background]) >= 4.5, background
        assert contrast(root["--accent"], root[background]) >= 4.5, background
    share = page.locator(".ws-share input")
    edge = share.evaluate("e => getComputedStyle(e).borderTopColor")
    assert share.evaluate("e => getComputedStyle(e).borderTopWidth") == "2px"
    assert contrast(edge, share.evaluate(BACKDROP_JS, True)) >= 3
    assert contrast(edge, share.evaluate(BACKDROP_JS, False)) >= 3
    move = page.get_by_role("button", name="Remove")
    assert contrast(move.evaluate("e => getComputedStyle(e).borderTopColor"),
                    move.evaluate(BACKDROP_JS, True)) >= 3


def test_printed_pages_are_black_on_white_in_dark_mode(tab, site_url):
    page = tab(color_scheme="dark")
    for route in ("stretches/cat-cow/", "worksheets/chair-back-relief/"):
        page.goto(site_url + route)
        page.emulate_media(media="print", color_scheme="dark")
        colours = page.evaluate("""() => [...document.querySelectorAll(
            "body, h1, main p, main li, main a, .disclaimer p, .ws-card")]
          .filter(e => e.checkVisibility())
          .map(e => getComputedStyle(e).color)""")
        assert colours and set(colours) == {"rgb(0, 0, 0)"}, route
        assert page.locator("body").evaluate(
            "e => getComputedStyle(e).backgroundColor") == "rgb(255, 255, 255)"
        panels = page.evaluate("""() => [...document.querySelectorAll(
            ".pose-pair, .body-map-section, .ws-qr")]
          .map(e => getComputedStyle(e).backgroundColor)""")
        assert all(p in ("rgba(0, 0, 0, 0)", "rgb(255, 255, 255)") for p in panels)
        page.emulate_media(media="screen")


# 5. The favicon.

def test_favicon_is_a_small_svg_and_no_page_asks_for_favicon_ico(page, site_url):
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    for route in ("", "stretches/cat-cow/", "no-such-page/deeper/"):
        page.goto(site_url + route)
        icon = page.locator('head link[rel="icon"]')
        assert icon.count() == 1 and icon.get_attribute("type") == "image/svg+xml"
        href = urljoin(page.url, icon.get_attribute("href"))
        response = page.request.get(href)
        assert response.status == 200, href
        assert response.headers["content-type"].startswith("image/svg+xml")
        svg = response.text()
        assert svg.lstrip().startswith("<svg") and "<script" not in svg and len(svg) < 2000
    assert not [url for url in requested if url.endswith("favicon.ico")]


# 6. Text at 200% on a phone.

@pytest.mark.parametrize("route", PAGE_KINDS)
def test_text_at_200_percent_never_scrolls_sideways(page, site_url, route):
    page.goto(site_url + route)
    settled(page)
    normal = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    # Twice the site's own text size (it sets 112.5% on <html>), in a 390 px wide window.
    page.add_style_tag(content="html { font-size: 225% !important; }")
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") == 2 * normal
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    if width[0] > width[1]:
        wide = page.evaluate("""() => [...document.querySelectorAll("body *")]
            .filter(e => e.getBoundingClientRect().right > innerWidth + 0.5)
            .slice(0, 6).map(e => e.tagName + "." + (e.className.baseVal ?? e.className))""")
        pytest.fail(f"{route or 'home'} scrolls sideways at 200%: {width}, {wide}")
    if route == "stretches/seated-piriformis-stretch/":
        shot(page, "stretch-phone-200-percent.png")


# 7. A clean console and no failed requests, on every page of the site.

def _built_site(tmp_path_factory) -> Path:
    """The folder the `site_url` fixture built and serves."""
    found = {p.resolve() for p in tmp_path_factory.getbasetemp().glob("browser*/site")}
    assert len(found) == 1, found
    return found.pop()


@pytest.mark.slow
def test_no_page_logs_an_error_or_fails_a_request(page, site_url, tmp_path_factory):
    folder = _built_site(tmp_path_factory)
    routes = sorted(p.relative_to(folder).as_posix().removesuffix("index.html")
                    for p in folder.rglob("*.html"))
    assert len(routes) > 60 and "" in routes and "404.html" in routes
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}")
            if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"script error: {e}"))
    # A fetch still under way when the test moves on is aborted (ERR_ABORTED): not a failure.
    page.on("requestfailed", lambda r: problems.append(f"failed: {r.url} {r.failure}")
            if "ERR_ABORTED" not in (r.failure or "") else None)
    page.on("response", lambda r: problems.append(f"{r.status}: {r.url}")
            if r.status >= 400 else None)
    for route in routes:
        before = len(problems)
        page.goto(site_url + route)
        settled(page)
        # Every picture, lazy ones too, loads and is a real image.
        page.evaluate("document.querySelectorAll('img').forEach(i => { i.loading = 'eager'; })")
        page.wait_for_function("() => [...document.images].every(i => i.complete)")
        broken = page.evaluate(
            "[...document.images].filter(i => !i.naturalWidth).map(i => i.currentSrc || i.src)")
        problems += [f"broken image: {src}" for src in broken]
        problems[before:] = [f"/{route}: {p}" for p in problems[before:]]
    assert problems == []


# 8. axe-core.

def _need_axe() -> None:
    if not AXE.exists():
        reason = f"axe-core is not installed ({AXE.relative_to(ROOT)}): npm ci --prefix tests"
        if os.environ.get("CI") == "true":
            pytest.fail(reason + "; CI must run these tests")
        pytest.skip(reason)


def axe_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']} ({v['impact']}): {v['help']} -> "
            + "; ".join(" ".join(n["target"]) if isinstance(n["target"][0], str)
                        else str(n["target"]) for n in v["nodes"][:4])
            for v in result["violations"]]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("route", AXE_ROUTES)
def test_axe_finds_no_violations(tab, site_url, route, scheme):
    _need_axe()
    page = tab(color_scheme=scheme, bypass_csp=True)  # the page's policy would refuse axe
    page.goto(site_url + route)
    settled(page)
    if route.startswith("search/"):  # the results come a moment after the page
        page.locator(".pagefind-ui__result").first.wait_for()
    assert axe_violations(page) == []
    if route == "":
        shot(page, f"home-phone-{scheme}.png")
