"""Nothing on a page talks to another site until the reader asks: in Debian's Chromium,
with the site served at its real address and every request watched."""

from __future__ import annotations

import shutil

import pytest

from site_src.pipeline import Settings, build
from tests.conftest import ROOT, TEMPLATES

pytestmark = pytest.mark.browser

BASE = "https://stretch.example.org/"
VIDEO = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"


@pytest.fixture
def site_with_a_video(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "tests/golden/content", content)
    stretch = content / "stretches/figure-four.md"
    stretch.write_text(stretch.read_text().replace("hold_seconds: 60",
                                                   f"hold_seconds: 60\nvideo: {VIDEO}", 1))
    out = tmp_path / "site"
    build(Settings(content=content, templates=TEMPLATES, out=out, base_url=BASE, search=False))
    return out


def test_a_video_loads_from_its_site_only_when_asked(browser, site_with_a_video):
    context = browser.new_context()
    page = context.new_page()
    elsewhere: list[str] = []
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text)
            if "Content Security Policy" in m.text else None)

    def serve(route):
        url = route.request.url
        if not url.startswith(BASE):
            elsewhere.append(url)
            return route.fulfill(body="<p>the player</p>", content_type="text/html")
        path = url.removeprefix(BASE).split("?")[0].split("#")[0]
        file = site_with_a_video / path
        file = file / "index.html" if file.is_dir() else file
        return route.fulfill(path=file) if file.is_file() else route.fulfill(status=404)
    page.route("**/*", serve)
    page.goto(BASE + "stretches/figure-four/")
    assert page.get_by_role("link", name="Watch a video of this stretch").get_attribute(
        "href") == VIDEO
    assert elsewhere == []  # the page alone asks nothing of YouTube
    page.get_by_role("button", name="Play the video here").click()
    frame = page.locator("iframe.video-frame")
    assert frame.get_attribute("src") == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
    assert frame.get_attribute("title") == "Video: Figure-four stretch"
    page.wait_for_function("() => document.querySelector('iframe.video-frame')"
                           ".contentDocument === null")  # loaded, from the other site
    assert elsewhere == ["https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"]
    assert refused == []  # the policy lets the player's frame in, and nothing else
    context.close()
