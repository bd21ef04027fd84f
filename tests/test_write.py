"""Writing the site: atomic swap, nothing left behind, the old site kept on failure."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from site_src import write
from tests.conftest import temporary_files, tree_digest


@pytest.mark.parametrize("atomic", [True, False], ids=["exchange", "two-renames"])
def test_rebuild_swaps_in_the_new_site_and_leaves_nothing_behind(make_site, run, monkeypatch,
                                                                  atomic):
    if not atomic:
        monkeypatch.setattr(write, "_exchange", lambda a, b: False)
    site = make_site()
    assert run().code == 0
    site.write("content/pages/safety.md", "---\ntitle: Stretch safely\n---\nNew words.\n")
    assert run().code == 0
    assert "New words." in site.page("safety/index.html")
    assert temporary_files(site.root) == []


@pytest.mark.parametrize("cache", [True, False], ids=["old-site-kept", "no-cache"])
def test_unchanged_files_are_linked_from_the_old_site_and_changed_ones_written(make_site, run,
                                                                               cache):
    site = make_site()
    options = () if cache else ("--no-cache",)
    assert run(*options).code == 0
    kept, changed = site.out / "stretches/figure-four/index.html", site.out / "safety/index.html"
    inodes = {path: path.stat().st_ino for path in (kept, changed)}
    text = (site.root / "content/pages/safety.md").read_text()
    site.write("content/pages/safety.md", text + "\nOne more sentence.\n")
    assert run(*options).code == 0
    assert kept.stat().st_ino == inodes[kept]
    # The old site is kept in the cache for the next build to bring up to date, or gone.
    assert kept.stat().st_nlink == (2 if cache else 1)
    assert (site.root / ".limber-cache/site/safety/index.html").is_file() == cache
    assert changed.stat().st_ino != inodes[changed]
    assert "One more sentence." in site.page("safety/index.html")
    fresh = site.root / "fresh"
    assert run("--out", str(fresh), "--no-cache").code == 0
    assert tree_digest(fresh) == tree_digest(site.out)
    assert temporary_files(site.root) == []


def _folders_left_empty(folder: Path) -> list[str]:
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*")
                  if path.is_dir() and not any(path.iterdir()))


def test_the_kept_site_is_brought_up_to_date_by_writing_only_what_differs(make_site, run):
    site = make_site()
    safety = (site.root / "content/pages/safety.md").read_text()
    twin = (site.root / "content/stretches/figure-four.md").read_text().replace(
        "title: Figure-four stretch", "title: Twin stretch")
    hamstring = (site.root / "content/stretches/seated-hamstring-stretch.md").read_text()
    edits = [  # each build after the first starts from the site two builds back
        lambda: site.write("content/pages/safety.md", safety + "\nEdit one.\n"),
        lambda: site.write("content/pages/safety.md", safety + "\nEdit two.\n"),
        lambda: site.write("content/stretches/twin.md", twin),  # pages and drawings come
        lambda: site.write("content/pages/more.md", "---\ntitle: More\n---\nA new page.\n"),
        lambda: site.write("content/stretches/twin.md", None),  # and go
        lambda: site.write("content/pages/more.md", None),
        lambda: site.write("content/stretches/seated-hamstring-stretch.md", hamstring.replace(
            "title: Seated hamstring stretch", "title: Hamstring stretch")),  # the drawings
        lambda: site.write("content/stretches/seated-hamstring-stretch.md", hamstring),  # name
    ]
    assert run().code == 0
    untouched = site.out / "static/style.css"
    first = untouched.stat().st_ino
    for number, edit in enumerate(edits):
        edit()
        assert run().code == 0, number
        fresh = site.root / f"fresh-{number}"
        assert run("--out", str(fresh), "--no-cache").code == 0
        assert tree_digest(site.out) == tree_digest(fresh), number
        assert _folders_left_empty(site.out) == [], number
        assert untouched.stat().st_ino == first, number  # never written again
    assert (site.root / ".limber-cache/site").is_dir()
    assert temporary_files(site.root) == []


def test_without_a_kept_site_the_files_that_stay_are_linked_unread_from_the_last(make_site,
                                                                                  run,
                                                                                  monkeypatch):
    """The first build after one from nothing has no kept site; the site it replaces was
    written by that build, which knows what each of its files holds."""
    site = make_site()
    assert run("--no-search").code == 0
    untouched = site.out / "stretches/figure-four/index.html"
    first = untouched.stat().st_ino
    safety = site.root / "content/pages/safety.md"
    safety.write_text(safety.read_text() + "\nNew words.\n")
    read: list[Path] = []
    real_read = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda path: read.append(path) or real_read(path))
    assert run("--no-search").code == 0
    assert not [path for path in read if site.out in path.parents], "the last site was read"
    assert untouched.stat().st_ino == first  # linked, not written
    assert "New words." in site.page("safety/index.html")
    fresh = site.root / "fresh"
    assert run("--no-search", "--out", str(fresh), "--no-cache").code == 0
    assert tree_digest(site.out) == tree_digest(fresh)


@pytest.mark.parametrize("tamper", ["file changed", "file added", "file deleted", "replaced"])
def test_a_kept_site_changed_since_is_not_trusted(make_site, run, tamper):
    site = make_site()
    assert run().code == 0
    site.write("content/pages/safety.md", "---\ntitle: Stretch safely\n---\nNew words.\n")
    assert run().code == 0
    kept = site.root / ".limber-cache/site"
    {"file changed": lambda: (kept / "index.html").write_text("tampered"),
     "file added": lambda: (kept / "stray.html").write_text("stray"),
     "file deleted": lambda: (kept / "static/style.css").unlink(),
     "replaced": lambda: (shutil.rmtree(kept), kept.mkdir(),
                          (kept / "index.html").write_text("a stranger"))}[tamper]()
    site.write("content/pages/safety.md", "---\ntitle: Stretch safely\n---\nOther words.\n")
    assert run().code == 0
    fresh = site.root / "fresh"
    assert run("--out", str(fresh), "--no-cache").code == 0
    assert tree_digest(site.out) == tree_digest(fresh)
    assert temporary_files(site.root) == []


@pytest.mark.parametrize("builds", [1, 2], ids=["new-folder", "kept-site"])
def test_failure_while_writing_keeps_the_old_site(make_site, run, monkeypatch, builds):
    site = make_site()
    for number in range(builds):  # a second build keeps the first's site, to update next
        site.write("content/pages/more.md", f"---\ntitle: More\n---\nBuild {number}.\n")
        assert run().code == 0
    before = tree_digest(site.out)
    site.write("content/pages/safety.md", "---\ntitle: Changed\n---\nChanged.\n")

    real_write_bytes = Path.write_bytes
    written = []

    def failing_write_bytes(self: Path, data: bytes) -> int:
        if any(folder.name.startswith(f"{write.TEMP_PREFIX}build-") for folder in self.parents):
            written.append(self)  # the new site's files, not the search index's
        if len(written) >= 2:  # the disk is full from then on
            raise OSError(28, "No space left on device")
        return real_write_bytes(self, data)

    monkeypatch.setattr(Path, "write_bytes", failing_write_bytes)
    result = run()
    assert result.code == 1
    assert "could not write the site to" in result.err
    assert "No space left on device; the previous site is unchanged" in result.err
    assert "Traceback" not in result.err
    assert tree_digest(site.out) == before
    assert temporary_files(site.root) == []


def test_output_inside_a_folder_the_build_reads_is_refused(make_site, run):
    site = make_site()
    result = run("--out", "content/images/site")
    assert result.code == 1
    assert "is inside content, which the build reads" in result.err
    assert not (site.root / "content/images/site").exists()


def test_output_below_a_file_is_a_clear_error(make_site, run):
    site = make_site()
    (site.root / "afile").write_text("x")
    result = run("--out", "afile/site")
    assert result.code == 1
    assert "could not write the site to" in result.err and "Traceback" not in result.err
    assert temporary_files(site.root) == []


def test_a_cache_inside_the_output_folder_is_refused_before_anything_is_made(make_site, run):
    site = make_site()
    result = run("--cache-dir", "_site/.cache")
    assert result.code == 1 and "Traceback" not in result.err
    assert "refusing to keep the build cache in" in result.err
    assert "--cache-dir .limber-cache" in result.err
    assert not site.out.exists()
    assert run("--cache-dir", "_site/.cache", "--no-cache").code == 0  # no cache: no clash
