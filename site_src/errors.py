"""Errors that the build reports to an author.

Every problem found in content or templates becomes a `Problem`: a file, a
line, the field or place it concerns, and a message that says how to fix it.
Stages collect problems instead of stopping at the first, and the pipeline
raises `BuildFailed` with all of them at once.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, located as precisely as we can."""

    path: str
    line: int = 0
    field: str = ""
    message: str = ""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        if self.field:
            return f"{where}: {self.field}: {self.message}"
        return f"{where}: {self.message}"


class SiteError(Exception):
    """Base class for errors the command line turns into a message, not a traceback."""


class BuildFailed(SiteError):
    """The input has problems; nothing was written."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(set(problems))
        super().__init__(f"{len(self.problems)} problem(s)")


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice most like word, if any is close enough to be a likely typo."""
    match = difflib.get_close_matches(str(word), sorted(choices), n=1, cutoff=0.6)
    return match[0] if match else None


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """Return " (did you mean 'x'?)" for the closest choice, or ''."""
    match = closest(word, choices)
    return f" (did you mean '{match}'?)" if match else ""
