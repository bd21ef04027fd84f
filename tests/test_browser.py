"""What a reader sees, in a real browser: Debian's Chromium driven by Playwright.

The site is built from the real content under a /limber/ subpath and served by
a local HTTP server mounted at that path, as GitHub Pages serves a project site.
"""

from __future__ import annotations

import pytest

from tests.conftest import ARTIFACTS

pytestmark = pytest.mark.browser


def test_reader_finds_a_stretch_by_muscle(page, site_url):
    page.goto(site_url)
    page.get_by_role("link", name="By muscle").click()
    page.wait_for_url(f"{site_url}muscles/")
    page.get_by_role("link", name="Quadratus lumborum", exact=True).click()  # the list, not the map
    assert page.locator("h1").inner_text() == "Quadratus lumborum"
    page.locator("main").get_by_role("link", name="Seated quadratus lumborum stretch").click()
    assert page.url == f"{site_url}stretches/seated-quadratus-lumborum-stretch/"
    cautions = page.locator(".cautions")
    assert cautions.is_visible()
    # The stylesheet loaded: cautions are set apart with a coloured edge.
    edge = cautions.evaluate("e => getComputedStyle(e).borderLeftWidth")
    assert edge == "6px"
    assert page.locator("main ol li").count() >= 4
    disclaimer = page.locator("aside.disclaimer")
    disclaimer.scroll_into_view_if_needed()
    assert disclaimer.is_visible()
    assert "own risk" in disclaimer.inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "stretch-page-phone.png"), full_page=True)


def test_printed_page_drops_navigation_and_keeps_disclaimer(page, site_url):
    page.goto(f"{site_url}worksheets/five-minute-back-relief/")
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert page.locator("aside.disclaimer").is_visible()
    assert page.locator(".site-url").inner_text() == \
        f"{site_url}worksheets/five-minute-back-relief/"
    cards = page.locator(".ws-card")
    assert cards.count() == 5  # one card per step of the routine
    assert cards.first.evaluate("e => getComputedStyle(e).breakInside") == "avoid"
    pdf = page.pdf(format="Letter")
    assert pdf.startswith(b"%PDF")
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "worksheet-letter.pdf").write_bytes(pdf)


def test_unknown_address_shows_the_styled_404_page(page, site_url):
    response = page.goto(f"{site_url}stretches/no-such-stretch/")
    assert response is not None and response.status == 404
    assert page.locator("h1").inner_text() == "Page not found"
    header_bg = page.locator(".site-header").evaluate(
        "e => getComputedStyle(e).backgroundColor")
    assert header_bg != "rgba(0, 0, 0, 0)"  # styles loaded from two folders up
    page.get_by_role("link", name="All stretches").click()
    assert page.url == f"{site_url}stretches/"

