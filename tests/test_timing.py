"""Routine times worked out from the steps, and the counts titles promise."""

from __future__ import annotations

import pytest

from site_src.timing import Dose, Timing, about, promised_count, routine_seconds, step_seconds
from tests.test_pages import text_of

RULES = Timing(setup=15, rest=5, move=4)


@pytest.mark.parametrize("dose, seconds", [
    (Dose(hold=30, reps=3, sets=1, sides=2), 15 + 6 * 30 + 5 * 5),  # 6 holds, 5 rests
    (Dose(hold=60, reps=1, sets=1, sides=1), 15 + 60),
    (Dose(hold=10, reps=3, sets=3, sides=1), 15 + 9 * 10 + 8 * 5),
    (Dose(hold=None, reps=10, sets=1, sides=1), 15 + 10 * 4 + 9 * 5),  # a moving stretch
])
def test_a_step_takes_set_up_holds_and_rests(dose, seconds):
    assert step_seconds(dose, RULES) == seconds


def test_a_routine_adds_its_steps_and_reads_in_whole_minutes():
    doses = [Dose(30, 3, 1, 2), Dose(None, 10, 1, 1)]
    assert routine_seconds(doses, RULES) == 220 + 100
    assert about(320) == "About 5 minutes"
    assert about(20) == "About 1 minute"


@pytest.mark.parametrize("title, count", [
    ("Six stretches for back mobility", 6),
    ("Two standing hip stretches for back pain", 2),
    ("3 moves for the morning", 3),
    ("Ten-minute lower-back series", None),  # a time, not a count
    ("Five-minute back relief", None),
    ("Chair routine for back pain", None),
])
def test_the_count_a_title_promises(title, count):
    assert promised_count(title) == count


def test_routine_pages_show_the_computed_time_and_site_yaml_sets_its_parts(make_site, run):
    site = make_site()
    assert run().code == 0
    # figure-four: 15 + 60; seated hamstring, the routine's 20 s hold x 3 x 2 sides:
    # 15 + 120 + 5 rests of 5 s; 235 s in all
    for path in ("routines/morning/index.html", "worksheets/morning/index.html",
                 "routines/index.html", "index.html"):
        assert "About 4 minutes" in text_of(site.page(path)), path
    config = (site.root / "content/site.yaml").read_text()
    site.write("content/site.yaml", config + "timing: {setup_seconds: 60, rest_seconds: 30}\n")
    assert run().code == 1  # 'minutes: 4' is now far from the 9 minutes the steps take
    site.write("content/routines/morning.md",
               (site.root / "content/routines/morning.md").read_text().replace("minutes: 4\n",
                                                                               ""))
    result = run()
    assert result.code == 0, result.err
    # 60 + 60, and 60 + 120 + 5 rests of 30 s: 450 s
    assert "About 8 minutes" in text_of(site.page("routines/morning/index.html"))
