"""Drawings and body maps in Debian's Chromium: what a reader sees, clicks and prints."""

from __future__ import annotations

import re

import pytest

from tests.conftest import ARTIFACTS
from tests.contact_sheet import screenshot, sheet_html

pytestmark = pytest.mark.browser


def test_clicking_the_hamstrings_on_the_body_map_opens_their_page(page, site_url):
    page.goto(f"{site_url}muscles/")
    link = page.locator(".muscle-map a.area-link", has=page.locator('[data-area="hamstrings"]'))
    assert link.get_attribute("aria-label").startswith("Hamstrings")
    link.locator("path").first.click()
    page.wait_for_url(f"{site_url}muscles/hamstrings/")
    assert page.locator("h1").inner_text() == "Hamstrings"


def test_body_map_is_reachable_by_keyboard_with_a_visible_focus_ring(page, site_url):
    page.goto(f"{site_url}muscles/")
    assert page.get_by_role("link", name=re.compile(r"^Hamstrings: \d+ stretch")).count() == 1
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('area-link')"):
            break
    else:
        pytest.fail("Tab never reached the body map")
    focused = page.locator(".area-link:focus-visible .area path").first
    ring = focused.evaluate("e => [getComputedStyle(e).stroke, getComputedStyle(e).strokeWidth]")
    assert ring[1] == "4px" and ring[0] != "none"
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator(".muscle-map").screenshot(path=str(ARTIFACTS / "muscles-map-focus.png"))


def test_loop_plays_unless_the_reader_asks_for_reduced_motion(page, site_url):
    page.goto(f"{site_url}stretches/cat-cow/")
    loop = page.locator(".pose-loop img")
    assert loop.is_visible()
    assert loop.evaluate("img => img.complete && img.naturalWidth > 0")
    for frame in page.locator(".pose-frame img").all():
        assert frame.evaluate("img => img.complete && img.naturalWidth > 0")
    page.emulate_media(reduced_motion="reduce")
    assert not loop.is_visible()
    assert page.locator(".pose-frame img").first.is_visible()
    # The loop file itself animates, and stops for reduced motion too.
    page.emulate_media(reduced_motion="no-preference")
    page.goto(f"{site_url}figures/cat-cow-loop.svg")
    assert page.evaluate("document.getAnimations().length") >= 8
    page.emulate_media(reduced_motion="reduce")
    assert page.evaluate("document.getAnimations().length") == 0


def test_stretch_page_with_drawings_and_map_on_a_phone_and_on_paper(page, site_url):
    page.goto(f"{site_url}stretches/seated-piriformis-stretch/")
    figures = page.locator(".pose-frame img")
    assert figures.count() == 2
    boxes = [figures.nth(i).bounding_box() for i in range(2)]
    assert all(box["width"] <= 390 for box in boxes)
    body_map = page.locator(".body-map-section img.body-map")
    assert body_map.is_visible() and body_map.evaluate("img => img.naturalWidth") > 0
    thumb = page.locator(".similar img.thumb").first  # loaded lazily, once scrolled to
    thumb.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0",
                           arg=thumb.element_handle())
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "stretch-figures-phone.png"), full_page=True)
    (ARTIFACTS / "stretch-figures-print.pdf").write_bytes(page.pdf(format="A4"))


def test_contact_sheet_of_every_drawing(browser):
    html, count = sheet_html()
    assert count >= 33
    assert 'class="fault"' not in html  # every drawing is possible
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "poses.html").write_text(html, encoding="utf-8")
    screenshot(html, ARTIFACTS / "poses.png", browser)
    assert (ARTIFACTS / "poses.png").stat().st_size > 50_000
