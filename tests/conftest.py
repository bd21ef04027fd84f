"""Shared fixtures: tiny sites written inline, built through the real command line."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import socket
import sys
import textwrap
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from site_src import pdf, write
from site_src.cli import main
from site_src.pipeline import Settings, build

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
ARTIFACTS = ROOT / "test-artifacts"  # screenshots and PDFs for a person to look at

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
        body_map: [hamstrings]
        aliases: [back of thigh]
        ---
        The muscles at the back of the thigh.
        """,
    "content/muscles/glutes.md": """\
        ---
        name: Glutes
        region: glutes
        body_map: [glutes, piriformis]
        ---
        The buttock muscles.
        """,
    "content/muscles/calves.md": """\
        ---
        name: Calves
        region: legs
        body_map: [calves]
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
        pose:
          base: seated-chair
          start: {}
          end: {spine: 20, near_hip: 70, near_knee: 10}
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
    "content/partials/red-flags.md": """\
        ---
        title: Get help now if…
        ---
        **Call your emergency number now** if you have back pain and:

        - weakness or numbness in both legs

        **See a doctor soon** if you have back pain and a fever.
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
        if not args or args[0] not in ("build", "check", "new", "schema", "serve"):
            args = ("build", *args)
        if args[0] in ("build", "check") and "--templates" not in args \
                and not Path("templates").is_dir():  # a fixture site uses the real templates
            args = (*args, "--templates", str(TEMPLATES))
        code = main(list(args))
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run_cli


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def temporary_files(folder: Path) -> list[str]:
    """What a build left behind in folder besides the site and its cache: should be nothing."""
    return sorted(p.name for p in folder.iterdir()
                  if p.name.startswith(write.TEMP_PREFIX) and p.name != ".limber-cache")


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file (and symlink) under folder -> sha256 of its bytes."""
    digest = {}
    for dirpath, _dirnames, filenames in os.walk(folder):
        for name in filenames:
            path = Path(dirpath) / name
            digest[path.relative_to(folder).as_posix()] = hashlib.sha256(
                path.read_bytes()).hexdigest()
    return dict(sorted(digest.items()))


# Browser tests: Debian's Chromium driven by Playwright, against the real site.

CHROMIUM = "/usr/bin/chromium"

def _need_browser() -> None:
    missing = []
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("the playwright package (pip install -e '.[test]')")
    if not Path(CHROMIUM).exists():
        missing.append(f"Chromium at {CHROMIUM} (apt-get install -y chromium)")
    if missing:
        reason = "browser tests need " + " and ".join(missing)
        if os.environ.get("CI") == "true":
            pytest.fail(reason + "; CI must run them")
        pytest.skip(reason)


class SubpathHandler(SimpleHTTPRequestHandler):
    """Serves a site folder under `prefix` as GitHub Pages does: its own 404 page for
    anything else, and no folder listings."""

    prefix = "/limber/"

    def translate_path(self, path: str) -> str:
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / "__missing__")
        return super().translate_path("/" + path[len(self.prefix):])

    def send_error(self, code: int, message: str | None = None,
                   explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.exists():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        return None

    def list_directory(self, path):
        self.send_error(404)

    def log_message(self, format: str, *args: object) -> None:
        pass


class QuietServer(ThreadingHTTPServer):
    """Says nothing when the browser drops a request it no longer needs (a page left)."""

    def handle_error(self, request: object, client_address: object) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextlib.contextmanager
def served(out: Path, **settings: object) -> Iterator[str]:
    """The real site built into `out` with these settings, served at /limber/ as on Pages."""
    server = QuietServer(("127.0.0.1", 0),
                         functools.partial(SubpathHandler, directory=str(out)))
    base = f"http://127.0.0.1:{server.server_port}/limber/"
    build(Settings(content=ROOT / "content", templates=TEMPLATES, out=out, base_url=base,
                   **settings))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield base
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real site, built with worksheet PDFs when WeasyPrint is here, served at /limber/."""
    with served(tmp_path_factory.mktemp("browser") / "site", pdf=pdf.available()) as base:
        yield base


@pytest.fixture(scope="session")
def browser():
    _need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield chromium
        chromium.close()


def settled(tab) -> None:
    """Wait until the build-your-own sheet, if this page is it, has put its cards in place:
    it fetches them after the page has loaded (static/worksheet.js)."""
    tab.locator("[data-custom-worksheet][data-loading]").wait_for(state="detached")


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})  # a phone
    tab = context.new_page()
    yield tab
    context.close()
