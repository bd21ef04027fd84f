"""The routine player in a real browser, on Playwright's clock: no test waits in real time.

The routine is 'Two standing hip stretches': the hip flexor stretch, held 30 s, 3 times
on each side, then the leg rotation, a moving stretch done 10 times on each side. The
site's times are the defaults: 15 s to get ready, 5 s rests, 4 s a move.
"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from tests.conftest import ARTIFACTS

pytestmark = pytest.mark.browser

ROUTINE = "routines/two-standing-hip-stretches/"


def shown(page) -> dict[str, str]:
    player = page.locator("[data-player]")
    return {name: player.locator(f"[data-{name}]").inner_text()
            for name in ("title", "phase", "count", "counters")}


@pytest.fixture
def player(page, site_url):
    page.clock.install()
    page.goto(site_url + ROUTINE)
    page.get_by_role("button", name="Start the routine").click()
    assert page.locator("[data-player]").is_visible()
    return page


def test_countdown_rests_switches_sides_and_moves_on(player):
    page = player
    assert shown(page) == {"title": "Standing hip flexor stretch", "phase": "Get ready",
                           "count": "15", "counters": ""}
    page.clock.run_for(15_000)
    assert shown(page) == {"title": "Standing hip flexor stretch", "phase": "Hold",
                           "count": "30", "counters": "Rep 1 of 3 · Side 1 of 2"}
    page.clock.run_for(12_000)
    assert shown(page)["count"] == "18"
    page.clock.run_for(18_000)  # the hold runs out: a rest
    assert shown(page)["phase"] == "Rest" and shown(page)["count"] == "5"
    page.clock.run_for(5_000)
    assert shown(page)["counters"] == "Rep 2 of 3 · Side 1 of 2"
    page.clock.run_for(30_000 + 5_000 + 30_000)  # rep 2, a rest, rep 3
    assert shown(page)["phase"] == "Switch sides"
    page.clock.run_for(5_000)
    assert shown(page)["counters"] == "Rep 1 of 3 · Side 2 of 2"
    page.screenshot(path=str(ARTIFACTS / "player-phone.png"))
    page.clock.run_for(3 * 30_000 + 2 * 5_000)  # side 2 done: the next stretch
    assert shown(page) == {"title": "Standing leg rotation", "phase": "Get ready",
                           "count": "15", "counters": ""}
    assert page.locator("[data-step-count]").inner_text() == "Stretch 2 of 2"
    page.clock.run_for(15_000)
    assert shown(page)["phase"] == "Move" and shown(page)["count"] == "4"
    announced = page.locator("[data-announce]").inner_text()
    assert announced.startswith("Move.") and "Rep 1 of 10" in announced


def test_pause_resume_and_the_keyboard(player):
    page = player
    page.clock.run_for(20_000)
    assert shown(page)["count"] == "25"
    page.keyboard.press("Space")  # focus starts on Pause
    assert page.locator("[data-pause]").inner_text() == "Resume"
    assert page.locator("[data-announce]").inner_text() == "Paused."
    page.clock.run_for(60_000)
    assert shown(page)["count"] == "25", "paused: the countdown waits"
    page.keyboard.press("Space")
    page.clock.run_for(5_000)
    assert shown(page)["count"] == "20"
    page.keyboard.press("ArrowRight")
    assert shown(page)["title"] == "Standing leg rotation"
    page.keyboard.press("ArrowLeft")
    assert shown(page)["title"] == "Standing hip flexor stretch"
    assert shown(page)["phase"] == "Get ready"


def test_finishing_keeps_pain_scores_on_the_device_only(player):
    page = player
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.get_by_role("button", name="Next").click()
    page.clock.run_for(15_000 + 20 * 4_000 + 19 * 5_000)  # the leg rotation, to its end
    done = page.locator("[data-done]")
    expect(done).to_be_visible()  # as the page settles: a busy machine's browser lags
    assert "stay in this browser, on this device" in done.inner_text()
    assert done.get_by_role("link", name="Check your progress with the self-assessment") \
        .get_attribute("href").endswith("/self-assessment/")
    page.get_by_label("Before you started").fill("6")
    page.get_by_label("Now").fill("3")
    page.get_by_role("button", name="Save my scores").click()
    assert page.locator("[data-pain-saved]").inner_text() == "Saved on this device."
    kept = json.loads(page.evaluate("localStorage.getItem('limber.pain.v1')"))
    assert kept == [{"routine": "two-standing-hip-stretches", "date": kept[0]["date"],
                     "before": 6, "after": 3}]
    assert requests == [], "nothing is sent anywhere"


def test_a_reload_mid_routine_resumes_where_it_was(player, site_url):
    page = player
    page.clock.run_for(15_000 + 30_000 + 5_000 + 10_000)  # 10 s into rep 2
    assert shown(page)["counters"] == "Rep 2 of 3 · Side 1 of 2"
    page.reload()
    assert page.locator("[data-player]").is_visible()
    assert shown(page) == {"title": "Standing hip flexor stretch", "phase": "Hold",
                           "count": "20", "counters": "Rep 2 of 3 · Side 1 of 2"}
    assert page.locator("[data-pause]").inner_text() == "Resume"  # waits for the reader
    page.get_by_role("button", name="Close").click()
    page.reload()
    assert not page.locator("[data-player]").is_visible(), "closing forgets the place"


def test_sound_is_off_until_asked_and_remembered(player):
    page = player
    box = page.get_by_label("Beep and vibrate at each change")
    assert not box.is_checked()
    box.check()
    page.get_by_role("button", name="Close").click()
    page.reload()
    page.get_by_role("button", name="Start the routine").click()
    assert page.get_by_label("Beep and vibrate at each change").is_checked()


def test_without_javascript_there_is_no_start_button(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + ROUTINE)
    assert not page.get_by_role("button", name="Start the routine").is_visible()
    assert not page.locator("[data-player]").is_visible()
    context.close()


def test_the_build_your_own_sheet_plays_its_stretches_in_its_order(page, site_url):
    page.clock.install()
    page.goto(site_url + "worksheets/custom/?s=bridge,cat-cow")
    page.get_by_role("button", name="Start the routine").click()
    assert page.locator("[data-step-count]").inner_text() == "Stretch 1 of 2"
    assert shown(page)["title"] == "Bridge"
    page.keyboard.press("ArrowRight")
    assert shown(page)["title"] == "Cat-cow"
    page.clock.run_for(15_000)
    assert shown(page)["phase"] == "Move" and shown(page)["counters"] == "Rep 1 of 10"


def test_a_tailored_sheet_plays_the_doses_set_on_it(page, site_url):
    page.clock.install()
    page.goto(site_url + "worksheets/custom/?s=bridge")
    card = page.locator("[data-chosen] [data-slug=bridge]")
    card.get_by_text("Change the dose or add a note").click()
    card.get_by_label("Hold (seconds)").fill("45")
    card.get_by_label("Times").fill("2")
    card.get_by_label("Note").fill("Keep your hips level")
    page.get_by_role("button", name="Start the routine").click()
    player = page.locator("[data-player]")
    assert player.locator("[data-dose]").inner_text() == "Hold 45 s, twice"
    assert player.locator("[data-note]").inner_text() == "Note: Keep your hips level"
    page.clock.run_for(15_000)
    assert shown(page) == {"title": "Bridge", "phase": "Hold", "count": "45",
                           "counters": "Rep 1 of 2"}
    page.clock.run_for(45_000 + 5_000 + 45_000)  # both reps, with the rest between
    assert page.locator("[data-done]").is_visible()


def test_a_reload_mid_routine_resumes_a_built_sheet_once_its_cards_have_come(page, site_url):
    page.clock.install()
    page.goto(site_url + "worksheets/custom/?s=bridge,cat-cow")
    page.get_by_role("button", name="Start the routine").click()
    page.keyboard.press("ArrowRight")
    assert shown(page)["title"] == "Cat-cow"
    page.reload()
    assert page.locator("[data-player]").is_visible()
    assert shown(page)["title"] == "Cat-cow"
    assert page.locator("[data-step-count]").inner_text() == "Stretch 2 of 2"
    assert page.locator("[data-pause]").inner_text() == "Resume"
