"""Template mistakes, the mandatory disclaimer, links, atomic and deterministic output."""

from __future__ import annotations

import html as html_lib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from site_src import parallel, render
from site_src.errors import Problem
from site_src.load import SourceFile
from tests.conftest import BASE_FILES, ROOT, TEMPLATES, tree_digest


@pytest.fixture
def templates(tmp_path: Path) -> Path:
    """A private copy of the real templates, to break on purpose."""
    copy = tmp_path / "my-templates"
    shutil.copytree(TEMPLATES, copy)
    return copy


def _line_containing(path: Path, needle: str) -> int:
    return next(n for n, text in enumerate(path.read_text().splitlines(), 1) if needle in text)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_template_typo_names_template_and_line(make_site, run, templates):
    make_site()
    _edit(templates / "stretch.html", "{{ s.summary }}", "{{ s.sumary }}")
    result = run("--templates", str(templates))
    assert result.code == 1
    line = _line_containing(templates / "stretch.html", "s.sumary")
    assert f"my-templates/stretch.html:{line}: template error: 'dict object' has no " \
           "attribute 'sumary'" in result.err
    assert "Traceback" not in result.err


def test_template_syntax_error_names_template_and_line(make_site, run, templates):
    make_site()
    _edit(templates / "muscle.html", "{% endif %}", "{% endiff %}")
    result = run("--templates", str(templates))
    assert result.code == 1
    line = _line_containing(templates / "muscle.html", "endiff")
    assert f"my-templates/muscle.html:{line}: template error: Encountered unknown tag " \
           "'endiff'" in result.err


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_template_that_loops_too_long_is_stopped_and_named(make_site, run, templates,
                                                            monkeypatch, jobs):
    monkeypatch.setattr(render, "PAGE_TIMEOUT", 0.5)
    monkeypatch.setattr(parallel, "MIN_ITEMS", 1)  # workers even for a small site
    stretch = "content/stretches/seated-hamstring-stretch.md"
    site = make_site({f"content/stretches/copy-{n}.md": BASE_FILES[stretch].replace(
        "title: ", f"title: Copy {n} of ", 1) for n in range(6)})
    assert run("--templates", str(templates)).code == 0
    before = tree_digest(site.out)
    _edit(templates / "stretch.html", "{{ s.summary }}",
          "{{ s.summary }}{% for i in range(10 ** 15) %}{% endfor %}")
    result = run("--templates", str(templates), "--jobs", jobs)
    assert result.code == 1
    line = _line_containing(templates / "stretch.html", "range(10 ** 15)")
    stopped = [text for text in result.err.splitlines() if "was stopped" in text]
    assert re.fullmatch(
        f"my-templates/stretch.html:{line}: template error: took longer than 0.5 s to render "
        "/stretches/[a-z0-9-]+/ and was stopped; look for a loop here that runs far too long, "
        "such as one over every stretch inside another", stopped[0]), stopped
    # The first page that ran out of time stops the rest, which would each take as long.
    assert len(stopped) == 1
    assert "Traceback" not in result.err
    assert tree_digest(site.out) == before


def test_after_a_page_runs_out_of_time_a_worker_renders_no_more(monkeypatch):
    # A worker hands back a chunk of pages at once: it mustn't spend as long on each page
    # after the first that ran out of time before the build can stop.
    monkeypatch.setattr(render, "PAGE_TIMEOUT", 0.3)
    templates = {name: SourceFile("template", f"templates/{name}", name, text) for name, text
                 in [("loop.html", "{% for i in range(10 ** 15) %}{% endfor %}"),
                     ("plain.html", "<p>{{ words }}</p>")]}
    renderer = render.Renderer(templates, {})
    plain = render._Todo(0, "", "plain.html", "plain/", {"words": "Hello"}, 0)
    assert renderer._render_page(plain)[1] == b"<p>Hello</p>"
    stopped = renderer._render_page(render._Todo(1, "", "loop.html", "loop/", {}, 0))
    assert isinstance(stopped, Problem)
    assert "took longer than 0.3 s to render /loop/ and was stopped" in stopped.message
    assert renderer._render_page(plain) == stopped


def test_template_without_disclaimer_fails_the_build(make_site, run, templates):
    site = make_site()
    assert run("--templates", str(templates)).code == 0
    before = tree_digest(site.out)
    (templates / "page.html").write_text(
        "<!doctype html><title>{{ page.title }}</title>{{ content.body }}\n")
    result = run("--templates", str(templates))
    assert result.code == 1
    assert "my-templates/page.html: drops the medical disclaimer on 1 page(s), e.g. /safety/;" \
        in result.err
    assert tree_digest(site.out) == before


def test_overriding_a_block_cannot_drop_the_disclaimer(make_site, run, templates):
    """The disclaimer sits outside every block of base.html, so a child can't remove it."""
    site = make_site()
    _edit(templates / "routine.html", "{% block content %}",
          "{% block title %}x{% endblock %}{% block body_class %}{% endblock %}"
          "{% block content %}")
    assert run("--templates", str(templates)).code == 0
    assert "<strong>Stop if it hurts</strong>" in site.page("routines/morning/index.html")


def test_disclaimer_partial_is_mandatory(make_site, run, templates):
    make_site()
    (templates / "partials/disclaimer.html").write_text("<aside>Be well.</aside>\n")
    result = run("--templates", str(templates))
    assert result.code == 1
    assert "my-templates/partials/disclaimer.html: the disclaimer partial must show the " \
           "site's disclaimer; keep {{ site.disclaimer }} in it" in result.err

    (templates / "partials/disclaimer.html").unlink()
    result = run("--templates", str(templates))
    assert result.code == 1
    line = _line_containing(templates / "base.html", "partials/disclaimer.html")
    assert f"my-templates/base.html:{line}: template 'partials/disclaimer.html' not found in " \
           "the templates folder" in result.err
    assert "Traceback" not in result.err


def test_broken_link_in_a_template_is_caught(make_site, run, templates):
    make_site()
    _edit(templates / "home.html", "{{ site.sections.muscles }}", "{{ site.home }}musclez/")
    result = run("--templates", str(templates))
    assert result.code == 1
    assert "my-templates/home.html: link '/limber/musclez/' on / leads to no page or file" \
        in result.err


def test_a_link_that_passed_is_checked_again_once_what_it_led_to_is_gone(make_site, run,
                                                                        templates):
    """The next build trusts the pages that passed the link check and are the same, but
    only while every file their links led to is still there."""
    site = make_site({"content/images/map.png": "not really a picture"})
    _edit(templates / "home.html", "{{ site.sections.muscles }}", "{{ site.home }}images/map.png")
    assert run("--templates", str(templates)).code == 0
    (site.root / "content/images/map.png").unlink()
    result = run("--templates", str(templates))
    assert result.code == 1
    assert "my-templates/home.html: link '/limber/images/map.png' on / leads to no page or " \
           "file" in result.err


def test_a_template_cut_off_inside_a_tag_builds_in_bounded_time(make_site, templates):
    """Every page then ends in a tag never closed, with a long run in it: the link reader
    once tried every way of cutting that run into attributes, for hours."""
    site = make_site()
    base = templates / "base.html"
    text = base.read_text()
    base.write_text(text[:text.index("</footer>")]
                    + '<a href="{{ site.home }}" class="site-footer-note-about-safety-and-care"')
    done = subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--no-search",
                           "--templates", str(templates)], cwd=site.root, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    page = (site.out / "index.html").read_text()
    assert page.endswith('class="site-footer-note-about-safety-and-care"')
    assert "Traceback" not in done.stderr


def test_template_link_outside_the_base_path_is_caught(make_site, run, templates):
    """A hard-coded '/static/...' works at a domain root but breaks on a project site."""
    make_site()
    _edit(templates / "base.html", "{{ site.static['style.css'] }}", "/static/style.css")
    result = run("--templates", str(templates))
    assert result.code == 1
    assert "my-templates/base.html: link '/static/style.css' on / is outside the site's " \
           "base path '/limber/'" in result.err
    # At a domain root the same link does lead to the stylesheet.
    assert run("--templates", str(templates), "--base-url", "https://example.org/").code == 0


@pytest.mark.parametrize("base_url", ["https://example.org/limber/", "https://example.org/"])
def test_links_that_look_alike_get_the_verdict_full_url_parsing_gives(monkeypatch, base_url):
    from site_src import checks, urls
    from site_src.render import RenderedPage

    base = urls.Base(base_url)
    files = {"index.html", "stretches/cat-cow/index.html", "figures/a b.svg", "robots.txt"}
    links = [f"{base.path}{tail}" for tail in (
        "", "stretches/cat-cow/", "stretches/cat-cow", "stretches/cat-dog/", "robots.txt",
        "stretches/../stretches/cat-cow/", "stretches/./cat-cow/", "stretches/cat-cow/?q=1",
        "stretches/cat-cow/#steps", "figures/a%20b.svg", "figures/a b.svg", "/stretches/",
        "stretches//cat-cow/", ".nojekyll", "stretches\\cat-cow/", "stretches/cat-cow/\n",
        "stretches/\tcat-cow/")] + [
        "/elsewhere/", "//example.com/", "https://example.org/limber/robots.txt", "../"]
    pages = [RenderedPage("stretches/cat-cow/index.html", "stretches/cat-cow/", "page.html",
                          b"", "", (link,)) for link in links]

    def found() -> list[str]:
        return [str(problem) for problem in checks.check_links(pages, base, files, {})]
    quick = found()
    monkeypatch.setattr(checks, "_UNUSUAL", re.compile(""))  # every link parsed in full
    assert quick == found()
    assert any("stretches/cat-dog/" in problem for problem in quick)
    # A relative link means something else on another page, whatever it has in it.
    link = "../cat-cow/?from=https://example.org/"
    pages = [RenderedPage(f"{route}index.html", route, "page.html", b"", "", (link,))
             for route in ("stretches/bridge/", "muscles/calves/")]
    for order in (pages, pages[::-1]):
        assert [problem.message for problem in checks.check_links(order, base, files, {})] \
            == [f"link '{link}' on /muscles/calves/ leads to no page or file"]


def _attribute_links(html: str) -> list[str]:
    """Every href, src and srcset address in a page, found independently of site_src."""
    links = []
    for name, value in re.findall(r"""\s(href|src|srcset|action|poster)\s*=\s*["']([^"']*)["']""",
                                  html, re.I):
        links += [part.split()[0] for part in value.split(",")] if name == "srcset" else [value]
    return [html_lib.unescape(link) for link in links if link]


def crawl(out: Path, base_path: str) -> dict[str, list[str]]:
    """Follow every href and src from every HTML page; return {page: [broken links]}."""
    broken: dict[str, list[str]] = {}
    pages = sorted(out.rglob("*.html"))
    assert pages
    for page in pages:
        rel = page.relative_to(out).as_posix()
        route = rel.removesuffix("index.html")
        for link in _attribute_links(page.read_text()):
            url = urlsplit(urljoin(base_path + route, link))
            if url.scheme or url.netloc:
                continue  # leaves the site
            assert url.path.startswith(base_path), f"{rel}: {link} escapes {base_path}"
            target = out / unquote(url.path[len(base_path):])
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.setdefault(rel, []).append(link)
    return broken


@pytest.mark.parametrize("base_url, base_path", [
    ("https://example.github.io/limber/", "/limber/"),
    ("https://stretch.example.org/", "/"),
    ("https://example.org/deep/sub/path", "/deep/sub/path/"),
])
def test_every_link_resolves_under_any_base_path(make_site, run, base_url, base_path):
    site = make_site({"content/images/seated.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
                      "content/pages/safety.md": "---\ntitle: S\n---\n![pose](../images/"
                      "seated.svg) and [home](/) and [the list](/stretches/)\n"})
    assert run("--base-url", base_url).code == 0
    assert crawl(site.out, base_path) == {}
    html = site.page("safety/index.html")
    assert f'src="{base_path}images/seated.svg"' in html
    assert f'href="{base_path}stretches/"' in html
    sitemap = site.page("sitemap.xml")
    assert f"<loc>{base_url.rstrip('/')}/stretches/</loc>" in sitemap


def test_crawler_notices_a_broken_link(make_site, run):
    site = make_site()
    assert run().code == 0
    (site.out / "muscles/calves/index.html").unlink()
    assert "muscles/index.html" in crawl(site.out, "/limber/")


def test_two_builds_are_byte_identical(make_site):
    """Separate processes with different hash seeds, so set order can't leak into output."""
    site = make_site()
    for out, seed in (("one", "1"), ("two", "2")):
        done = subprocess.run([sys.executable, str(ROOT / "build.py"), "--templates",
                               str(TEMPLATES), "--out", out], cwd=site.root, text=True,
                              capture_output=True, env={**os.environ, "PYTHONHASHSEED": seed})
        assert done.returncode == 0, done.stderr
    one, two = tree_digest(site.root / "one"), tree_digest(site.root / "two")
    assert one == two and len(one) > 10
    assert "pagefind/pagefind-entry.json" in one  # the search index too


def test_rebuild_replaces_stale_files(make_site, run):
    site = make_site()
    assert run().code == 0
    site.write("content/muscles/calves.md", None)
    assert run().code == 0
    assert not (site.out / "muscles/calves").exists()
    assert "Calves" not in site.page("muscles/index.html")


def test_build_refuses_to_replace_a_folder_it_did_not_make(make_site, run):
    site = make_site()
    precious = site.root / "notes"
    precious.mkdir()
    (precious / "todo.txt").write_text("keep me")
    result = run("--out", "notes")
    assert result.code == 1
    assert "refusing to replace" in result.err and "no .nojekyll" in result.err
    assert (precious / "todo.txt").read_text() == "keep me"
    for out in (".", "content"):
        result = run("--out", out)
        assert result.code == 1 and "refusing to write the site" in result.err
    assert (site.root / "content/site.yaml").exists()


def test_bad_base_url_is_a_clear_error(make_site, run):
    make_site()
    result = run("--base-url", "example.org/limber")
    assert result.code == 1
    assert "--base-url: base URL must be a full address such as " \
           "'https://someone.github.io/limber/', not 'example.org/limber'" in result.err


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def test_command_line_builds_and_fails_without_traceback(make_site):
    site = make_site()
    done = _cli("--templates", str(TEMPLATES), cwd=site.root)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Built 28 pages into _site")
    site.write("content/routines/morning.md", "---\ntitle: [unclosed\n---\n")
    done = _cli("build", "--templates", str(TEMPLATES), cwd=site.root)
    assert done.returncode == 1
    assert done.stderr.startswith("content/routines/morning.md:")
    assert "Traceback" not in done.stderr


def test_help_documents_every_option():
    top = _cli("--help", cwd=ROOT).stdout
    assert "build" in top and "check" in top
    build = _cli("build", "--help", cwd=ROOT).stdout
    for option in ("--content", "--templates", "--out", "--base-url", "--drafts"):
        assert option in build
    assert "--out" not in _cli("check", "--help", cwd=ROOT).stdout
