"""Finding a stretch in a real browser: the filter bar on /stretches/ and its address."""

from __future__ import annotations

import pytest

from tests.conftest import ARTIFACTS
from tests.test_facets import expected_facets

pytestmark = pytest.mark.browser


def shown(page) -> set[str]:
    """The slugs of the stretch cards a reader can see."""
    hrefs = page.eval_on_selector_all(".stretch-card:not([hidden]) .card-text a",
                                      "links => links.map(a => a.getAttribute('href'))")
    return {href.rstrip("/").rsplit("/", 1)[-1] for href in hrefs}


def count_text(n: int) -> str:
    return f"{n} {'stretch' if n == 1 else 'stretches'}"


def test_filter_from_a_shared_address_shows_exactly_that_set(page, site_url):
    facets = expected_facets()
    want = facets["positions"]["seated"] & facets["equipment"]["none"]
    page.goto(site_url + "stretches/?position=seated&equipment=none")
    assert shown(page) == want
    assert page.locator("[data-count]").inner_text() == count_text(len(want))
    assert page.locator("select[name=position]").input_value() == "seated"
    assert page.locator("select[name=equipment]").input_value() == "none"
    page.screenshot(path=str(ARTIFACTS / "stretches-filtered-phone.png"), full_page=True)


def test_controls_write_the_address_and_a_reload_restores_them(page, site_url):
    facets = expected_facets()
    everything = set().union(*facets["difficulty"].values())
    page.goto(site_url + "stretches/")
    assert shown(page) == everything
    page.select_option("select[name=difficulty]", "beginner")
    page.select_option("select[name=region]", "lower-back")
    want = facets["difficulty"]["beginner"] & facets["regions"]["lower-back"]
    assert shown(page) == want
    assert page.locator("[data-count]").inner_text() == count_text(len(want))
    assert page.url.endswith("stretches/?difficulty=beginner&region=lower-back")

    page.check("input[name=floor]")
    floor = want & facets["positions"]["off-the-floor"]
    assert shown(page) == floor and floor, "standing or on a chair, beginner, lower back"
    assert "floor=no" in page.url

    page.reload()
    assert page.locator("select[name=difficulty]").input_value() == "beginner"
    assert page.locator("select[name=region]").input_value() == "lower-back"
    assert page.locator("input[name=floor]").is_checked()
    assert shown(page) == floor

    page.click("text=Clear filters")
    assert shown(page) == everything
    assert page.locator("[data-count]").inner_text() == count_text(len(everything))
    assert page.url == site_url + "stretches/"


def test_nothing_matches_says_so_and_an_unknown_value_is_ignored(page, site_url):
    facets = expected_facets()
    page.goto(site_url + "stretches/?position=hanging&equipment=none")
    assert shown(page) == set()
    assert page.locator("[data-none]").is_visible()
    assert page.locator("[data-count]").inner_text() == "0 stretches"
    page.goto(site_url + "stretches/?position=upside-down&difficulty=beginner")
    assert page.locator("select[name=position]").input_value() == ""
    assert shown(page) == facets["difficulty"]["beginner"]


def test_without_javascript_the_facet_pages_do_the_job(browser, site_url):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390,
                                                                         "height": 844})
    page = context.new_page()
    page.goto(site_url + "stretches/?position=seated")
    assert not page.locator("[data-filter]").is_visible()
    assert len(shown(page)) == len(set().union(*expected_facets()["difficulty"].values()))
    page.click(".browse >> text=position")
    page.click("text=Seated")
    assert page.url == site_url + "positions/seated/"
    assert shown(page) == expected_facets()["positions"]["seated"]
    context.close()


@pytest.mark.parametrize("width, folded", [(390, True), (1200, False)])
def test_routine_how_to_steps_fold_on_phones_only(browser, site_url, width, folded):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(site_url + "routines/chair-back-relief/")
    howtos = page.locator("details.howto")
    assert howtos.count() > 1
    first_step = howtos.first.locator("ol li").first
    assert first_step.is_visible() is not folded
    if folded:
        howtos.first.locator("summary").click()
        assert first_step.is_visible()
    context.close()
