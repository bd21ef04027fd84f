"""Worksheets on paper and on screen, in Debian's Chromium; and the --pdf files.

Printing is checked on the PDFs themselves: their page count on US Letter and
A4, the text on every page, and that no card is split across two pages.
"""

from __future__ import annotations

import io
import os
import re
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from site_src import pdf
from site_src.models import SiteConfig
from site_src.pipeline import Settings, build
from tests.conftest import ARTIFACTS, ROOT, TEMPLATES, settled

pytestmark = pytest.mark.browser

ROUTINES = sorted(p.stem for p in (ROOT / "content/routines").glob("*.md"))
DISCLAIMER_SHORT = SiteConfig.model_fields["disclaimer_short"].default
PAPER = ("Letter", "A4")


def squash(text: str) -> str:
    """Text without whitespace or ligatures, so line breaks and 'ﬂ' in a PDF don't matter."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def pdf_pages(data: bytes) -> list[str]:
    return [squash(page.extract_text()) for page in PdfReader(io.BytesIO(data)).pages]


def site_short_disclaimer() -> str:
    text = (ROOT / "content/site.yaml").read_text()
    match = re.search(r"^disclaimer_short: *\"?(.*?)\"?$", text, re.M)
    return match.group(1) if match else DISCLAIMER_SHORT


def card_texts(page) -> list[dict[str, str]]:
    """Each card's title and its last line, as the browser lays them out."""
    settled(page)
    return page.eval_on_selector_all(".ws-cards > .ws-card", """cards => cards.map(c => ({
        title: c.querySelector("h2").innerText,
        last: [...c.querySelectorAll("p, li")].filter(e => e.offsetParent && !e.closest(
            ".ws-controls")).pop().innerText,
    }))""")


def assert_printed_well(data: bytes, title: str, cards: list[dict[str, str]], limit: int):
    pages = pdf_pages(data)
    assert 1 <= len(pages) <= limit, f"{title}: {len(pages)} pages"
    for number, text in enumerate(pages, 1):
        assert squash(site_short_disclaimer()) in text, f"page {number}: no disclaimer"
        assert squash(title) in text, f"page {number}: no title"
        assert f"Page{number}of{len(pages)}" in text
    for card in cards:
        where = {i for i, text in enumerate(pages) if squash(card["title"]) in text}
        ends = {i for i, text in enumerate(pages) if squash(card["last"]) in text}
        assert where and ends and where & ends, f"card '{card['title']}' is split across pages"


@pytest.mark.parametrize("routine", ROUTINES)
def test_routine_worksheet_prints_on_two_pages_at_most(page, site_url, routine):
    page.goto(f"{site_url}worksheets/{routine}/")
    title = page.locator("h1").inner_text()
    cards = card_texts(page)
    assert len(cards) >= 2
    for paper in PAPER:
        data = page.pdf(format=paper)
        assert_printed_well(data, title, cards, limit=2)
        printed = "".join(pdf_pages(data))
        assert squash("Get help now if") in printed and squash("Medical disclaimer") in printed
        if routine == "ten-minute-lower-back-series":
            ARTIFACTS.mkdir(exist_ok=True)
            (ARTIFACTS / f"worksheet-{routine}-{paper}.pdf").write_bytes(data)
    # The QR code leads to this very page.
    assert page.locator(".ws-qr svg title").text_content().startswith("QR code")
    assert page.locator("link[rel=canonical]").get_attribute("href").endswith(
        f"/worksheets/{routine}/")


def test_worksheet_on_screen_has_print_button_and_pdf_link(page, site_url):
    page.goto(f"{site_url}worksheets/five-minute-back-relief/")
    assert page.get_by_role("button", name="Print").is_visible()
    if pdf.available():
        link = page.get_by_role("link", name="Download PDF")
        assert link.get_attribute("href") == "/limber/worksheets/five-minute-back-relief.pdf"
        response = page.request.get(site_url + "worksheets/five-minute-back-relief.pdf")
        assert response.ok and response.body().startswith(b"%PDF")
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 1100, "height": 1400})
    page.screenshot(path=str(ARTIFACTS / "worksheet-screen.png"), full_page=True)


def test_worksheet_print_hides_the_site_chrome(page, site_url):
    page.goto(f"{site_url}worksheets/chair-back-relief/")
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.get_by_role("button", name="Print").is_visible()
    assert page.locator(".ws-log").is_visible()
    assert page.locator(".ws-grid tbody tr").count() == 4  # date, done, pain before, after
    assert page.locator(".ws-grid thead th").count() == 8  # label + 7 days


@pytest.mark.slow
def test_every_stretch_page_prints_on_one_clean_page(page, site_url):
    """One sheet per stretch on Letter and A4: no navigation, cautions kept, disclaimer at
    the foot."""
    slugs = sorted(p.stem for p in (ROOT / "content/stretches").glob("*.md"))
    too_long = []
    for slug in slugs:
        page.goto(f"{site_url}stretches/{slug}/")
        last_caution = squash(page.locator(".cautions li").last.inner_text())
        for paper in PAPER:
            pages = pdf_pages(page.pdf(format=paper))
            if len(pages) != 1:
                too_long.append(f"{slug} on {paper}: {len(pages)} pages")
                continue
            text = pages[0]
            assert "Skiptocontent" not in text and "Routines" not in text, slug  # no menu
            assert squash("Medical disclaimer") in text, slug
            assert last_caution in text, slug
    assert too_long == [], "\n".join(too_long)


def test_build_your_own_worksheet(browser, site_url):
    context = browser.new_context()
    tab = context.new_page()
    chosen = ["cat-cow", "bridge", "seated-piriformis-stretch"]
    for slug in chosen:
        tab.goto(f"{site_url}stretches/{slug}/")
        button = tab.locator("[data-add-to-worksheet] button")
        assert button.inner_text() == "Add to my worksheet"
        button.click()
        assert button.get_attribute("aria-pressed") == "true"
        assert button.inner_text() == "On my worksheet ✓ (remove)"
    tab.goto(f"{site_url}worksheets/custom/")

    def titles(t) -> list[str]:
        settled(t)
        return t.locator("[data-chosen] .ws-card h2").all_inner_texts()

    def numbers(t) -> list[str]:
        return t.locator("[data-chosen] .ws-num").all_inner_texts()

    assert titles(tab) == ["Cat-cow", "Bridge", "Seated piriformis stretch"]
    # Reorder: the piriformis stretch up one place, then take the bridge off.
    tab.locator("[data-slug=seated-piriformis-stretch]").get_by_role(
        "button", name="Move up").click()
    assert titles(tab) == ["Cat-cow", "Seated piriformis stretch", "Bridge"]
    tab.locator("[data-chosen] [data-slug=bridge]").get_by_role("button", name="Remove").click()
    tab.goto(f"{site_url}stretches/knee-to-chest/")
    tab.get_by_role("button", name="Add to my worksheet").click()
    tab.goto(f"{site_url}worksheets/custom/")
    tab.reload()
    expected = ["Cat-cow", "Seated piriformis stretch", "Single knee to chest"]
    assert titles(tab) == expected
    assert numbers(tab) == ["1", "2", "3"]
    share = tab.locator("[data-share-url]").input_value()
    assert "/worksheets/custom/#v=1&e=cat-cow&e=seated-piriformis-stretch&e=knee-to-chest&" \
        in share
    context.close()

    fresh = browser.new_context()  # nothing in localStorage
    other = fresh.new_page()
    other.goto(share)
    assert titles(other) == expected
    cards = card_texts(other)
    for paper in PAPER:  # three stretches and the log: one sheet, not a page of log alone
        data = other.pdf(format=paper)
        assert_printed_well(data, "My worksheet", cards, limit=1)
        text = "".join(pdf_pages(data))
        assert "Moveup" not in text and "Remove" not in text  # controls stay on screen
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "worksheet-custom-Letter.pdf").write_bytes(other.pdf(format="Letter"))
    fresh.close()


def test_custom_worksheet_without_javascript_lists_stretches(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(f"{site_url}worksheets/custom/")
    fallback = tab.locator("[data-fallback]")
    assert fallback.is_visible()
    assert not tab.locator("[data-builder]").is_visible()
    assert tab.locator("aside.disclaimer").is_visible()
    fallback.get_by_role("link", name="the list of stretches").click()  # which links to
    assert tab.locator(".stretch-card .card-text a").count() == len(list(  # every stretch
        (ROOT / "content/stretches").glob("*.md")))
    tab.goto(f"{site_url}stretches/cat-cow/")
    assert not tab.get_by_role("button", name="Add to my worksheet").is_visible()
    context.close()


@pytest.mark.slow
def test_pdf_option_writes_a_pdf_per_routine(tmp_path: Path):
    if not pdf.available():
        if os.environ.get("CI") == "true":
            pytest.fail("WeasyPrint is missing; CI installs it with the test extra")
        pytest.skip("WeasyPrint is not installed: python -m pip install -e '.[pdf]'")
    report = build(Settings(content=ROOT / "content", templates=TEMPLATES, out=tmp_path / "s",
                            pdf=True))
    for routine in ROUTINES:
        data = report.files[f"worksheets/{routine}.pdf"]
        assert data.startswith(b"%PDF")
        assert data == (tmp_path / "s" / "worksheets" / f"{routine}.pdf").read_bytes()
        html = report.files[f"worksheets/{routine}/index.html"].decode()
        title = re.search(r"<h1>(.*?)</h1>", html).group(1)
        pages = pdf_pages(data)
        assert 1 <= len(pages) <= 2
        for text in pages:
            assert squash(title) in text and squash(site_short_disclaimer()) in text
    # Same input, same PDF bytes.
    again = build(Settings(content=ROOT / "content", templates=TEMPLATES, pdf=True),
                  write=False)
    assert again.files["worksheets/chair-back-relief.pdf"] == \
        report.files["worksheets/chair-back-relief.pdf"]


def test_pdf_option_without_weasyprint_says_how_to_get_it(make_site, run, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_weasyprint(name, *args, **kwargs):
        if name.startswith("weasyprint"):
            raise ImportError("No module named 'weasyprint'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_weasyprint)
    make_site()
    result = run("--pdf")
    assert result.code == 1
    assert "--pdf needs WeasyPrint" in result.err
    assert "python -m pip install -e '.[pdf]'" in result.err
    plain = run()
    assert plain.code == 0 and "add --pdf for worksheet PDFs" in plain.out


def test_a_short_routine_prints_on_one_sheet_with_its_log(page, site_url):
    """No second page holding only the log, when the log fits on the first."""
    shortest = min(ROUTINES, key=lambda slug: (ROOT / f"content/routines/{slug}.md").read_text()
                   .count("- stretch:"))
    page.goto(f"{site_url}worksheets/{shortest}/")
    title = page.locator("h1").inner_text()
    for paper in PAPER:
        assert_printed_well(page.pdf(format=paper), title, card_texts(page), limit=1)


def test_on_paper_titles_and_doses_are_14_pt_and_cautions_10_pt(page, site_url):
    page.goto(f"{site_url}worksheets/ten-minute-lower-back-series/")
    page.emulate_media(media="print")
    sizes = page.evaluate("""() => Object.fromEntries(["h2", ".ws-dose", ".ws-caution"].map(
        s => [s, Math.min(...[...document.querySelectorAll(".ws-cards " + s)].map(
            e => parseFloat(getComputedStyle(e).fontSize)))]))""")
    pt = 96 / 72  # CSS pixels a point
    assert min(sizes["h2"], sizes[".ws-dose"]) >= 14 * pt - 0.01, sizes
    assert sizes[".ws-caution"] >= 10 * pt - 0.01, sizes
    # The note lines end clear of the rule over the disclaimer, which follows them.
    lines, rule = (page.locator(selector).bounding_box() for selector in (
        ".ws-lines span:last-child", ".ws-flow .disclaimer"))
    assert abs(lines["x"] - rule["x"]) < 5  # the same column
    gap = rule["y"] - (lines["y"] + lines["height"])
    assert gap >= 2.5 * 96 / 25.4, f"{gap:.1f} px between the note lines and the rule"


@pytest.mark.parametrize("route", ["worksheets/ten-minute-lower-back-series/",
                                   "worksheets/custom/?s=side-lying-quadratus-lumborum-stretch,"
                                   "seated-piriformis-stretch"])
def test_the_log_fits_a_small_phone(browser, site_url, route):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    tab = context.new_page()
    tab.goto(site_url + route)
    if "custom" in route:  # a row a stretch: the longest labels
        tab.get_by_text("Tailor this sheet").click()
        tab.get_by_label("Ticks").select_option("exercise")
    overflowing = tab.eval_on_selector_all(".ws-grid th, .ws-grid td", """cells => cells
        .filter(c => c.scrollWidth > c.clientWidth + 1).map(c => c.innerText)""")
    assert overflowing == []
    assert tab.evaluate("document.documentElement.scrollWidth") <= 320  # no sideways scroll
    tab.locator(".ws-log").screenshot(path=str(ARTIFACTS / f"log-phone-{route.split('/')[1]}.png"))
    context.close()


def test_the_running_header_keeps_words_whole(browser, tmp_path):
    """A long title and a long address: the title wraps between words, the address is
    printed whole on a line of its own."""
    base = ("https://riverside-county-physiotherapy-clinic.github.io/"
            "limber-home-exercise-programmes/")
    out = tmp_path / "site"
    build(Settings(content=ROOT / "content", templates=TEMPLATES, out=out, base_url=base,
                   search=False))
    context = browser.new_context()
    tab = context.new_page()

    def serve(route):  # the site as if published at that address
        path = route.request.url.removeprefix(base).split("?")[0].split("#")[0]
        file = out / path / "index.html" if not path or path.endswith("/") else out / path
        route.fulfill(path=file) if file.is_file() else route.fulfill(status=404)
    tab.route(base + "**", serve)
    slug = max(ROUTINES, key=lambda r: len(r))
    tab.goto(f"{base}worksheets/{slug}/")
    title = tab.locator("h1").inner_text()
    address = f"{base}worksheets/{slug}/".split("://")[1]
    for paper in PAPER:
        for number, text in enumerate(PdfReader(io.BytesIO(tab.pdf(format=paper))).pages, 1):
            words = set(text.extract_text().split())
            assert address in words, f"page {number} on {paper}: the address is broken"
            assert set(title.split()) <= words, f"page {number} on {paper}: a title word broke"
    context.close()
