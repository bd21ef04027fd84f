"""Writing the site: atomic swap, nothing left behind, the old site kept on failure."""

from __future__ import annotations

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


def test_unchanged_files_are_linked_from_the_old_site_and_changed_ones_written(make_site, run):
    site = make_site()
    assert run().code == 0
    kept, changed = site.out / "stretches/figure-four/index.html", site.out / "safety/index.html"
    inodes = {path: path.stat().st_ino for path in (kept, changed)}
    text = (site.root / "content/pages/safety.md").read_text()
    site.write("content/pages/safety.md", text + "\nOne more sentence.\n")
    assert run().code == 0
    assert kept.stat().st_ino == inodes[kept] and kept.stat().st_nlink == 1  # old site gone
    assert changed.stat().st_ino != inodes[changed]
    assert "One more sentence." in site.page("safety/index.html")
    fresh = site.root / "fresh"
    assert run("--out", str(fresh), "--no-cache").code == 0
    assert tree_digest(fresh) == tree_digest(site.out)


def test_failure_while_writing_keeps_the_old_site(make_site, run, monkeypatch):
    site = make_site()
    assert run().code == 0
    before = tree_digest(site.out)
    site.write("content/pages/safety.md", "---\ntitle: Changed\n---\nChanged.\n")

    real_write_bytes = Path.write_bytes
    written = []

    def failing_write_bytes(self: Path, data: bytes) -> int:
        if site.root in self.parents:  # the site's own files, not the search index's
            written.append(self)
        if len(written) == 5:
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
