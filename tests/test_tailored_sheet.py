"""The build-your-own worksheet as a physical therapist uses it, in Debian's Chromium:
tailored doses, notes and details that travel in the share link, a QR code to that exact
link on paper, the reader's own sheet kept apart from shared ones, and broken links."""

from __future__ import annotations

import io
import json

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import expect

from tests.conftest import ARTIFACTS, settled
from tests.test_worksheets import PAPER, assert_printed_well, card_texts, pdf_pages, squash

pytestmark = pytest.mark.browser

SHEET = "worksheets/custom/"
EIGHT = ["cat-cow", "bridge", "seated-piriformis-stretch", "knee-to-chest", "childs-pose",
         "lower-trunk-rotation", "standing-hamstring-stretch", "seated-trunk-rotation"]
MODULE = "document.querySelector('script[src*=\"worksheet.js\"]').src"


def titles(tab) -> list[str]:
    settled(tab)
    return tab.locator("[data-chosen] .ws-card h2").all_inner_texts()


def own_sheet(tab, site_url: str, slugs: list[str]) -> None:
    """Make `slugs` the reader's saved sheet, as a reader would: open a list, save it."""
    tab.goto(f"{site_url}{SHEET}?s={','.join(slugs)}")
    tab.get_by_role("button", name="Save as my sheet").click()
    assert tab.locator("[data-status]").inner_text() == "Saved as your sheet on this device."


def link_for(tab, site_url: str, sheet: dict) -> str:
    """A share link made by the page's own code, for a sheet given in full."""
    body = tab.evaluate(f"""async sheet => {{
        const m = await import({MODULE});
        return m.encode({{...m.blank(), ...sheet}});
    }}""", sheet)
    return f"{site_url}{SHEET}#{body}"


def qr_text(tab) -> str:
    shot = tab.locator("[data-qr-code] svg").screenshot()
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(shot)))
    assert len(found) == 1, "no QR code could be read"
    return found[0].text


def stored(tab) -> str | None:
    return tab.evaluate("localStorage.getItem('limber.sheet.v1')")


def test_a_tailored_sheet_travels_in_its_link_and_prints(browser, site_url):
    therapist = browser.new_context(viewport={"width": 1100, "height": 900})
    tab = therapist.new_page()
    own_sheet(tab, site_url, EIGHT)
    tab.get_by_text("Tailor this sheet").click()
    tab.get_by_label("Title").fill("Low back plan")
    tab.get_by_label("Patient").fill("Ann Lee")
    tab.get_by_label("Clinician and clinic").fill("Jo Smith, Riverside Physiotherapy")
    tab.get_by_label("Start date").fill("2026-11-23")
    tab.get_by_label("How often").fill("Twice a day")
    tab.get_by_label("Ticks").select_option("exercise")
    bridge = tab.locator("[data-chosen] [data-slug=bridge]")
    bridge.get_by_text("Change the dose or add a note").click()
    bridge.get_by_label("Hold (seconds)").fill("45")
    bridge.get_by_label("Times").fill("2")
    bridge.get_by_label("Note").fill("Keep your hips level \u2013 slowly")
    assert bridge.locator(".ws-dose").inner_text() == "Hold 45 s, twice"
    assert tab.locator("h1").inner_text() == "Low back plan"
    share = tab.locator("[data-share-url]").input_value()
    assert share.startswith(f"{site_url}{SHEET}#v=1&e=cat-cow&e=bridge.45.2")
    assert len(share) < 500, f"a long link makes a dense QR code: {len(share)} characters"
    # The QR code on the sheet is that very link, readable at the size it prints.
    assert qr_text(tab) == share
    therapist.close()

    patient = browser.new_context(viewport={"width": 390, "height": 844})  # nothing stored
    tab = patient.new_page()
    tab.goto(share)
    assert titles(tab) == titles_of(tab)
    assert tab.locator("h1").inner_text() == "Low back plan"
    assert tab.locator("[data-sheet-facts]").inner_text() == (
        "For Ann Lee · Twice a day · Starting 23 November 2026 · "
        "From Jo Smith, Riverside Physiotherapy")
    bridge = tab.locator("[data-chosen] [data-slug=bridge]")
    assert bridge.locator(".ws-dose").inner_text() == "Hold 45 s, twice"
    assert bridge.locator(".ws-note").inner_text() == "Note: Keep your hips level \u2013 slowly"
    grid = tab.locator(".ws-log .ws-grid")
    assert grid.locator("thead th").all_inner_texts()[:3] == ["Day", "Mon 23", "Tue 24"]
    assert grid.locator("tbody th").all_inner_texts() == [  # a tick a stretch a day
        *(f"{n}. {title}" for n, title in enumerate(titles(tab), 1)), "Pain before", "Pain after"]
    assert tab.get_by_text("Someone shared this sheet with you").is_visible()
    assert stored(tab) is None  # opening a link saves nothing
    tab.screenshot(path=str(ARTIFACTS / "worksheet-tailored-phone.png"), full_page=True)

    cards = card_texts(tab)
    for paper in PAPER:
        data = tab.pdf(format=paper)
        assert_printed_well(data, "Low back plan", cards, limit=2)
        text = "".join(pdf_pages(data))
        for shown in ("For Ann Lee", "Hold 45 s, twice", "Note: Keep your hips level",
                      "Get help now if", "Medical disclaimer", "Mon 23", "Pain before"):
            assert squash(shown) in text, f"{shown!r} is not on the printed sheet ({paper})"
        assert "Changethedose" not in text and "Moveup" not in text  # screen-only controls
        (ARTIFACTS / f"worksheet-tailored-{paper}.pdf").write_bytes(data)

    # A longer log: a table a week, dated, and the link in the address bar says so.
    tab.get_by_text("Tailor this sheet").click()
    tab.get_by_label("Log").select_option("4")
    grids = tab.locator(".ws-log .ws-grid")
    assert grids.count() == 4
    assert grids.nth(3).locator("thead th").all_inner_texts()[:2] == ["Week 4", "Mon 14"]
    assert "&l=4e&" in tab.evaluate("location.hash")
    patient.close()


def titles_of(tab) -> list[str]:
    """The eight stretches' titles, as the built cards the sheet fetches name them."""
    return tab.evaluate("""slugs => Promise.all(slugs.map(async slug => {
        const holder = document.createElement("template");
        holder.innerHTML = (await (await fetch(`${slug}.json`)).json()).card;
        return holder.content.querySelector("h2").textContent.trim();
    }))""", EIGHT)


def test_a_shared_sheet_leaves_mine_alone_until_i_save_it(browser, site_url):
    context = browser.new_context()
    tab = context.new_page()
    own_sheet(tab, site_url, ["cat-cow"])
    mine = stored(tab)
    shared = link_for(tab, site_url, {"title": "From my physio",
                                      "items": [{"slug": "bridge", "hold": 20},
                                                {"slug": "knee-to-chest"}]})
    tab.goto(shared)  # the same page: the sheet changes when its cards have come
    expect(tab.locator("h1")).to_have_text("From my physio")
    assert titles(tab) == ["Bridge", "Single knee to chest"]
    assert stored(tab) == mine
    tab.goto(site_url + SHEET)
    assert titles(tab) == ["Cat-cow"]  # my own, as it was

    tab.goto(shared)
    asked = []
    tab.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    tab.get_by_role("button", name="Save as my sheet").click()
    assert "replaces the sheet saved on this device (1 stretch)" in asked[0]
    assert stored(tab) == mine  # said no: nothing changed
    tab.once("dialog", lambda dialog: dialog.accept())
    tab.get_by_role("button", name="Save as my sheet").click()
    assert tab.evaluate("location.hash") == ""
    tab.goto(site_url + SHEET)
    assert titles(tab) == ["Bridge", "Single knee to chest"]
    assert tab.locator("h1").inner_text() == "From my physio"
    context.close()


def test_the_link_holds_every_field_and_refuses_what_it_cannot_hold(page, site_url):
    page.goto(site_url + SHEET)
    result = page.evaluate(f"""async () => {{
        const m = await import({MODULE});
        const known = {{"cat-cow": "Cat-cow", "bridge": "Bridge"}};
        const sheet = {{...m.blank(), title: "Plan & notes: 100% yours", patient: "Zoë O\u2019Neil",
            clinician: "Dr. A. B., Clinic #2", start: "2027-02-28", often: "3 times a week",
            weeks: 4, tick: "exercise", items: [
              {{slug: "bridge", hold: 600, reps: 30, sets: 10, sides: 1,
                note: "Slow. Then: rest 2.5 s? ✓"}}, {{slug: "cat-cow"}}]}};
        const back = m.decode(m.encode(sheet), known);
        const long = m.decode(m.encode({{...sheet, items: [{{slug: "bridge",
                                         note: "x".repeat(161)}}]}}), known);
        const zero = m.decode(m.encode({{...sheet, items: [{{slug: "bridge", hold: 0}}]}}), known);
        return {{same: JSON.stringify(back.sheet) === JSON.stringify(sheet), back,
                 long: long.error, zero: zero.error}};
    }}""")
    assert result["same"], json.dumps(result["back"])
    assert result["long"] == "a note is longer than 160 characters"
    assert result["zero"] == "a hold of '0' is not a whole number from 1 to 600"


@pytest.mark.parametrize("damage", ["changed", "cut off", "newer", "garbled", "unversioned"])
def test_a_broken_link_says_so_and_shows_my_own_sheet(browser, site_url, damage):
    context = browser.new_context()
    tab = context.new_page()
    errors = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    own_sheet(tab, site_url, ["cat-cow"])
    link = link_for(tab, site_url, {"patient": "Ann", "items": [{"slug": "bridge"}]})
    broken = {
        "changed": link.replace("p=Ann", "p=Bob"),
        "cut off": link[:-12],
        "newer": link.replace("#v=1&", "#v=2&"),
        "garbled": link.replace("e=bridge", "e=bridge.4x"),
        "unversioned": link.replace("#v=1&", "#"),
    }[damage]
    tab.goto("about:blank")
    tab.goto(broken)
    message = tab.get_by_role("alert")
    assert message.is_visible()
    assert message.inner_text().startswith("This link to a worksheet can't be opened: ")
    if damage == "newer":
        assert "newer version of this site" in message.inner_text()
    assert titles(tab) == ["Cat-cow"]  # the reader's own sheet, untouched
    assert tab.get_by_role("button", name="Print").is_visible()
    assert errors == []
    context.close()


def test_a_stretch_the_site_no_longer_has_is_left_out_and_named(page, site_url):
    page.goto(site_url + SHEET)
    link = link_for(page, site_url, {"items": [{"slug": "gone-stretch"}, {"slug": "bridge"}]})
    page.goto("about:blank")
    page.goto(link)
    assert titles(page) == ["Bridge"]
    assert "no longer has, left out: gone-stretch" in page.get_by_role("alert").inner_text()


def test_the_sheet_fetches_only_the_stretches_on_it(page, site_url):
    """The page holds no stretch (a library of thousands would make it megabytes): it
    fetches the card of each stretch on the sheet, and no other."""
    fetched = []
    page.on("request", lambda request: fetched.append(request.url.rsplit("/", 1)[-1])
            if request.url.endswith(".json") else None)
    page.goto(f"{site_url}{SHEET}?s=bridge,cat-cow")
    assert titles(page) == ["Bridge", "Cat-cow"]
    assert sorted(fetched) == ["bridge.json", "cat-cow.json"]
    html = page.request.get(f"{site_url}{SHEET}").text()
    assert "data-slug" not in html and "Cat-cow" not in html


def test_a_card_that_cannot_be_fetched_is_named_and_my_sheet_is_kept(browser, site_url):
    context = browser.new_context()
    tab = context.new_page()
    own_sheet(tab, site_url, ["cat-cow", "bridge"])
    mine = stored(tab)
    offline = browser.new_context(storage_state=context.storage_state())
    context.close()
    tab = offline.new_page()
    tab.route("**/bridge.json", lambda route: route.abort("internetdisconnected"))
    tab.goto(site_url + SHEET)
    assert titles(tab) == ["Cat-cow"]
    assert "could not be loaded (bridge)" in tab.get_by_role("alert").inner_text()
    tab.get_by_text("Tailor this sheet").click()
    tab.get_by_label("Title").fill("Changed while offline")
    assert stored(tab) == mine  # bridge is still on the sheet kept on this device
    tab.unroute("**/bridge.json")
    tab.reload()
    assert titles(tab) == ["Cat-cow", "Bridge"]
    assert not tab.get_by_role("alert").is_visible()
    offline.close()
