"""Errors that the build reports to an author.

Every problem found in content or templates becomes a `Problem`: a file, a
line, the field or place it concerns, and a message that says how to fix it.
Stages collect problems instead of stopping at the first, and the pipeline
raises `BuildFailed` with all of them at once.
"""

from __future__ import annotations

import difflib
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

# Of one file's problems, the first this many are shown: those are the ones to fix first,
# the rest often follow from them, and a file can have thousands (a pasted table of
# broken links), which would push every other file's problems off the screen.
SHOWN_PER_FILE = 20


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


def shown(problems: Iterable[Problem], per_file: int = SHOWN_PER_FILE) -> Iterator[Problem]:
    """The problems to show, in order: each file's first `per_file`, then, if it has more,
    one that says how many more there are. They come sorted by file, as BuildFailed keeps
    them."""
    for path, group in itertools.groupby(problems, key=lambda problem: problem.path):
        found = list(group)
        yield from found[:per_file]
        if len(found) > per_file:
            yield Problem(path, 0, "", f"{len(found) - per_file} more problems in this file "
                          "are not shown; fix these and build again to see them")


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice most like word, if any is close enough to be a likely typo."""
    match = difflib.get_close_matches(str(word), sorted(choices), n=1, cutoff=0.6)
    return match[0] if match else None


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """Return " (did you mean 'x'?)" for the closest choice, or ''."""
    match = closest(word, choices)
    return f" (did you mean '{match}'?)" if match else ""
