"""The preview server: incremental rebuilds, safe file serving, errors on the page, live reload."""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from site_src import search
from site_src.errors import SHOWN_PER_FILE
from site_src.load import display_path
from site_src.pipeline import Settings, build
from site_src.serve import Preview
from tests.conftest import ROOT, TEMPLATES, free_port, tree_digest

BASE = "http://127.0.0.1:8000/limber/"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the real content and templates, free to edit."""
    shutil.copytree(ROOT / "content", tmp_path / "content")
    shutil.copytree(TEMPLATES, tmp_path / "templates")
    return tmp_path


def preview_of(project: Path) -> Preview:
    settings = Settings(content=project / "content", templates=project / "templates",
                        base_url=BASE)
    out = project / "preview"
    out.mkdir()
    preview = Preview(settings, out, "/limber/")
    assert "first build:" in preview.rebuild()
    assert preview.report is not None
    return preview


def full_build(project: Path) -> dict[str, str]:
    out = project / "full"
    build(Settings(content=project / "content", templates=project / "templates", out=out,
                   base_url=BASE))
    digest = tree_digest(out)
    shutil.rmtree(out)
    return digest


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def get(preview: Preview, path: str) -> tuple[str, bytes]:
    status = []
    body = b"".join(preview({"PATH_INFO": path}, lambda s, headers: status.append(s)))
    return status[0], body


def indexed(preview: Preview) -> str:
    """Make and serve the search index the last rebuild left for later, as serve() does on
    a thread of its own."""
    made = preview.search_index()
    assert made is not None
    return preview.take_search_index(*made)


def test_one_stretch_edit_rebuilds_only_what_lists_it_and_equals_a_full_build(project):
    preview = preview_of(project)
    total = len(preview.report.files)
    index_before = search.bundle(preview.report.files)
    edit(project / "content/stretches/cat-cow.md", "title: \"Cat-cow\"", "title: \"Cat and cow\"")
    line = preview.rebuild([str(project / "content/stretches/cat-cow.md")])
    match = re.fullmatch(re.escape(display_path(project / "content/stretches/cat-cow.md")) +
                         r" changed: (\d+) pages rendered, (\d+) files written in \d+ ms", line)
    assert match, line
    rendered, written = int(match[1]), int(match[2])
    assert 0 < written < total and 0 < rendered < preview.report.pages
    # The pages are served at once; the search index follows.
    assert b"Cat and cow" in get(preview, "/limber/stretches/cat-cow/")[1]
    assert preview.unindexed is preview.report
    assert search.bundle(preview.report.files) == index_before
    assert re.fullmatch(r"search index: [1-9]\d* files written", indexed(preview))
    assert preview.unindexed is None and preview.search_index() is None
    assert tree_digest(preview.out) == full_build(project)
    # The stretch and the pages that list it changed; a page that doesn't list it did not.
    assert "Cat and cow" in (preview.out / "stretches/cat-cow/index.html").read_text()
    assert "Cat and cow" in (preview.out / "muscles/erector-spinae/index.html").read_text()
    assert preview.report.rendered["muscles/calves/"] is not None
    assert "Cat and cow" not in (preview.out / "muscles/calves/index.html").read_text()


def rendered_after(preview: Preview, path: str, old: str, new: str) -> set[str]:
    """Edit content/<path>, rebuild, and return the routes of the pages rendered again."""
    before = preview.report.rendered
    edit(preview.settings.content / path, old, new)
    preview.rebuild([str(preview.settings.content / path)])
    return {route for route, page in preview.report.rendered.items()
            if route not in before or before[route].key != page.key}


def test_an_edit_to_what_a_card_shows_renders_the_lists_again(project):
    preview = preview_of(project)
    changed = rendered_after(preview, "stretches/cat-cow.md",
                             "On hands and knees, you slowly round",
                             "On hands and knees, you gently round")
    assert {"stretches/", "muscles/erector-spinae/", "positions/all-fours/"} <= changed
    indexed(preview)
    assert tree_digest(preview.out) == full_build(project)


def test_an_edit_to_a_stretchs_steps_renders_its_page_and_the_routines_showing_them(project):
    preview = preview_of(project)
    before = preview.report.rendered
    edit(project / "content/stretches/cat-cow.md", "Start with a flat back",
         "Start with a level back")
    preview.rebuild([str(project / "content/stretches/cat-cow.md")])
    showing = [r.slug for r in preview.report.site.routines.values()
               if any(step.stretch == "cat-cow" for step in r.meta.steps)]
    assert showing, "the real content has a routine with cat-cow in it"
    # Its page, and the page of each routine with it (which shows the steps); not the
    # worksheets, lists, muscle pages, facet pages or build-your-own sheet, which don't.
    assert {route for route, page in preview.report.rendered.items()
            if before.get(route) is not page} == {
        "stretches/cat-cow/", *(f"routines/{slug}/" for slug in showing)}
    assert "Start with a level back" in get(preview, "/limber/stretches/cat-cow/")[1].decode()
    indexed(preview)
    assert tree_digest(preview.out) == full_build(project)


@pytest.mark.parametrize("path, old, new, made_again", [
    ("stretches/cat-cow.md", "Start with a flat back", "Start with a level back",  # body
     {"stretches/cat-cow/", "routines/five-minute-back-relief/",
      "worksheets/five-minute-back-relief/", "worksheets/custom/cat-cow.json"}),
    ("stretches/cat-cow.md", "Pad your knees", "Cushion your knees",  # DETAILS
     {"stretches/cat-cow/", "routines/five-minute-back-relief/",
      "worksheets/five-minute-back-relief/", "worksheets/custom/cat-cow.json"}),
    ("muscles/calves.md", "between the knee and the heel", "from the knee down to the heel",
     {"muscles/calves/"}),
])
def test_an_edit_that_keeps_the_catalog_makes_the_specs_of_the_pages_showing_it(
        project, path, old, new, made_again):
    """A big library's rebuild finds which pages show what was edited without making a
    spec of every page: the others are the specs of the last build, as they were."""
    preview = preview_of(project)
    before = {spec.route: spec for spec in preview.report.specs}
    catalog = preview.report.catalog
    edit(project / "content" / path, old, new)
    preview.rebuild([str(project / "content" / path)])
    assert preview.report.catalog == catalog
    assert {spec.route for spec in preview.report.specs
            if before[spec.route] is not spec} == made_again
    indexed(preview)
    assert tree_digest(preview.out) == full_build(project)


@pytest.mark.parametrize("path, old, new, shown_on", [
    ("stretches/cat-cow.md", "Start with a flat back", "Start with a level back",
     {"stretches/cat-cow/", "routines/five-minute-back-relief/"}),
    ("muscles/calves.md", "between the knee and the heel", "from the knee down to the heel",
     {"muscles/calves/"}),
    ("routines/chair-back-relief.md", "sturdy chair without wheels", "steady chair without wheels",
     {"routines/chair-back-relief/", "worksheets/chair-back-relief/"}),
    ("pages/about.md", "## Who it is for", "## Whom it is for", {"about/"}),
    ("stretches/cat-cow.md", '"Hands under shoulders"', '"Hands below shoulders"',
     {"stretches/cat-cow/", "routines/five-minute-back-relief/",  # cues: no card shows them
      "worksheets/five-minute-back-relief/", "worksheets/custom/cat-cow.json"}),
    ("stretches/cat-cow.md", "Pad your knees", "Cushion your knees",  # cautions, likewise
     {"stretches/cat-cow/", "routines/five-minute-back-relief/",
      "worksheets/five-minute-back-relief/", "worksheets/custom/cat-cow.json"}),
    ("stretches/cat-cow.md", "title: \"Ask Doctor Jo: back pain", "title: \"Doctor Jo: back pain",
     {"stretches/cat-cow/"}),  # its sources: only its own page
    ("stretches/cat-cow.md", "last_reviewed: 2026-11-21", "last_reviewed: 2026-11-22",
     {"stretches/cat-cow/"}),

    ("partials/red-flags.md", "weakness or numbness in both legs",
     "numbness or weakness in both legs", None),  # on every page
    ("site.yaml", "before you start any of these", "before you begin any of these", None),
])
def test_an_edit_to_what_a_document_says_renders_exactly_the_pages_that_show_it(
        project, path, old, new, shown_on):
    """Every page declares the documents whose words it shows: a page left out of the
    rebuild would be served stale, and would differ from a full build."""
    preview = preview_of(project)
    every = set(preview.report.rendered)
    assert rendered_after(preview, path, old, new) == (shown_on or every)
    indexed(preview)
    assert tree_digest(preview.out) == full_build(project)


@pytest.mark.parametrize("path, old, new, redrawn", [
    ("stretches/cat-cow.md", 'title: "Cat-cow"', 'title: "Cat-cow stretch"',
     {"cat-cow"}),  # the figures' text alternatives name it
    ("stretches/cat-cow.md", "end: {spine: -25,", "end: {spine: -20,", {"cat-cow"}),
    ("muscles/erector-spinae.md", "body_map: [lower-back, upper-back]",
     "body_map: [lower-back]", None),  # marked on the figures of each stretch of it
])
def test_an_edit_to_what_a_figure_is_drawn_from_draws_it_again(project, path, old, new,
                                                                 redrawn):
    preview = preview_of(project)
    before = preview.report.drawings.figures
    rendered_after(preview, path, old, new)
    after = preview.report.drawings.figures
    drawn = {slug for slug in after if after[slug] is not before.get(slug)}
    of_the_muscle = {slug for slug, entry in preview.report.site.stretches.items()
                     if "erector-spinae" in {*entry.meta.muscles, *entry.meta.secondary_muscles}}
    assert drawn == (redrawn or of_the_muscle) and drawn < set(after)
    indexed(preview)
    assert tree_digest(preview.out) == full_build(project)


def test_an_edit_that_keeps_the_files_size_and_modified_time_is_still_seen(project):
    """A rebuild reads again only the files whose stamp changed; a save always changes the
    time of the change, which a tool that keeps the modified time can't set back."""
    preview = preview_of(project)
    path = project / "content/stretches/cat-cow.md"
    before = path.stat()
    edit(path, "Start with a flat back", "Start with a flat BACK")  # as long as it was
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    preview.rebuild([str(project / "content/stretches/cat-cow.md")])
    assert "Start with a flat BACK" in get(preview, "/limber/stretches/cat-cow/")[1].decode()


def test_a_body_edit_beside_a_draft_of_the_same_name_equals_a_full_build(project):
    """A draft in a subfolder may share a published stretch's file name: a rebuild that
    renders only bodies again keeps each published file in its place."""
    (project / "content/stretches/wip").mkdir()
    head, _body = (project / "content/stretches/cat-cow.md").read_text().split("\n---\n", 1)
    (project / "content/stretches/wip/cat-cow.md").write_text(
        head.replace('title: "Cat-cow"', 'title: "Cat-cow rewrite"')
        + "\ndraft: true\n---\n\nDraft words, see [the bridge](../bridge.md).\n\n1. One\n2. Two\n")
    preview = preview_of(project)
    edit(project / "content/stretches/bridge.md", "1. ", "1. Slowly, ")
    line = preview.rebuild([str(project / "content/stretches/bridge.md")])
    assert "problem" not in line, line
    indexed(preview)
    assert tree_digest(preview.out) == full_build(project)


def test_a_body_edit_keeps_the_documents_in_the_order_of_their_names(project):
    for slug in ("help", "help-more"):  # in the menu: the same place and title, so by name
        (project / f"content/pages/{slug}.md").write_text(
            f'---\ntitle: "Help"\nsummary: "Help."\nnav_order: 9\n---\n\nAbout {slug}.\n')
    preview = preview_of(project)
    edit(project / "content/partials/red-flags.md", "weakness or numbness in both legs",
         "numbness or weakness in both legs")
    preview.rebuild([str(project / "content/partials/red-flags.md")])
    menu = get(preview, "/limber/")[1].decode()
    assert menu.index('href="/limber/help/"') < menu.index('href="/limber/help-more/"')
    indexed(preview)
    assert tree_digest(preview.out) == full_build(project)


def test_template_change_rerenders_everything_and_equals_a_full_build(project):
    preview = preview_of(project)
    edit(project / "templates/base.html", "Skip to content", "Skip to the content")
    preview.rebuild([str(project / "templates/base.html")])
    assert preview.report.rerendered == len(preview.report.rendered)
    indexed(preview)
    assert tree_digest(preview.out) == full_build(project)


def test_a_search_index_made_for_pages_a_later_rebuild_replaced_is_dropped(project):
    preview = preview_of(project)
    stretch = project / "content/stretches/cat-cow.md"
    edit(stretch, "title: \"Cat-cow\"", "title: \"Cat and cow\"")
    preview.rebuild([str(stretch)])
    late = preview.search_index()  # still being made when the next save comes
    edit(stretch, "title: \"Cat and cow\"", "title: \"Cow and cat\"")
    preview.rebuild([str(stretch)])
    assert preview.take_search_index(*late) == "search index: left for the newer rebuild"
    indexed(preview)
    assert tree_digest(preview.out) == full_build(project)


def test_removed_stretch_disappears_from_the_preview(project):
    preview = preview_of(project)
    copy = project / "content/stretches/cat-cow-on-a-bed.md"
    copy.write_text((project / "content/stretches/cat-cow.md").read_text())
    assert "1 pages rendered" not in preview.rebuild([str(copy)])
    assert (preview.out / "stretches/cat-cow-on-a-bed/index.html").is_file()
    copy.unlink()
    assert "problem" not in preview.rebuild([str(copy)])
    assert not (preview.out / "stretches/cat-cow-on-a-bed").exists()
    indexed(preview)
    assert tree_digest(preview.out) == full_build(project)


def test_a_rebuild_told_which_files_were_saved_reads_only_them(project, monkeypatch):
    """The watcher tells what was saved: a big library's preview needn't list its folders
    and look at each file for that. A file it didn't read before (one added or renamed)
    has them listed again."""
    from site_src import load

    preview = preview_of(project)
    listed = []
    real_files = load._files
    monkeypatch.setattr(load, "_files", lambda *args: listed.append(args) or real_files(*args))
    stretch = project / "content/stretches/cat-cow.md"
    edit(stretch, "Start with a flat back", "Start with a level back")
    edit(project / "templates/static/style.css", "}", "}\n")
    preview.rebuild([str(stretch), str(project / "templates/static/style.css"),
                     str(project / "content/stretches/.cat-cow.md.swp")])  # an editor's own
    assert listed == []
    assert "level back" in (preview.out / "stretches/cat-cow/index.html").read_text()
    indexed(preview)
    assert tree_digest(preview.out) == full_build(project)
    copy = project / "content/stretches/cat-cow-again.md"
    copy.write_text(stretch.read_text().replace("Cat-cow", "Cat-cow again"))
    preview.rebuild([str(copy)])
    assert listed and (preview.out / "stretches/cat-cow-again/index.html").is_file()


@pytest.mark.parametrize("told", [True, False])  # which files were saved, or not
def test_a_save_in_a_rebuild_that_failed_is_built_by_the_next(project, told):
    preview = preview_of(project)
    good, bad = (project / f"content/stretches/{name}.md" for name in ("cat-cow", "bridge"))
    edit(good, "Start with a flat back", "Start with a level back")
    edit(bad, "difficulty: beginner", "difficulty: [beginner")
    assert "1 problem(s)" in preview.rebuild([str(good), str(bad)] if told else None)
    edit(bad, "difficulty: [beginner", "difficulty: beginner")
    assert "problem" not in preview.rebuild([str(bad)])  # only the mended file, this time
    assert "level back" in (preview.out / "stretches/cat-cow/index.html").read_text()
    indexed(preview)
    assert tree_digest(preview.out) == full_build(project)


def test_failed_rebuild_keeps_the_last_good_site_and_shows_problems(project):
    preview = preview_of(project)
    before = tree_digest(preview.out)
    edit(project / "content/stretches/cat-cow.md", "position: all-fours", "position: on-fours")
    line = preview.rebuild([str(project / "content/stretches/cat-cow.md")])
    assert line.startswith(f"{display_path(project / 'content/stretches/cat-cow.md')} changed: "
                           "1 problem(s); still serving the last good site")
    assert tree_digest(preview.out) == before
    status, body = get(preview, "/limber/stretches/cat-cow/")
    assert status == "200 OK"
    assert b'id="limber-problems"' in body
    assert b"content/stretches/cat-cow.md:6: position: &#x27;on-fours&#x27; is not allowed " \
           b"(did you mean &#x27;all-fours&#x27;?)" in body
    edit(project / "content/stretches/cat-cow.md", "position: on-fours", "position: all-fours")
    preview.rebuild([str(project / "content/stretches/cat-cow.md")])
    status, body = get(preview, "/limber/stretches/cat-cow/")
    assert b"limber-problems" not in body


def test_a_file_with_many_problems_shows_its_first_in_the_overlay(project):
    preview = preview_of(project)
    path = project / "content/stretches/cat-cow.md"
    path.write_text(path.read_text() + "".join(f"\n[part {n}](gone-{n}.md)\n"
                                               for n in range(SHOWN_PER_FILE + 3)))
    line = preview.rebuild([str(project / "content/stretches/cat-cow.md")])
    assert f"{SHOWN_PER_FILE + 3} problem(s)" in line
    assert line.count("gone-") == SHOWN_PER_FILE
    assert line.endswith("content/stretches/cat-cow.md: 3 more problems in this file are not "
                         "shown; fix these and build again to see them")
    _status, body = get(preview, "/limber/stretches/cat-cow/")
    assert body.count(b"gone-") == SHOWN_PER_FILE
    assert b"3 more problems in this file are not shown" in body


@pytest.mark.parametrize("old, new, problem", [
    ("Pause for a moment.", "Pause for a moment, then see [the bridge](brige.md).",
     "30: link to 'brige.md' points at no page or file (did you mean 'bridge.md'?)"),
    ("1. Come onto", "Come onto", None),  # the numbered steps become one paragraph
])
def test_an_edit_to_words_alone_is_checked_as_a_full_build_checks_it(project, old, new,
                                                                      problem):
    preview = preview_of(project)
    before = tree_digest(preview.out)
    path = project / "content/stretches/cat-cow.md"
    if problem is None:
        text = path.read_text()
        body = text[text.index("1. Come onto"):]
        path.write_text(text.replace(body, re.sub(r"^\d+\. ", "", body, flags=re.M)))
    else:
        edit(path, old, new)
    line = preview.rebuild([str(project / "content/stretches/cat-cow.md")])
    full = subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--content",
                           str(project / "content"), "--templates", str(project / "templates"),
                           "--out", str(project / "full")], capture_output=True, text=True)
    assert full.returncode == 1
    shown = [p.strip() for p in line.splitlines()[1:]]
    assert shown and all(p in full.stderr for p in shown)
    assert shown == [f"{path}:" + (problem or "24: body: no steps found; write the steps as "
                                   "a numbered list ('1. ...', '2. ...')")]
    assert tree_digest(preview.out) == before


def test_only_files_inside_the_site_are_served(project, tmp_path):
    preview = preview_of(project)
    secret = tmp_path / "secret.txt"
    secret.write_text("do not serve")
    (preview.out / "stretches/leak").symlink_to(secret)
    (preview.out / "leakdir").symlink_to(tmp_path)
    for path in ("/limber/../secret.txt", "/limber/stretches/../../secret.txt",
                 "/limber/stretches/leak", "/limber/leakdir/secret.txt",
                 "/limber/static/", "/limber/..\\secret.txt", "/secret.txt"):
        status, body = get(preview, path)
        assert status == "404 Not Found", path
        assert b"do not serve" not in body
        assert b"Page not found" in body  # the site's own 404 page
    assert get(preview, "/limber/stretches")[0].startswith("301")
    assert get(preview, "/limber/stretches/")[0] == "200 OK"
    assert get(preview, "/")[0].startswith("301")


@pytest.fixture
def server(project):
    """`python build.py serve` running on the project copy, its temporary files in
    project/tmp; yields (base url, process)."""
    port = free_port()
    (project / "tmp").mkdir()
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "serve", "--port", str(port)], cwd=project,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "TMPDIR": str(project / "tmp")})
    lines = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        lines.append(line)
        if line.startswith("Serving "):
            break
    else:
        process.kill()
        pytest.fail("serve did not start:\n" + "".join(lines))
    yield f"http://127.0.0.1:{port}/limber/", process
    process.terminate()
    process.wait(timeout=10)


def _raw_get(base: str, path: str) -> int:
    host, port = base.split("/")[2].split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.putrequest("GET", path, skip_accept_encoding=True)
    connection.endheaders()
    status = connection.getresponse().status
    connection.close()
    return status


@pytest.mark.parametrize("stop", ["SIGTERM", "SIGHUP", "SIGINT"])
def test_a_stopped_preview_deletes_its_site(server, project, stop):
    """Stopped by Ctrl+C, by `kill` or by its terminal closing, the preview deletes the site
    it served from a temporary folder (as big as the published site)."""
    base, process = server
    assert _raw_get(base, "/limber/") == 200
    assert [path.name[:15] for path in (project / "tmp").iterdir()] == ["limber-preview-"]
    process.send_signal(getattr(signal, stop))
    assert process.wait(timeout=30) == 0
    assert list((project / "tmp").iterdir()) == []


def test_a_preview_stopped_while_it_first_builds_deletes_its_site(project):
    (project / "tmp").mkdir()
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "serve", "--port", str(free_port())],
        cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "TMPDIR": str(project / "tmp")})
    deadline = time.monotonic() + 30
    while not any((project / "tmp").iterdir()) and time.monotonic() < deadline:
        time.sleep(0.01)
    process.terminate()  # the first build takes seconds, with nothing in the cache
    said = process.communicate(timeout=30)[0]
    assert process.returncode == 130 and said.splitlines()[-1] == "interrupted", said
    assert "Traceback" not in said
    assert list((project / "tmp").iterdir()) == []


def test_server_refuses_traversal_over_http(server):
    base, _process = server
    assert _raw_get(base, "/limber/") == 200
    for path in ("/limber/../build.py", "/limber/%2e%2e/build.py",
                 "/limber/%2E%2E/%2e%2e/etc/passwd", "/limber/..%2fbuild.py", "/limber/static/"):
        assert _raw_get(base, path) == 404, path


@pytest.mark.browser
def test_edit_reloads_the_open_page_and_errors_show_in_an_overlay(server, project, browser):
    base, process = server
    page = browser.new_page()
    page.goto(f"{base}stretches/cat-cow/")
    # Connected and past the handshake: the server knows this page is listening.
    page.wait_for_function("() => window.LiveReload && window.LiveReload.connector.protocol",
                           timeout=15000)
    time.sleep(0.5)  # the server files the page as a listener on its next message
    page.evaluate("window.__limber_same_page = true")  # gone if someone reloads by hand
    stretch = project / "content/stretches/cat-cow.md"

    edit(stretch, "Pause for a moment.", "Pause and breathe in slowly.")
    page.get_by_text("Pause and breathe in slowly.").wait_for(timeout=15000)
    assert page.evaluate("window.__limber_same_page === undefined")  # it reloaded itself

    # YAML finds the unclosed list on the line after it (+1), counting from 1 (+1)
    line = stretch.read_text().splitlines().index("difficulty: beginner") + 2
    edit(stretch, "difficulty: beginner", "difficulty: [beginner")
    overlay = page.locator("#limber-problems")
    overlay.wait_for(timeout=15000)
    assert f"content/stretches/cat-cow.md:{line}: invalid YAML" in overlay.inner_text()
    assert page.get_by_text("Pause and breathe in slowly.").is_visible()  # last good page

    edit(stretch, "difficulty: [beginner", "difficulty: beginner")
    edit(stretch, "Pause and breathe in slowly.", "Pause, then breathe out.")
    page.get_by_text("Pause, then breathe out.").wait_for(timeout=15000)
    assert page.locator("#limber-problems").count() == 0
    page.close()
    assert process.poll() is None  # the server never died


def test_serving_on_all_interfaces_warns(project):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "serve", "--host", "0.0.0.0", "--port",
         str(port)], cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        first = process.stdout.readline()
        assert first.startswith("WARNING: serving on 0.0.0.0 makes the preview reachable from "
                                "other machines")
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_the_watcher_says_it_is_ready_once_it_sees_saves(tmp_path):
    """The preview's first build waits for it: a file saved while that build runs is
    built after it."""
    import threading

    from site_src.serve import watch

    calls: list[list[str]] = []
    stop, ready = threading.Event(), threading.Event()
    thread = threading.Thread(target=watch, args=([tmp_path], calls.append, stop, ready),
                              daemon=True)
    thread.start()
    assert ready.wait(timeout=10)
    (tmp_path / "a.md").write_text("a")
    deadline = time.monotonic() + 5
    while not calls and time.monotonic() < deadline:
        time.sleep(0.05)
    stop.set()
    thread.join(timeout=5)
    assert calls == [[str(tmp_path / "a.md")]]


def test_a_burst_of_saves_gives_one_rebuild(tmp_path):
    import threading

    from site_src.serve import watch

    folder = tmp_path / "content"
    folder.mkdir()
    (folder / "a.md").write_text("a")
    calls: list[list[str]] = []
    stop = threading.Event()
    thread = threading.Thread(target=watch, args=([folder], calls.append, stop), daemon=True)
    thread.start()
    time.sleep(0.3)
    for n in range(5):  # an editor saving several files, 50 ms apart
        (folder / f"b{n}.md").write_text(str(n))
        (folder / "a.md").write_text(f"a{n}")
        time.sleep(0.05)
    deadline = time.monotonic() + 5
    while not calls and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(1)  # long enough for a second rebuild, if there were one
    stop.set()
    thread.join(timeout=5)
    assert len(calls) == 1
    assert len(calls[0]) == 6 and any(name.endswith("a.md") for name in calls[0])


def _status_with(base: str, path: str, headers: dict[str, str]) -> int:
    host, port = base.split("/")[2].split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
    for name, value in headers.items():
        connection.putheader(name, value)
    connection.endheaders()
    status = connection.getresponse().status
    connection.close()
    return status


def test_the_preview_answers_only_to_its_own_address(server):
    """A site elsewhere that points its name at 127.0.0.1 (DNS rebinding) gets nothing, and
    its pages can't open the live-reload socket."""
    base, _process = server
    port = base.split("/")[2].split(":")[1]
    assert _status_with(base, "/limber/", {"Host": f"127.0.0.1:{port}"}) == 200
    assert _status_with(base, "/limber/", {"Host": f"localhost:{port}"}) == 200
    assert _status_with(base, "/limber/", {"Host": f"evil.example:{port}"}) == 403
    upgrade = {"Host": f"127.0.0.1:{port}", "Upgrade": "websocket", "Connection": "Upgrade",
               "Sec-WebSocket-Version": "13", "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="}
    assert _status_with(base, "/livereload", {**upgrade, "Origin": f"http://127.0.0.1:{port}"}) \
        == 101
    assert _status_with(base, "/livereload", {**upgrade, "Origin": "http://evil.example"}) == 403


def test_the_preview_collects_garbage_only_once_it_is_idle_and_then_all_of_it():
    import gc
    import weakref

    from site_src.serve import TIDY_S, Collector

    class Node:
        pass

    timers: list[tuple[float, object]] = []
    cancelled: list[object] = []
    collector = Collector(lambda delay, fn: timers.append((delay, fn)) or len(timers),
                          cancelled.append)
    try:
        old = Node()
        old.me = old  # a cycle, like a Jinja environment a template edit replaced
        gone = weakref.ref(old)
        gc.freeze()  # set aside by an earlier tidy
        del old
        collector.pause()  # a rebuild
        assert not gc.isenabled()
        collector.idle_soon()
        assert timers[-1][0] == TIDY_S and not gc.isenabled()
        collector.pause()  # saved again before it was idle: the tidy is called off
        assert cancelled == [1] and not gc.isenabled()
        collector.idle_soon()
        timers[-1][1]()  # idle at last
        assert gc.isenabled() and gc.get_freeze_count() > 0
        assert gone() is None  # collected, though it had been set aside
    finally:
        gc.unfreeze()
        gc.enable()
