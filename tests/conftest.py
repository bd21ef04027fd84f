"""Shared fixtures: tiny sites written inline, built through the real command line."""

from __future__ import annotations

import hashlib
import os
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from site_src.cli import main

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"

# A small valid site. Tests override or add files by path; None removes one.
_BASE: dict[str, str] = {
    "content/site.yaml": """\
        title: Test Stretches
        description: Stretches for testing.
        base_url: https://example.github.io/limber/
        language: en
        disclaimer: |
          For education only. **Stop if it hurts** and ask your clinician.
        """,
    "content/muscles/hamstrings.md": """\
        ---
        name: Hamstrings
        region: legs
        aliases: [back of thigh]
        ---
        The muscles at the back of the thigh.
        """,
    "content/muscles/glutes.md": """\
        ---
        name: Glutes
        region: glutes
        ---
        The buttock muscles.
        """,
    "content/muscles/calves.md": """\
        ---
        name: Calves
        region: legs
        ---
        The muscles at the back of the lower leg.
        """,
    "content/stretches/seated-hamstring-stretch.md": """\
        ---
        title: Seated hamstring stretch
        summary: Sit tall and reach for your toes.
        muscles: [hamstrings]
        secondary_muscles: [glutes]
        position: seated
        equipment: [chair]
        difficulty: beginner
        hold_seconds: 30
        reps: 3
        each_side: true
        cues: [Sit tall, Reach forward]
        cautions: [Do not bounce.]
        sources:
          - {title: Example source, url: "https://example.org/"}
        last_reviewed: 2026-01-15
        ---
        1. Sit on the edge of a chair.
        2. Straighten one leg.
        3. Lean forward from the hips.
        4. Hold, then switch legs.
        """,
    "content/stretches/figure-four.md": """\
        ---
        title: Figure-four stretch
        summary: Cross one ankle over the other knee.
        muscles: [glutes]
        secondary_muscles: [hamstrings]
        position: lying
        difficulty: intermediate
        hold_seconds: 60
        ---
        1. Lie on your back.
        2. Cross one ankle over the other knee.
        3. Pull the legs toward you.
        4. Switch sides.

        See also the [safety page](../pages/safety.md).
        """,
    "content/routines/morning.md": """\
        ---
        title: Morning loosener
        summary: Two stretches to start the day.
        minutes: 4
        frequency: daily
        steps:
          - stretch: figure-four
            note: Go gently.
          - stretch: seated-hamstring-stretch
            hold_seconds: 20
        ---
        Do these before breakfast.
        """,
    "content/pages/safety.md": """\
        ---
        title: Stretch safely
        nav_order: 1
        ---
        Hold each stretch about **30 seconds**.
        """,
}
BASE_FILES = {path: textwrap.dedent(text) for path, text in _BASE.items()}


@dataclass
class Result:
    code: int
    out: str
    err: str


@dataclass
class SiteDir:
    root: Path

    @property
    def out(self) -> Path:
        return self.root / "_site"

    def write(self, path: str, text: str | None) -> None:
        target = self.root / path
        if text is None:
            target.unlink()
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")

    def page(self, path: str) -> str:
        return (self.out / path).read_text(encoding="utf-8")


@pytest.fixture
def make_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """make_site({path: text or None}) -> a site folder (the working folder) over BASE_FILES."""

    def make(files: dict[str, str | None] | None = None) -> SiteDir:
        site = SiteDir(tmp_path)
        for path, text in {**BASE_FILES, **(files or {})}.items():
            if text is not None:
                site.write(path, text)
        monkeypatch.chdir(tmp_path)
        return site

    return make


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]):
    """run('build', '--out', ...) -> Result, through the real command line, in-process."""

    def run_cli(*args: str) -> Result:
        if "--templates" not in args and (not args or args[0] != "--help"):
            args = (*args, "--templates", str(TEMPLATES))
        if not args or args[0] not in ("build", "check"):
            args = ("build", *args)
        code = main(list(args))
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run_cli


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file (and symlink) under folder -> sha256 of its bytes."""
    digest = {}
    for dirpath, _dirnames, filenames in os.walk(folder):
        for name in filenames:
            path = Path(dirpath) / name
            digest[path.relative_to(folder).as_posix()] = hashlib.sha256(
                path.read_bytes()).hexdigest()
    return dict(sorted(digest.items()))
