"""The search stage: a Pagefind bundle of the HTML pages, the same bytes every run, and
clear errors when Pagefind is missing, broken, failing or hanging."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from site_src import search

STRETCHES = {  # slug: (title, position, equipment, muscles)
    "cat-cow": ("Cat-cow", "all-fours", ["mat"], ["lower-back", "abdominals"]),
    "bridge": ("Bridge", "lying", ["mat", "pillow"], ["glutes", "hamstrings"]),
    "seated-twist": ("Seated twist", "seated", ["chair"], ["obliques", "lower-back"]),
    "wall-calf": ("Wall calf stretch", "standing", ["wall"], ["calves"]),
    "kneeling-psoas": ("Kneeling psoas stretch", "kneeling", ["cushions"], ["psoas"]),
    "doorway-chest": ("Doorway chest stretch", "standing", [], ["chest", "shoulders"]),
    "child-pose": ("Child's pose", "kneeling", ["mat", "towel"], ["lats", "lower-back"]),
}


def _page(title: str, body: str) -> bytes:
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
            f'</head><body><nav><a href="/limber/">Limber</a></nav>{body}'
            '<footer>Stop if it hurts.</footer></body></html>').encode()


def _stretch(slug: str) -> bytes:
    title, position, equipment, muscles = STRETCHES[slug]
    tags = "".join(f'<li data-pagefind-filter="equipment">{item}</li>' for item in equipment)
    tags += "".join(f'<span hidden data-pagefind-filter="muscle">{m}</span>' for m in muscles)
    return _page(title, f'<main data-pagefind-body data-pagefind-filter="position:{position}">'
                        f'<h1>{title}</h1><img src="/limber/figures/{slug}-start.svg" alt="start"'
                        f' data-pagefind-meta="image[src]"><p>Hold the {title.lower()} for '
                        f'30 seconds and breathe.</p><ul>{tags}</ul></main>')


def _site() -> dict[str, bytes]:
    files = {f"stretches/{slug}/index.html": _stretch(slug) for slug in STRETCHES}
    files["about/index.html"] = _page("About", "<main data-pagefind-body><h1>About</h1>"
                                               "<p>Gentle stretches for back pain.</p></main>")
    files["index.html"] = _page("Limber", "<main><h1>Limber</h1><p>Not searched.</p></main>")
    files["404.html"] = _page("Not found", "<main><h1>Not found</h1></main>")
    files["static/style.css"] = b"body { margin: 0 }"
    files["figures/cat-cow-start.svg"] = b"<svg/>"
    return files


def _fake(tmp_path: Path, script: str) -> Path:
    program = tmp_path / "pagefind"
    program.write_text(f"#!/bin/sh\n{script}\n")
    program.chmod(0o755)
    return program


def test_bundle_holds_the_browser_code_and_an_index_of_the_marked_pages():
    bundle = search.index(_site())
    assert all(path.startswith("pagefind/") for path in bundle)
    for name in ("pagefind.js", "pagefind-ui.js", "pagefind-ui.css", "pagefind-worker.js",
                 "pagefind-entry.json", "wasm.en.pagefind"):
        assert f"pagefind/{name}" in bundle
    entry = json.loads(bundle["pagefind/pagefind-entry.json"])
    # the home and 404 pages have no data-pagefind-body, so they are left out
    assert entry["languages"]["en"]["page_count"] == len(STRETCHES) + 1
    assert f"pagefind/pagefind.{entry['languages']['en']['hash']}.pf_meta" in bundle
    assert sum(path.endswith(".pf_fragment") for path in bundle) == len(STRETCHES) + 1
    assert list(bundle) == sorted(bundle)


@pytest.fixture(autouse=True)
def fresh():
    """Every test runs Pagefind itself, not the bundle an earlier one made."""
    search._MADE.clear()
    yield
    search._MADE.clear()


def test_same_pages_are_indexed_once_and_give_the_same_bytes(monkeypatch):
    runs = []
    real_run = search._run
    monkeypatch.setattr(search, "_run", lambda *args: runs.append(args) or real_run(*args))
    site = _site()
    first = search.index(site)
    assert search.index(dict(reversed(site.items()))) == first and len(runs) == 1
    changed = {**site, "about/index.html": site["about/index.html"].replace(b"Gentle", b"Calm")}
    assert search.index(changed) != first and len(runs) == 2, "a changed page is indexed anew"
    search._MADE.clear()
    assert search.index(site) == first and len(runs) == 3, "kept and fresh bundles agree"


def test_two_runs_give_identical_files():
    site = _site()
    first = search.index(site)
    for order in (site, dict(reversed(site.items()))):
        search._MADE.clear()  # run Pagefind again
        again = search.index(order)
        assert list(again) == list(first)
        assert again == first


def test_filters_are_sorted_by_name_and_value_and_named_by_their_content():
    bundle = search.index(_site())
    entry = json.loads(bundle["pagefind/pagefind-entry.json"])
    meta = search._unpack(bundle[f"pagefind/pagefind.{entry['languages']['en']['hash']}.pf_meta"])
    filters = meta[3]
    assert [name for name, _ in filters] == ["equipment", "muscle", "position"]
    for name, short in filters:
        data = bundle[f"pagefind/filter/{short}.pf_filter"]
        packed = search._unpack(data)
        assert packed[0] == name
        values = [value for value, _pages in packed[1]]
        assert values == sorted(values)
        assert short == search._name("en", gzip.decompress(data)[len(search.MAGIC):], 7)
    assert sorted(path for path in bundle if "/filter/" in path) == sorted(
        f"pagefind/filter/{short}.pf_filter" for _, short in filters)


def test_a_page_keeps_its_part_as_the_library_grows_until_the_parts_double():
    paths = [f"stretches/s{i}/index.html" for i in range(100)]
    split = search.parts(paths, 30)
    assert len(split) == 4 and sorted(p for part in split for p in part) == sorted(paths)
    assert all(10 <= len(part) <= 40 for part in split), [len(part) for part in split]
    grown = search.parts(paths + [f"stretches/new{i}/index.html" for i in range(20)], 30)
    assert [[p for p in part if p in paths] for part in grown] == split
    assert len(search.parts(paths * 2, 30)) == 8
    assert search.parts(paths, 100) == [sorted(paths)]


def _parts(bundle: dict[str, bytes]) -> list[dict[str, bytes]]:
    """Each part of a bundle, as a bundle of its own in pagefind/."""
    folders = ["", *json.loads(bundle[search.PARTS])]
    return [{f"pagefind/{path[len(f'pagefind/{folder}'):]}": data
             for path, data in bundle.items() if path.startswith(f"pagefind/{folder}")
             and (folder or not path.startswith("pagefind/part-"))}
            for folder in folders]


def test_a_big_site_is_indexed_in_parts_one_at_a_time_and_an_edit_indexes_one_again(
        monkeypatch):
    runs = []
    running = []  # how many runs of Pagefind there were as each one started
    real_run = search._run

    def run(*args):
        runs.append(args)
        running.append(len(runs) - len(done))
        try:
            return real_run(*args)
        finally:
            done.append(args)
    done: list = []
    monkeypatch.setattr(search, "_run", run)
    monkeypatch.setattr(search, "PART_PAGES", 2)
    site = _site()
    bundle = search.index(site)
    parts = _parts(bundle)
    assert len(parts) == len(runs) == 4
    assert running == [1, 1, 1, 1], "each part's Pagefind holds all its pages: one at a time"
    assert "pagefind/pagefind-ui.js" in bundle and not any(
        path.startswith("pagefind/part-") and not search._of_the_index(path) for path in bundle)
    urls = [json.loads(gzip.decompress(data)[len(search.MAGIC):])["url"]
            for part in parts for path, data in part.items() if path.endswith(".pf_fragment")]
    assert sorted(urls) == sorted(["/about/", *(f"/stretches/{slug}/" for slug in STRETCHES)])
    every = search._filters(bundle)
    assert every["en"]["equipment"] == {"mat", "pillow", "chair", "wall", "cushions", "towel"}
    assert all(search._filters(part) == every for part in parts), \
        "every part lists every value, so merged filters come out sorted"

    edited = {**site, "about/index.html": site["about/index.html"].replace(b"Gentle", b"Calm")}
    again = search.index(edited)
    assert len(runs) == 5, "only the edited page's part is indexed again"
    changed = {path for path in {*bundle, *again} if bundle.get(path) != again.get(path)}
    part = next(folder for folder in ["", *json.loads(bundle[search.PARTS])]
                if any(p.startswith(f"pagefind/{folder}fragment/") for p in changed))
    assert all(path.startswith(f"pagefind/{part}") for path in changed)
    search._MADE.clear()
    assert search.index(edited) == again, "the same pages give the same bytes"


def test_codec_reads_and_writes_pagefinds_own_files_byte_for_byte(tmp_path):
    for path, data in _site().items():
        if path.endswith(".html"):
            (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / path).write_bytes(data)
    subprocess.run([str(search.binary()), "--site", str(tmp_path), "--silent"], check=True)
    bundle = tmp_path / "pagefind"
    written = [*bundle.glob("*.pf_meta"), *bundle.glob("filter/*.pf_filter")]
    assert len(written) == 4  # the metadata and three filters
    for path in written:
        raw = gzip.decompress(path.read_bytes())
        assert search._cbor(search._unpack(path.read_bytes())) == raw[len(search.MAGIC):]


def test_results_store_urls_from_the_site_root():
    bundle = search.index(_site())
    fragments = [json.loads(gzip.decompress(data)[len(search.MAGIC):])
                 for path, data in bundle.items() if path.endswith(".pf_fragment")]
    cat_cow = next(f for f in fragments if f["url"] == "/stretches/cat-cow/")
    assert cat_cow["meta"]["title"] == "Cat-cow"
    assert cat_cow["meta"]["image"] == "/limber/figures/cat-cow-start.svg"
    assert cat_cow["filters"]["position"] == ["all-fours"]
    assert "Stop if it hurts" not in cat_cow["content"]  # outside data-pagefind-body
    assert {f["url"] for f in fragments} >= {"/about/", "/stretches/bridge/"}


def test_a_site_without_pages_needs_no_index(monkeypatch):
    monkeypatch.setattr(search, "binary", lambda: pytest.fail("Pagefind should not run"))
    assert search.index({"static/style.css": b""}) == {}


def test_missing_pagefind_package_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "pagefind_bin", None)  # import pagefind_bin fails
    with pytest.raises(search.SearchUnavailable) as error:
        search.index(_site())
    assert str(error.value).startswith("the search index could not be built: the Pagefind "
                                       "binary is missing (")
    assert str(error.value).endswith("; install it with: python -m pip install -e ., "
                                     "or build with --no-search")


def test_missing_binary_file_is_reported(monkeypatch, tmp_path):
    nowhere = tmp_path / "pagefind"
    monkeypatch.setattr(search, "binary", lambda: nowhere)
    with pytest.raises(search.SearchUnavailable) as error:
        search.index(_site())
    assert str(error.value) == (f"the search index could not be built: the Pagefind binary "
                                f"{nowhere} cannot run (No such file or directory); install it "
                                "with: python -m pip install -e ., or build with --no-search")


@pytest.mark.skipif(os.name != "posix", reason="file modes and shell scripts")
def test_binary_that_is_not_executable_is_reported(monkeypatch, tmp_path):
    program = tmp_path / "pagefind"
    program.write_bytes(b"not a program")
    program.chmod(0o644)
    monkeypatch.setattr(search, "binary", lambda: program)
    with pytest.raises(search.SearchUnavailable, match=r"cannot run \(Permission denied\); "):
        search.index(_site())


@pytest.mark.skipif(os.name != "posix", reason="shell scripts")
def test_failing_pagefind_shows_the_end_of_what_it_said(monkeypatch, tmp_path):
    program = _fake(tmp_path, "echo 'Indexing' >&2\necho 'Error: the disk is full' >&2\nexit 3")
    monkeypatch.setattr(search, "binary", lambda: program)
    with pytest.raises(search.SearchUnavailable) as error:
        search.index(_site())
    assert str(error.value) == ("the search index could not be built: Pagefind exited with "
                                "status 3: Indexing Error: the disk is full; build with "
                                "--no-search to leave search out")


@pytest.mark.skipif(os.name != "posix", reason="shell scripts")
def test_hanging_pagefind_is_stopped_at_the_timeout(monkeypatch, tmp_path):
    program = _fake(tmp_path, "exec sleep 60")
    monkeypatch.setattr(search, "binary", lambda: program)
    started = time.monotonic()
    with pytest.raises(search.SearchUnavailable) as error:
        search.index(_site(), timeout=0.5)
    assert time.monotonic() - started < 10
    assert str(error.value) == ("the search index could not be built: Pagefind took longer "
                                "than 0.5 s and was stopped; build again, or build with "
                                "--no-search")


def test_build_fails_clearly_when_pagefind_cannot_run_unless_told_no_search(
        make_site, run, monkeypatch, tmp_path):
    site = make_site()
    assert run().code == 0
    before = (site.out / "index.html").read_bytes()
    monkeypatch.setattr(search, "binary", lambda: tmp_path / "no-such-pagefind")
    result = run()
    assert result.code == 1
    assert "the search index could not be built: the Pagefind binary" in result.err
    assert "--no-search" in result.err and "Traceback" not in result.err
    assert (site.out / "index.html").read_bytes() == before, "the last good site stays"

    result = run("build", "--no-search")
    assert result.code == 0, result.err
    assert not (site.out / "search").exists() and not (site.out / "pagefind").exists()
    home = (site.out / "index.html").read_text()
    assert "site-search" not in home and 'role="search"' not in home
