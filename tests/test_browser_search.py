"""Full-text search in a real browser: Pagefind's index of the real site, under /limber/."""

from __future__ import annotations

import re

import pytest

from tests.conftest import ARTIFACTS, ROOT
from tests.test_facets import _front, expected_facets

pytestmark = pytest.mark.browser

SEARCH = """async (term) => {
  const pagefind = await import(new URL("../pagefind/pagefind.js", location.href).href);
  const found = await pagefind.search(term);
  const pages = await Promise.all(found.results.map((r) => r.data()));
  return pages.map((p) => p.url);
}"""


def stretches_of(urls: list[str]) -> set[str]:
    return {m.group(1) for u in urls if (m := re.search(r"/stretches/([a-z0-9-]+)/$", u))}


def aimed_at(muscle: str) -> set[str]:
    """Stretches whose muscles (main or not) include this one, from content/."""
    return {p.stem for p in (ROOT / "content/stretches").glob("*.md")
            if muscle in _front(p)["muscles"]}


@pytest.fixture
def search_page(page, site_url):
    page.goto(site_url + "search/")
    return page


def test_finds_stretches_by_muscle_alias_and_by_words_in_the_steps(search_page, site_url):
    found = search_page.evaluate(SEARCH, "QL")
    assert all(u.startswith("/limber/") for u in found), "results live under the subpath"
    assert stretches_of(found) >= aimed_at("quadratus-lumborum")
    assert "/limber/muscles/quadratus-lumborum/" in found
    assert stretches_of(search_page.evaluate(SEARCH, "hip rotators")) >= aimed_at("piriformis")
    # a word only the steps of one stretch use
    assert stretches_of(search_page.evaluate(SEARCH, "sheet")) == {"advanced-psoas-stretch"}
    assert search_page.evaluate(SEARCH, "Jefferson")[0] == "/limber/stretches/jefferson-curl/"


def test_position_equipment_and_difficulty_are_search_filters(search_page):
    filters = search_page.evaluate("""async () => {
      const pagefind = await import(new URL("../pagefind/pagefind.js", location.href).href);
      return await pagefind.filters();
    }""")
    facets = expected_facets()
    assert set(filters) == {"position", "equipment", "difficulty"}
    assert filters["position"]["Seated"] == len(facets["positions"]["seated"])
    assert filters["equipment"]["No equipment"] == len(facets["equipment"]["none"])
    assert filters["equipment"]["Chair"] == len(facets["equipment"]["chair"])
    assert set(filters["difficulty"]) == {"Beginner", "Intermediate", "Advanced"}
    seated = search_page.evaluate("""async () => {
      const pagefind = await import(new URL("../pagefind/pagefind.js", location.href).href);
      const found = await pagefind.search("stretch", {filters: {position: "Seated"}});
      return (await Promise.all(found.results.map((r) => r.data()))).map((p) => p.url);
    }""")
    assert stretches_of(seated) and all("seated" in u for u in stretches_of(seated))


def test_results_show_title_thumbnail_and_summary(page, site_url):
    page.goto(site_url + "search/?q=QL")
    result = page.locator(".pagefind-ui__result", has_text="Seated quadratus lumborum stretch")
    result.wait_for()
    summary = _front(ROOT / "content/stretches/seated-quadratus-lumborum-stretch.md")["summary"]
    assert summary in result.inner_text()
    thumb = result.locator("img")
    assert re.search(r"/limber/figures/seated-quadratus-lumborum-stretch-end\.svg$",
                     thumb.get_attribute("src"))
    assert thumb.evaluate("img => img.decode().then(() => img.naturalWidth > 0, () => false)")
    page.screenshot(path=str(ARTIFACTS / "search-results-phone.png"))


def test_header_search_box_leads_to_results_and_the_address_keeps_the_query(page, site_url):
    page.goto(site_url + "stretches/cat-cow/")
    page.fill("#site-search-q", "hamstrings")
    page.press("#site-search-q", "Enter")
    page.wait_for_url(re.compile(r"/limber/search/\?q=hamstrings$"))
    page.locator(".pagefind-ui__result").first.wait_for()
    assert page.locator(".pagefind-ui__search-input").input_value() == "hamstrings"
    page.fill(".pagefind-ui__search-input", "calf")
    page.wait_for_url(re.compile(r"\?q=calf$"))


def test_search_asks_nothing_of_other_sites_and_works_offline_once_loaded(browser, site_url):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    page.goto(site_url + "search/?q=QL")
    page.locator(".pagefind-ui__result").first.wait_for()
    assert asked and all(u.startswith(site_url) for u in asked)
    context.set_offline(True)
    found = page.evaluate(SEARCH, "QL")
    assert stretches_of(found) >= aimed_at("quadratus-lumborum")
    context.close()


def test_printed_pages_leave_the_search_box_out(page, site_url):
    page.goto(site_url + "stretches/cat-cow/")
    assert page.locator("#site-search-q").is_visible()
    page.emulate_media(media="print")
    assert not page.locator("#site-search-q").is_visible()
