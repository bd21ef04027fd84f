"""What a reader sees, in a real browser: Debian's Chromium driven by Playwright.

The site is built from the real content under a /limber/ subpath and served by
a local HTTP server mounted at that path, as GitHub Pages serves a project site.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from site_src.pipeline import Settings, build
from tests.conftest import ROOT, TEMPLATES

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"

pytestmark = pytest.mark.browser


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


class _SubpathHandler(SimpleHTTPRequestHandler):
    """Serves the site folder under /limber/ and the site's 404 page for anything else."""

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

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    out = tmp_path_factory.mktemp("browser") / "site"
    server = ThreadingHTTPServer(("127.0.0.1", 0),
                                 functools.partial(_SubpathHandler, directory=str(out)))
    base = f"http://127.0.0.1:{server.server_port}/limber/"
    build(Settings(content=ROOT / "content", templates=TEMPLATES, out=out, base_url=base))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
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


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})  # a phone
    tab = context.new_page()
    yield tab
    context.close()


def test_reader_finds_a_stretch_by_muscle(page, site_url):
    page.goto(site_url)
    page.get_by_role("link", name="By muscle").click()
    page.wait_for_url(f"{site_url}muscles/")
    page.get_by_role("link", name="Quadratus lumborum").click()
    assert page.locator("h1").inner_text() == "Quadratus lumborum"
    page.locator("main").get_by_role("link", name="Seated quadratus lumborum stretch").click()
    assert page.url == f"{site_url}stretches/seated-quadratus-lumborum-stretch/"
    cautions = page.locator(".cautions")
    assert cautions.is_visible()
    # The stylesheet loaded: cautions are set apart with a coloured edge.
    edge = cautions.evaluate("e => getComputedStyle(e).borderLeftWidth")
    assert edge == "6px"
    assert page.locator("main ol li").count() >= 4
    disclaimer = page.locator("aside.disclaimer")
    disclaimer.scroll_into_view_if_needed()
    assert disclaimer.is_visible()
    assert "own risk" in disclaimer.inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "stretch-page-phone.png"), full_page=True)


def test_printed_page_drops_navigation_and_keeps_disclaimer(page, site_url):
    page.goto(f"{site_url}worksheets/five-minute-back-relief/")
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert page.locator("aside.disclaimer").is_visible()
    assert page.locator(".site-url").inner_text() == \
        f"{site_url}worksheets/five-minute-back-relief/"
    cards = page.locator(".worksheet-card")
    assert cards.count() == 6
    assert cards.first.evaluate("e => getComputedStyle(e).breakInside") == "avoid"
    pdf = page.pdf(format="Letter")
    assert pdf.startswith(b"%PDF")
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "worksheet-letter.pdf").write_bytes(pdf)


def test_unknown_address_shows_the_styled_404_page(page, site_url):
    response = page.goto(f"{site_url}stretches/no-such-stretch/")
    assert response is not None and response.status == 404
    assert page.locator("h1").inner_text() == "Page not found"
    header_bg = page.locator(".site-header").evaluate(
        "e => getComputedStyle(e).backgroundColor")
    assert header_bg != "rgba(0, 0, 0, 0)"  # styles loaded from two folders up
    page.get_by_role("link", name="All stretches").click()
    assert page.url == f"{site_url}stretches/"

