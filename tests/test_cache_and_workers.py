"""Built on all cores and from the build cache, the site is byte for byte the site built on
one core from nothing; a damaged, foreign or shared cache can't change that."""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import OrderedDict
from dataclasses import replace
from pathlib import Path

import pytest

from site_src import cache as cache_module
from site_src import checks, parallel, pipeline, render, search
from site_src.cache import Cache
from site_src.cli import Progress
from site_src.figures import Drawings
from site_src.pipeline import Settings, build
from site_src.render import RenderedPage
from tests.conftest import ROOT, TEMPLATES, tree_digest

REAL = Settings(content=ROOT / "content", templates=TEMPLATES, jobs=1, search=False)


def _files(settings: Settings, cache: Cache | None = None) -> dict[str, bytes]:
    return build(settings, write=False, cache=cache).files


@pytest.fixture(scope="module")
def alone() -> dict[str, bytes]:
    """The real site, built on one process with no cache."""
    return _files(REAL)


def _pid(_item: object) -> int:
    time.sleep(0.002)  # long enough that both workers get a share
    return os.getpid()


def test_work_is_shared_out_to_worker_processes_and_comes_back_in_order():
    items = list(range(300))
    assert parallel.ordered_map(str, items, 2) == [str(i) for i in items]
    pids = set(parallel.ordered_map(_pid, items, 2))
    assert len(pids) == 2 and os.getpid() not in pids
    assert set(parallel.ordered_map(_pid, items[:10], 2)) == {os.getpid()}  # too few: here


def _pid_of(item: list[int]) -> tuple[int, int]:
    return item[0], _pid(item)


def test_work_made_as_it_goes_is_sent_to_the_workers_a_few_chunks_ahead(monkeypatch):
    monkeypatch.setattr(parallel, "MAX_CHUNK", 8)
    made: list[int] = []  # the items made so far, as the workers' results come back
    ahead: list[int] = []

    def items():
        for number in range(200):
            made.append(number)
            yield [number]
    results = []
    for item, (number, pid) in parallel.sent(_pid_of, items(), 2):
        assert item == [number]
        ahead.append(len(made) - number)
        results.append((number, pid))
    assert [number for number, _pid in results] == list(range(200))
    pids = {pid for _number, pid in results}
    assert len(pids) == 2 and os.getpid() not in pids
    # Two workers are sent two chunks of eight each before the first result comes back:
    # the items are not all made (and held) at once.
    assert max(ahead) <= 2 * parallel.AHEAD * 8
    # A chunk is closed early at SENT_BYTES, as the items weigh it: one big item goes alone.
    weights = {3: parallel.SENT_BYTES}
    sizes = [len(chunk) for chunk in parallel._chunks(range(10), lambda n: weights.get(n, 1),
                                                       8)]
    assert sizes == [4, 6]
    assert list(parallel.sent(_pid_of, iter([[1], [2]]), 1)) == \
        [([1], (1, os.getpid())), ([2], (2, os.getpid()))]  # one job: here


def _resident_mib(_item: list[int]) -> float:
    status = Path("/proc/self/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+) kB", status)[1]) / 1024


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads Linux's /proc")
def test_workers_sent_the_work_do_not_hold_the_memory_of_the_process_that_sends_it():
    # The build holds the whole library while it sends out the pages: a worker that shared
    # that memory would end up with a copy of each part of it the build touched meanwhile.
    held = b"library" * (40 * 1024 * 1024)  # 280 MB, every page of it written
    sizes = [size for _item, size in parallel.sent(_resident_mib, ([n] for n in range(50)), 2)]
    assert len(held) > 0 and max(sizes) < 150, f"a worker held {max(sizes):.0f} MiB"


_KEPT: list[bytes] = []


def _litter(item: list[str]) -> tuple[int, float]:
    """Make about 200 MB of garbage that malloc can't simply give back from the top of its
    heap (some of it stays), as rendering a chunk of the pages that list every stretch
    does; then, or for any other item, tell this worker's process id and its memory."""
    if item == ["big"]:
        made = [bytes(2000) + str(n).encode() for n in range(100_000)]
        _KEPT.extend(made[::50])
        del made
    return os.getpid(), _resident_mib(item)


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads Linux's /proc")
def test_workers_hand_back_the_memory_a_chunk_took_once_it_is_done():
    items = [["big"], ["big"], *[["after"]] * 20]
    results = [(item[0], *result) for item, result in parallel.sent(
        _litter, iter(items), 2, weigh=lambda _item: parallel.SENT_BYTES)]  # one a chunk
    littered = {pid: size for what, pid, size in results if what == "big"}
    after = [(size, littered[pid]) for what, pid, size in results
             if what == "after" and pid in littered]
    assert after and min(littered.values()) > 150, littered  # the garbage was there
    assert all(size < 100 for size, _before in after), after


def _die(_item: list[int]) -> None:
    os._exit(3)


def test_a_worker_that_dies_stops_the_work_with_a_message_not_a_hang():
    ended: list[BaseException] = []

    def work() -> None:
        try:
            list(parallel.sent(_die, ([n] for n in range(50)), 2))
        except BaseException as exc:  # what it ended with is the answer
            ended.append(exc)
    waiting = threading.Thread(target=work, daemon=True)
    waiting.start()
    waiting.join(60)  # not a measure of speed: it ends at once, or it hangs
    assert not waiting.is_alive(), "the work hung when its worker died"
    assert [type(exc) for exc in ended] == [parallel.WorkerLost]
    assert str(ended[0]) == ("a worker process exited (3) before it finished; build "
                             "again, or build with --jobs 1")


def test_workers_end_quietly_when_done_in_a_process_that_tidies_up_on_sigterm():
    """The preview stops on SIGTERM as on Ctrl+C, to delete its site; its workers must still
    end at once when done: not raise (a traceback each on the author's terminal) or leave
    it waiting (forked workers took its handler, and at 10,000 stretches one waited on a
    lock another held: the preview hung)."""
    script = ("import signal; signal.signal(signal.SIGTERM, signal.default_int_handler); "
              "from site_src import parallel; "
              "print(sum(sum(parallel.ordered_map(abs, range(-1000, 0), 2)) "
              "for _round in range(20)))")
    process = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               start_new_session=True)
    try:
        said, complained = process.communicate(timeout=120)  # it ends at once, or it hangs
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, 9)
        pytest.fail("the pool waited for its workers forever")
    assert (process.returncode, said, complained) == (0, f"{20 * sum(range(1, 1001))}\n", "")


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads Linux's /proc")
def test_ctrl_c_during_a_build_leaves_the_last_site_as_it_was(tmp_path):
    """Stopped while its workers render a library's Markdown (Ctrl+C reaches every process
    of the terminal's group), a build says 'interrupted', exits 130 and leaves the site it
    was replacing, and no half-written folder beside it: no traceback from the workers
    (forked ones each printed one)."""
    from tests.bench_build import write_site

    write_site(tmp_path, 400)
    build = [sys.executable, str(ROOT / "build.py"), "build", "--content", "content",
             "--templates", str(TEMPLATES), "--jobs", "2", "--no-search", "--no-cache"]
    (tmp_path / "small").mkdir()
    shutil.copytree(ROOT / "content", tmp_path / "small" / "content")
    subprocess.run([*build[:4], "small/content", *build[5:]], cwd=tmp_path, check=True,
                   capture_output=True)
    before = tree_digest(tmp_path / "_site")
    process = subprocess.Popen(build, cwd=tmp_path, text=True, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, start_new_session=True)
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
    try:
        while len(children.read_text().split()) < 2:  # its workers are at work
            assert process.poll() is None, process.communicate()
            time.sleep(0.01)
        os.killpg(process.pid, signal.SIGINT)
        said, _ = process.communicate(timeout=60)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, 9)
    assert (process.returncode, said) == (130, "interrupted\n")
    assert tree_digest(tmp_path / "_site") == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["_site", "content", "small"]


def test_site_built_on_two_processes_is_the_site_built_on_one(alone, monkeypatch):
    monkeypatch.setattr(parallel, "MIN_ITEMS", 1)  # the real site is small: share it anyway
    sent = []
    real = parallel.sent

    def spy(fn, items, jobs, *args, **kwargs):
        sent.append((getattr(fn, "func", fn).__name__, jobs))
        return real(fn, items, jobs, *args, **kwargs)
    monkeypatch.setattr(parallel, "sent", spy)
    assert _files(replace(REAL, jobs=2)) == alone
    assert [call for call in sent if call[1] > 1] == [
        ("_call", 2), ("_call", 2), ("_render_one", 2), ("_svgs", 2), ("_render_page", 2)], \
        "the front-matter, the poses' checks, the Markdown, the drawings and the pages " \
        "were each shared by two workers"


def test_the_command_lines_build_which_lets_go_of_the_library_early_writes_the_same_site(
        alone, tmp_path, monkeypatch):
    monkeypatch.setattr(parallel, "MIN_ITEMS", 1)
    out = tmp_path / "site"
    summary = pipeline.publish(replace(REAL, out=out, jobs=2))
    written = {path.relative_to(out).as_posix(): path.read_bytes()
               for path in out.rglob("*") if path.is_file()}
    assert written == alone
    assert (summary.stretches, summary.muscles, summary.routines) == (
        len(list((ROOT / "content/stretches").glob("*.md"))),
        len(list((ROOT / "content/muscles").glob("*.md"))),
        len(list((ROOT / "content/routines").glob("*.md"))))


def test_site_built_from_the_cache_is_the_site_built_without(alone, tmp_path):
    settings = replace(REAL, cache=tmp_path / "cache")
    first = Cache(settings.cache)
    assert _files(settings, first) == alone
    first.close()
    again = Cache(settings.cache)
    assert _files(settings, again) == alone
    assert again.misses == 0 and again.hits > len([p for p in alone if p.endswith(".html")])


def test_an_edit_reads_and_renders_only_what_it_touches(alone, tmp_path, monkeypatch):
    from site_src import validate

    content = tmp_path / "content"
    subprocess.run(["cp", "-r", str(ROOT / "content"), str(content)], check=True)
    settings = replace(REAL, content=content, cache=tmp_path / "cache")
    _files(settings)
    stretch = content / "stretches/cat-cow.md"
    stretch.write_text(stretch.read_text().replace("\n1. ", "\nBreathe easily.\n\n1. ", 1))
    parsed: list[str] = []
    real_parse = validate.parse
    monkeypatch.setattr(validate, "parse", lambda text: parsed.append(text) or real_parse(text))
    linked: list[str] = []  # the pages whose links are checked
    real_links = checks.check_links
    monkeypatch.setattr(checks, "check_links", lambda pages, *args: real_links(
        [linked.append(page.route) or page for page in pages], *args))
    store = Cache(settings.cache)
    files = _files(settings, store)
    assert "Breathe easily." in files["stretches/cat-cow/index.html"].decode()
    assert files["stretches/cat-cow/index.html"] != alone["stretches/cat-cow/index.html"]
    assert len(parsed) == 1, "the other files' front-matter comes from the cache"
    assert 0 < store.misses < 10  # its front-matter, Markdown and page, and the pages that
    # show its body
    assert "stretches/cat-cow/" in linked and len(linked) < 10, "the others passed before"


def test_a_cached_body_whose_link_target_went_away_is_reported_not_reused(make_site, run):
    site = make_site()
    body = site.root / "content/stretches/seated-hamstring-stretch.md"
    body.write_text(body.read_text() + "\nSee [the figure four](figure-four.md).\n")
    assert run("build").code == 0
    (site.root / "content/stretches/figure-four.md").unlink()
    for routine in (site.root / "content/routines").glob("*.md"):
        routine.unlink()
    result = run("build")
    assert result.code == 1
    assert "link to 'figure-four.md' points at no page or file" in result.err


@pytest.mark.parametrize("damage", ["garbage", "truncated", "value", "other code"])
def test_a_damaged_or_foreign_cache_is_ignored_and_made_again(alone, tmp_path, monkeypatch,
                                                              damage):
    settings = replace(REAL, cache=tmp_path / "cache")
    _files(settings)
    database = settings.cache / cache_module.FILE_NAME
    if damage == "garbage":
        for path in settings.cache.iterdir():
            path.write_bytes(b"this is not a database" * 100)
    elif damage == "truncated":
        for path in settings.cache.iterdir():
            path.write_bytes(path.read_bytes()[:5000])
    elif damage == "value":  # every stored value and file changed behind the checksums' back
        with sqlite3.connect(database) as db:
            db.execute("UPDATE item SET value = replace(value, 'stretch', 'strEtch'), "
                       "files = CAST(replace(CAST(files AS TEXT), 'stretch', 'strEtch') AS BLOB)")
    else:
        monkeypatch.setattr(cache_module, "code_fingerprint", lambda: "another version")
    store = Cache(settings.cache)
    assert _files(settings, store) == alone
    assert store.hits == 0
    store.close()
    store = Cache(settings.cache)  # and what it made is good for the next build
    assert _files(settings, store) == alone and store.misses == 0


def test_files_kept_beside_a_value_come_back_as_they_went_in_or_not_at_all(tmp_path):
    store = Cache(tmp_path)
    page = "<p>\u2018quoted\u2019 \"and\"\nlines</p>".encode() + bytes(range(256))
    keys = [store.key("test", str(n)) for n in range(1200)]  # more than one query's worth
    for n, key in enumerate(keys[:1000]):
        store.put(key, {"n": n}, {"page": page, "empty": b"", "n": str(n).encode()})
    store.save()
    store.close()
    store = Cache(tmp_path)
    asked = [keys[1100], keys[3], keys[999], keys[3]]  # in any order, one twice, one never put
    assert store.get_many(asked, with_files=True) == [
        None, *[({"n": n}, {"page": page, "empty": b"", "n": str(n).encode()})
                for n in (3, 999, 3)]]
    assert store.get(keys[7]) == {"n": 7}  # the value alone
    assert len([found for found in store.get_many(keys) if found]) == 1000
    store.close()
    with sqlite3.connect(tmp_path / cache_module.FILE_NAME) as db:  # a byte of a file changed
        db.execute("UPDATE item SET files = CAST(replace(CAST(files AS TEXT), 'lines', "
                   "'limes') AS BLOB) WHERE key = ?", (keys[5],))
    store = Cache(tmp_path)
    assert store.get_files(keys[5]) is None and store.get_files(keys[6]) is not None
    assert store.get(keys[5]) == {"n": 5}, "the value is whole: it is read without the files"
    store.close()


def test_the_cache_stays_within_its_bound(tmp_path):
    store = Cache(tmp_path, max_bytes=10_000)
    for n in range(50):
        store.put(store.key("test", n), "x" * 1000)
    store.save()
    with sqlite3.connect(tmp_path / cache_module.FILE_NAME) as db:
        total, count = db.execute("SELECT sum(length(value) + length(files)), count(*) "
                                  "FROM item").fetchone()
    # down to four fifths of the bound, so that the next builds needn't prune again
    assert total <= 10_000 * cache_module.PRUNE_TO and 0 < count < 50


def test_a_long_lived_cache_such_as_the_previews_stays_within_its_bound(tmp_path):
    store = Cache(tmp_path, max_bytes=16_000)
    for batch in range(10):  # ten rebuilds of one preview session, 5 KB each
        for n in range(5):
            store.put(store.key("test", batch, n), "x" * 1000)
        store.save()
        with sqlite3.connect(tmp_path / cache_module.FILE_NAME) as db:
            total = db.execute("SELECT sum(length(value) + length(files)) "
                               "FROM item").fetchone()[0]
        assert total <= 16_000
    store.close()


def test_a_long_lived_cache_adds_up_its_values_once_while_they_are_within_bound(tmp_path):
    """The database's pages hold more than its values: while the pages are past the bound
    and the values are not, a preview's saves after each rebuild don't read every entry
    (a second or so at 2 GB) to find that out again."""
    store = Cache(tmp_path, max_bytes=12_000)
    scans = []
    store._db.set_trace_callback(lambda sql: scans.append(sql) if "sum(" in sql else None)
    for batch in range(4):  # rebuilds of one preview session, 2 KB each
        for n in range(2):
            store.put(store.key("test", batch, n), "x" * 1000)
        store.save()
    pages, size = (store._db.execute(f"PRAGMA {name}").fetchone()[0]
                   for name in ("page_count", "page_size"))
    assert pages * size > 12_000 and len(scans) == 1
    store.close()


def test_pruning_keeps_what_was_read_lately_and_drops_what_was_not(tmp_path):
    store = Cache(tmp_path, max_bytes=3_000)  # two entries fit, even after a prune
    old, read, new = (store.key("test", name) for name in ("old", "read", "new"))
    store.put(old, "x" * 1000)
    store.put(read, "y" * 1000)
    store.save()
    store.close()
    with sqlite3.connect(tmp_path / cache_module.FILE_NAME) as db:  # used a day and two ago
        db.execute("UPDATE item SET used = used - 86400 * (CASE key WHEN ? THEN 2 ELSE 1 END)",
                   (read,))
    store = Cache(tmp_path, max_bytes=3_000)
    assert store.get(read) == "y" * 1000
    store.put(new, "z" * 1000)  # now over the bound
    store.save()
    assert store.get(old) is None
    assert store.get(read) == "y" * 1000 and store.get(new) == "z" * 1000
    store.close()


def test_two_builds_sharing_a_cache_both_succeed_and_leave_it_whole(make_site, tmp_path):
    site = make_site()
    command = [sys.executable, str(ROOT / "build.py"), "build", "--templates", str(TEMPLATES),
               "--cache-dir", str(tmp_path / "shared"), "--no-search"]
    for edit in ("", "\nEdited.\n", "\nEdited again.\n"):  # the later ones find a kept site
        site.write("content/pages/safety.md", "---\ntitle: Safety\n---\nStop if it hurts.\n"
                   + edit)
        builds = [subprocess.Popen([*command, "--out", f"out{n}"], cwd=site.root,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                  for n in (1, 2)]
        for process in builds:
            _out, err = process.communicate(timeout=120)
            assert process.returncode == 0, err
        assert tree_digest(site.root / "out1") == tree_digest(site.root / "out2")
        assert edit.strip() in (site.root / "out1/safety/index.html").read_text()
    with sqlite3.connect(tmp_path / "shared" / cache_module.FILE_NAME) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_the_command_lines_build_reads_its_pages_back_from_the_cache_as_it_writes(
        make_site, run, monkeypatch):
    """It lets go of each page once the cache has it, and of each page found there it reads
    only what is known of it, not its bytes; the site it writes is the one held in memory."""
    site = make_site()
    monkeypatch.setattr(search, "PART_PAGES", 3)  # the search index in parts, read by part
    held = build(Settings(content=site.root / "content", templates=TEMPLATES),
                 write=False).files
    assert f"{search.FOLDER}/part-1/pagefind-entry.json" in held
    kept: list[RenderedPage] = []
    real_pages = render.Renderer.pages
    monkeypatch.setattr(render.Renderer, "pages", lambda *args, **kwargs: (
        found := real_pages(*args, **kwargs), kept.extend(found[0]))[0])
    drawn: list[Drawings] = []
    real_draw = pipeline.draw
    monkeypatch.setattr(pipeline, "draw", lambda *args: drawn.append(real_draw(*args))
                        or drawn[-1])
    for _ in range(2):  # rendered and drawn, then found in the cache
        kept.clear()
        monkeypatch.setattr(search, "_MADE", OrderedDict())  # parts: from the pages, or cache
        assert run("build").code == 0
        assert kept and all(page.data is None for page in kept)
        assert drawn[-1].kept and not set(drawn[-1].kept) & set(drawn[-1].files)
        assert all(path.startswith("figures/map-") for path in drawn[-1].files), \
            "the stretches' drawings are kept in the cache, not held"
        assert tree_digest(site.out) == {path: hashlib.sha256(data).hexdigest()
                                         for path, data in held.items()}
        # a site changed since is built again, not found up to date
        site.out.joinpath("stretches/figure-four/index.html").write_text("changed since")


def test_a_page_the_cache_lost_while_the_site_was_built_is_an_error_not_a_hole(make_site, run,
                                                                                monkeypatch):
    """Another build sharing the cache may prune it: a page that can't be read back stops
    the build, with what to do, and leaves the site as it was."""
    site = make_site()
    assert run("build", "--no-search").code == 0
    before = tree_digest(site.out)
    body = site.root / "content/stretches/figure-four.md"
    body.write_text(body.read_text() + "\nBreathe out as you lean in.\n")
    real_check = pipeline.check

    def pruned_first(*args, **kwargs):
        with sqlite3.connect(site.root / ".limber-cache" / cache_module.FILE_NAME) as db:
            db.execute("DELETE FROM item")
        return real_check(*args, **kwargs)
    monkeypatch.setattr(pipeline, "check", pruned_first)
    result = run("build", "--no-search")
    assert result.code == 1 and "Traceback" not in result.err
    assert "the build cache lost " in result.err and "build again" in result.err
    assert tree_digest(site.out) == before


def test_cache_folder_and_no_cache(make_site, run):
    site = make_site()
    assert run("build").code == 0
    assert (site.root / ".limber-cache" / cache_module.FILE_NAME).is_file()
    assert run("build", "--cache-dir", "elsewhere").code == 0
    assert (site.root / "elsewhere" / cache_module.FILE_NAME).is_file()
    before = tree_digest(site.out)
    (site.root / "elsewhere").rename(site.root / "kept")
    assert run("build", "--no-cache", "--cache-dir", "elsewhere").code == 0  # last one wins
    run("build", "--cache-dir", "x", "--no-cache")
    assert not (site.root / "x").exists()
    assert tree_digest(site.out) == before


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_progress_line_appears_after_a_second_and_is_wiped_at_the_end():
    stream, clock = io.StringIO(), _Clock()
    progress = Progress(stream, clock=clock)
    progress("pages", 10, 1000)
    clock.now += 0.5
    progress("pages", 20, 1000)
    assert stream.getvalue() == ""  # a quick build says nothing while it works
    clock.now += 0.6
    progress("pages", 300, 1000)
    assert stream.getvalue().endswith("pages 300 of 1000")
    clock.now += 0.01
    progress("pages", 310, 1000)  # redrawn at most ten times a second...
    assert "310" not in stream.getvalue()
    progress("pages", 1000, 1000)  # ...but always at the end of a stage
    assert stream.getvalue().endswith("pages 1000 of 1000")
    progress.clear()
    assert stream.getvalue().endswith("\r\x1b[K")


def test_every_long_stage_of_a_build_counts_what_it_has_done(make_site):
    site = make_site()
    told: list[tuple[str, int, int]] = []
    build(Settings(content=site.root / "content", templates=TEMPLATES,
                   progress=lambda *said: told.append(said)), write=False)
    stages = list(dict.fromkeys(what for what, _done, _total in told))
    assert stages == ["front-matter", "poses checked", "Markdown", "drawings", "pages",
                      "search index parts"]
    for stage in stages:  # each counts up to its total and ends there
        counts = [(done, total) for what, done, total in told if what == stage]
        assert counts[-1][0] == counts[-1][1] > 0, stage
        assert [done for done, _ in counts] == sorted(done for done, _ in counts), stage


def test_a_build_into_a_pipe_prints_only_its_summary(make_site):
    site = make_site()
    done = subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--templates",
                           str(TEMPLATES), "--no-search"], cwd=site.root, capture_output=True,
                          text=True, check=True)
    assert done.stderr == ""
    assert done.stdout.startswith("Built ") and done.stdout.count("\n") == 1


def test_a_document_over_its_time_budget_in_a_worker_is_named_and_others_go_on(make_site, run,
                                                                              monkeypatch):
    from tests.test_hostile_input import BOUNDED

    files, args, expected = BOUNDED["a flood of brackets"]
    make_site(files)
    monkeypatch.setattr(parallel, "MIN_ITEMS", 1)  # on workers, as a big library would be
    result = run("check", "--no-search", "--jobs", "2", *args)
    assert result.code == 1
    assert result.err.splitlines()[0] == expected


def test_two_files_at_one_path_are_an_error_and_nothing_is_written(tmp_path, monkeypatch):
    from site_src import urls

    shown = urls.static
    monkeypatch.setattr(urls, "static", lambda name: "index.html" if name == "style.css"
                        else shown(name))
    out = tmp_path / "_site"
    with pytest.raises(pipeline.BuildFailed) as failed:
        build(replace(REAL, out=out))
    assert [str(problem) for problem in failed.value.problems] == [
        "templates/static/style.css: writes 'index.html', which templates/home.html writes too"]
    assert not out.exists()


def test_a_rebuild_reads_again_only_the_files_that_changed(tmp_path, monkeypatch):
    from site_src import validate

    content = tmp_path / "content"
    subprocess.run(["cp", "-r", str(ROOT / "content"), str(content)], check=True)
    settings = replace(REAL, content=content)
    first = build(settings, write=False)
    parsed: list[str] = []
    real_parse = validate.parse
    monkeypatch.setattr(validate, "parse", lambda text: parsed.append(text) or real_parse(text))
    stretch = content / "stretches/cat-cow.md"
    stretch.write_text(stretch.read_text().replace("\n1. ", "\nBreathe easily.\n\n1. ", 1))
    again = build(settings, write=False, previous=first)
    assert len(parsed) == 1 and "Breathe easily." in parsed[0]
    assert "Breathe easily." in again.files["stretches/cat-cow/index.html"].decode()
    stretch.write_text(stretch.read_text().replace("Breathe easily.", "Breathe out."))
    assert build(settings, write=False, previous=again).files == \
        build(settings, write=False).files  # the same as a build from nothing


def _written(folder) -> dict[str, tuple[int, int]]:
    """Each file of a site -> (inode, modification time): what writing it would change."""
    return {path.relative_to(folder).as_posix(): (path.stat().st_ino, path.stat().st_mtime_ns)
            for path in folder.rglob("*") if path.is_file()}


def test_a_build_with_nothing_changed_writes_nothing_and_any_change_builds_again(make_site,
                                                                                 run):
    site = make_site()
    shutil.copytree(TEMPLATES, site.root / "templates")  # this site's own, to edit
    assert run("build", "--no-search").out.startswith("Built ")
    before = _written(site.out)
    again = run("build", "--no-search")
    assert again.code == 0 and again.err == ""
    assert again.out.startswith("_site is up to date: nothing it is built from has changed")
    assert _written(site.out) == before  # not a file touched

    stretch = "content/stretches/figure-four.md"
    changes = {  # what changed -> what the site says afterwards, and where
        "a stretch": (lambda: site.write(stretch, (site.root / stretch).read_text()
                                         .replace("Lie on your back.", "Lie on a firm bed.")),
                      "stretches/figure-four/index.html", "Lie on a firm bed."),
        "a template": (lambda: site.write("templates/base.html", (
            site.root / "templates/base.html").read_text().replace("</footer>",
                                                                   "<p>Printed</p></footer>")),
                       "index.html", "<p>Printed</p>"),
        "a style sheet": (lambda: site.write("templates/static/style.css", (
            site.root / "templates/static/style.css").read_text() + "\n/* edited */\n"),
                          "static/style.css", "/* edited */"),
        "a page of the site, by hand": (lambda: (site.out / "index.html").write_text("gone"),
                                        "index.html", "<!doctype html>"),
        "a file of the site deleted": (lambda: (site.out / "index.html").unlink(),
                                       "index.html", "<!doctype html>"),
    }
    for what, (change, path, expected) in changes.items():
        change()
        result = run("build", "--no-search")
        assert result.out.startswith("Built "), what
        assert expected in (site.out / path).read_text(), what
        assert run("build", "--no-search").out.startswith("_site is up to date"), what
    assert run("build", "--no-search", "--base-url", "https://example.org/x/").out.startswith(
        "Built ")  # a setting that shapes the site
    assert run("build", "--no-search", "--no-cache").out.startswith("Built ")
