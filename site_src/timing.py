"""How long a routine takes, worked out from its steps, and what its title promises.

A step takes its set-up time, then every repetition: the hold (or, for a moving
stretch with no hold, a few seconds a move), times the reps, the sets and the
sides, with a short rest between one repetition and the next. The three times
are the site's to set (site.yaml, `timing:`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
           "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
# A count at the start of a title: 'Six stretches ...', '3 moves ...'; not 'Ten-minute ...'.
COUNT = re.compile(r"^(\d+|" + "|".join(NUMBERS) + r")\s", re.IGNORECASE)
TOLERANCE = 0.25  # how far a routine's stated minutes may be from its computed time


@dataclass(frozen=True)
class Dose:
    """One step as it is done: seconds held (None: a moving stretch), reps, sets, sides."""

    hold: int | None
    reps: int
    sets: int
    sides: int


@dataclass(frozen=True)
class Timing:
    setup: int  # seconds to get into position for each step
    rest: int  # seconds between one repetition (or set, or side) and the next
    move: int  # seconds one repetition of a moving stretch takes


def step_seconds(dose: Dose, timing: Timing) -> int:
    repetitions = dose.reps * dose.sets * dose.sides
    each = dose.hold if dose.hold else timing.move
    return timing.setup + repetitions * each + (repetitions - 1) * timing.rest


def routine_seconds(doses: list[Dose], timing: Timing) -> int:
    return sum(step_seconds(dose, timing) for dose in doses)


def minutes(seconds: int) -> int:
    """Whole minutes, at least one: 9 min 20 s -> 9."""
    return max(1, round(seconds / 60))


def about(seconds: int) -> str:
    """'About 9 minutes', 'About 1 minute'."""
    count = minutes(seconds)
    return f"About {count} minute{'' if count == 1 else 's'}"


def stated_minutes_problem(stated: int, seconds: int, timing: Timing) -> str | None:
    """Why `minutes: stated` is wrong for steps that take `seconds`, or None if it is close."""
    computed = seconds / 60
    if abs(stated - computed) <= TOLERANCE * computed:
        return None
    return (f"says {stated} minutes, but its steps take about {minutes(seconds)} (each hold x "
            f"reps x sets x sides, {timing.rest} s rests, {timing.setup} s to set up each "
            f"step); change it to {minutes(seconds)}, shorten the steps, or leave 'minutes' "
            "out to show the computed time")


def promised_count(title: str) -> int | None:
    """The number of stretches a title promises: 'Six stretches for ...' -> 6."""
    match = COUNT.match(title.strip())
    if not match:
        return None
    word = match.group(1).lower()
    return int(word) if word.isdigit() else NUMBERS[word]
