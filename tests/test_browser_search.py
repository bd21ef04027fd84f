"""Full-text search in a real browser: Pagefind's index of the real site, under /limber/."""

from __future__ import annotations

import json
import re
from urllib.request import urlopen

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from site_src import search
from tests.conftest import ARTIFACTS, ROOT, served
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


@pytest.fixture(scope="module")
def parted_url(tmp_path_factory):
    """The real site with its index in parts of about eight pages, as a big library's is."""
    size, search.PART_PAGES = search.PART_PAGES, 8
    try:
        with served(tmp_path_factory.mktemp("parted") / "site") as base:
            search.PART_PAGES = size
            yield base
    finally:
        search.PART_PAGES = size


# More results than `shown` are listed, and each has loaded its page's title and link.
LOADED = """(shown) => {
  const results = document.querySelectorAll(".pagefind-ui__result").length;
  return results > shown
    && document.querySelectorAll(".pagefind-ui__result-link").length === results;
}"""


def _shown(page, url: str, query: str) -> tuple[str, list[str], str]:
    """What the search page shows for a query: its count line, the results (every one,
    loading more until none are left) and the filters with their counts."""
    page.goto(f"{url}search/?q={query}")
    message = page.locator(".pagefind-ui__message")
    message.filter(has_text="result").wait_for()
    page.wait_for_function(LOADED, arg=0)
    more = page.locator(".pagefind-ui__button", has_text="Load more")
    while more.count():
        shown = page.locator(".pagefind-ui__result").count()
        more.click()
        page.wait_for_function(LOADED, arg=shown)
    titles = page.locator(".pagefind-ui__result-link").all_inner_texts()
    filters = " ".join(page.locator(".pagefind-ui__filter-panel").text_content().split())
    return message.inner_text(), titles, filters


@pytest.mark.slow
def test_no_search_runs_before_the_filters_have_come_so_every_count_is_whole(page, site_url,
                                                                              parted_url):
    """Pagefind's interface runs the search in the address while the filters are still on
    their way, and counts each value only over the filters it has by then. Here they are
    held back: no search may start until they come, and then the counts are whole."""
    whole = _shown(page, site_url, "stretch")
    held: list | None = []  # the requests for filters, until they are let through

    def hold(route) -> None:
        if held is None:
            route.continue_()
        else:
            held.append(route)
    page.route("**/filter/*.pf_filter", hold)
    page.goto(f"{parted_url}search/?q=stretch")
    with pytest.raises(PlaywrightTimeout):  # a search reads the index's words first
        page.wait_for_event("request", lambda request: request.url.endswith(".pf_index"),
                            timeout=3000)
    assert held, "the filters were asked for"
    for route in held:
        route.continue_()
    held = None
    expect(page.locator(".pagefind-ui__message")).to_have_text(whole[0])
    expect(page.locator(".pagefind-ui__filter-panel")).to_have_text(whole[2])


@pytest.mark.slow
def test_an_index_in_parts_finds_and_counts_what_the_whole_index_does(page, site_url,
                                                                      parted_url):
    parts = json.loads(urlopen(parted_url + "pagefind/parts.json").read())
    assert len(parts) >= 3, "the library is big enough for several parts"
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    for query in ("QL", "hip rotators", "stretch", "Jefferson"):
        whole = _shown(page, site_url, query)
        parted = _shown(page, parted_url, query)
        assert parted[0] == whole[0], "as many results"
        assert sorted(parted[1]) == sorted(whole[1]), "the same pages"
        # The same filters, with the same counts: the parts' counts are summed as each part
        # answers, so they are waited for, not read the moment the results are shown.
        expect(page.locator(".pagefind-ui__filter-panel"),
               f"the same filters, with the same counts, for {query!r}").to_have_text(whole[2])
    # Each part ranks with its own word counts, so pages that score alike in the whole may
    # swap places; the one page a distinctive query is about still comes first.
    for query in ("QL", "Jefferson"):
        assert _shown(page, parted_url, query)[1][0] == _shown(page, site_url, query)[1][0]
    for folder in parts:
        assert f"{parted_url}pagefind/{folder}pagefind-entry.json" in \
            [u.split("?")[0] for u in asked], f"every part is searched ({folder})"
    page.goto(f"{parted_url}search/?q=hamstrings")
    page.locator(".pagefind-ui__result").first.wait_for()
    page.locator(".pagefind-ui__filter-name", has_text="Position").click()
    page.screenshot(path=str(ARTIFACTS / "search-in-parts-phone.png"), full_page=True)
