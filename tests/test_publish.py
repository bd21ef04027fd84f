"""Publishing to GitHub Pages, proven without GitHub.

The real site is built for a project site (/limber/) and for a domain root,
served over HTTP the way Pages serves it, and crawled from its home page.
The workflows are linted with actionlint and held to the README's commands.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import threading
import urllib.error
import urllib.request
from collections import deque
from html.parser import HTMLParser
from http.server import ThreadingHTTPServer
from urllib.parse import urljoin, urlsplit

import pytest
import yaml

from site_src import pdf
from site_src.pipeline import Settings, build
from tests.conftest import ROOT, TEMPLATES, SubpathHandler, temporary_files

WORKFLOWS = ROOT / ".github" / "workflows"


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.refs += [v for k, v in attrs if k in ("href", "src") and v]


def _fetch(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read()


@pytest.fixture(scope="module", params=[("https://example.github.io/limber/", "/limber/"),
                        ("https://stretch.example.org/", "/")], ids=["project-site", "root"])
def published(request, tmp_path_factory):
    """The real site built for a Pages address and served at that address's path."""
    base_url, prefix = request.param
    out = tmp_path_factory.mktemp("pages") / "_site"
    build(Settings(content=ROOT / "content", templates=TEMPLATES, out=out, base_url=base_url,
                   pdf=pdf.available()))
    handler = type("Pages", (SubpathHandler,), {"prefix": prefix})
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(out)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    local = f"http://127.0.0.1:{server.server_port}{prefix}"
    yield base_url, local, out
    server.shutdown()
    server.server_close()


def test_crawl_from_home_reaches_everything_with_200(published):
    base_url, local, out = published
    seen: dict[str, int] = {}
    queue = deque([local])
    while queue:
        url = queue.popleft()
        if url in seen:
            continue
        status, kind, body = _fetch(url)
        seen[url] = status
        if "text/html" not in kind:
            continue
        parser = _Refs()
        parser.feed(body.decode("utf-8"))
        for ref in parser.refs:
            absolute = urljoin(url, ref)
            if absolute.startswith(base_url):  # canonical links name the public address
                absolute = local + absolute[len(base_url):]
            parts = urlsplit(absolute)
            if absolute.startswith(local) and parts.scheme == "http":
                queue.append(parts._replace(fragment="").geturl())
    broken = {url: status for url, status in seen.items() if status != 200}
    assert broken == {}
    paths = {urlsplit(url).path for url in seen}
    kinds = {"/static/style.css", "/static/limber.js", "/stretches/cat-cow/",
             "/muscles/psoas/", "/routines/chair-back-relief/", "/worksheets/chair-back-relief/",
             "/worksheets/custom/", "/safety/"}
    prefix = urlsplit(local).path
    assert {prefix + k.lstrip("/") for k in kinds} <= paths
    if pdf.available():
        assert prefix + "worksheets/chair-back-relief.pdf" in paths
    # Every sitemap entry answers too.
    sitemap = (out / "sitemap.xml").read_text()
    entries = re.findall(r"<loc>(.*?)</loc>", sitemap)
    assert len(entries) > 60 and all(e.startswith(base_url) for e in entries)
    for entry in entries:
        assert _fetch(local + entry[len(base_url):])[0] == 200, entry
    robots = _fetch(local + "robots.txt")[2].decode()
    assert f"Sitemap: {base_url}sitemap.xml" in robots


def test_unknown_address_gets_the_styled_404_page_at_any_depth(published):
    _base_url, local, _out = published
    for path in ("no-such-page/", "stretches/no-such-stretch/", "a/b/c/d.html"):
        status, _kind, body = _fetch(local + path)
        assert status == 404
        html = body.decode()
        assert "Page not found" in html
        stylesheet = re.search(r'<link rel="stylesheet" href="([^"]+)"', html).group(1)
        assert _fetch(urljoin(local + path, stylesheet))[0] == 200


def test_every_page_has_a_canonical_link_to_its_public_address(published):
    base_url, _local, out = published
    for page in out.rglob("*.html"):
        html = page.read_text()
        canonical = re.search(r'<link rel="canonical" href="([^"]+)">', html).group(1)
        route = page.relative_to(out).as_posix().removesuffix("index.html")
        assert canonical == base_url + route


def test_artifact_is_only_the_site(published):
    _base_url, _local, out = published
    for path in out.rglob("*"):
        assert not path.is_symlink(), path
        assert not path.name.startswith(".limber-"), path
        assert "__pycache__" not in path.parts
    hidden = sorted(p.name for p in out.rglob(".*"))
    assert hidden == [".nojekyll"]
    leftovers = temporary_files(out.parent)
    assert leftovers == []


def test_custom_domain_writes_cname(make_site, run):
    site = make_site({"content/site.yaml": "title: T\nbase_url: https://stretch.example.org/\n"
                                           "cname: stretch.example.org\ndisclaimer: Stop if it "
                                           "hurts.\n"})
    assert run().code == 0
    assert (site.out / "CNAME").read_text() == "stretch.example.org\n"
    assert run("--base-url", "https://stretch.example.org/").code == 0


def _actionlint() -> str:
    found = shutil.which("actionlint")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("actionlint is missing; the test extra installs it")
        pytest.skip("actionlint is not installed (python -m pip install -e '.[test]')")
    return found


def test_workflows_pass_actionlint():
    workflows = sorted(str(p) for p in WORKFLOWS.glob("*.yml"))
    assert len(workflows) == 2
    done = subprocess.run([_actionlint(), *workflows], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_actionlint_would_catch_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text((WORKFLOWS / "pages.yml").read_text().replace(
        "steps.pages.outputs.base_url", "steps.page.outputs.base_url"))
    done = subprocess.run([_actionlint(), str(broken)], capture_output=True, text=True)
    assert done.returncode != 0


def _readme_lines() -> set[str]:
    return {line.strip() for line in (ROOT / "README.md").read_text().splitlines()}


def test_pages_workflow_builds_with_the_readme_commands():
    workflow = yaml.safe_load((WORKFLOWS / "pages.yml").read_text())
    build_steps = workflow["jobs"]["build"]["steps"]
    runs = [line.strip() for step in build_steps for line in step.get("run", "").splitlines()
            if line.strip()]
    assert runs == ['python -m pip install -e .',
                    'python build.py build --base-url "$PAGES_BASE_URL/"']
    assert set(runs) <= _readme_lines()
    # Least privilege, one deployment at a time, the Pages environment, tests first.
    assert workflow["permissions"] == {"contents": "read"}
    assert workflow["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert workflow["concurrency"]["group"]
    assert workflow["jobs"]["deploy"]["environment"]["name"] == "github-pages"
    assert workflow["jobs"]["build"]["needs"] == "test"
    assert workflow["jobs"]["deploy"]["needs"] == "build"
    assert workflow["jobs"]["test"]["uses"] == "./.github/workflows/ci.yml"
    uses = [step["uses"] for step in build_steps if "uses" in step]
    assert all(re.fullmatch(r"actions/[a-z-]+@v\d+", u) for u in uses), uses


def test_ci_workflow_runs_the_readme_test_command_and_annotated_check():
    workflow = yaml.safe_load((WORKFLOWS / "ci.yml").read_text())
    triggers = workflow[True] if True in workflow else workflow["on"]  # YAML reads 'on' as True
    assert "pull_request" in triggers and "pull_request_target" not in triggers
    assert workflow["permissions"] == {"contents": "read"}
    runs = [line.strip() for step in workflow["jobs"]["test"]["steps"]
            for line in step.get("run", "").splitlines() if line.strip()]
    assert "python build.py check --format github" in runs
    assert "bash .ci/run" in runs
    test_command = "python -m pip install -e '.[test]' && npm ci --prefix tests && python -m pytest"
    assert test_command in _readme_lines()
    assert (ROOT / ".ci/run").read_text().strip().splitlines()[-1] == test_command


@pytest.mark.parametrize("name, job", [("pages.yml", "build"), ("ci.yml", "test")])
def test_workflows_restore_and_save_the_build_cache_before_building(name, job):
    steps = yaml.safe_load((WORKFLOWS / name).read_text())["jobs"][job]["steps"]
    cached = [i for i, step in enumerate(steps)
              if step.get("uses", "").startswith("actions/cache@")]
    assert len(cached) == 1
    settings = steps[cached[0]]["with"]
    # The database in the folder where the build keeps it by default, not the site kept
    # beside it: a site restored on another machine has other inodes, so it isn't used.
    assert settings["path"] == ".limber-cache/cache.sqlite3*"
    # A new cache per commit, restored from the last one made by the same code.
    assert "hashFiles('site_src/**'" in settings["key"] and "github.sha" in settings["key"]
    assert settings["key"].startswith(settings["restore-keys"].split()[0])
    builds = [i for i, step in enumerate(steps) if "python build.py" in step.get("run", "")]
    assert builds and cached[0] < builds[0]
