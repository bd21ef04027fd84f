"""The build, start to finish. Reads like its table of contents:

    load -> validate -> resolve -> draw -> render -> index -> check -> write

Only load reads the content and only write changes the site; beside them, the
build cache (cache.py) keeps what resolve, draw, render and index made, for
the next build. Every stage collects all the problems it can find; the build
stops after the first stage that found any, before anything is written. The
stages that do the same work for many files spread it over the CPUs
(parallel.py). `publish`, the command line's build, first asks whether
anything read or any option changed since the last build into the same folder,
and whether that site is as it was left; if neither, it writes nothing. It keeps
nothing for a next build, so it lets go of the library's texts once they are
validated, of the documents' Markdown once it is rendered, and of the documents
once the pages are made.
"""

from __future__ import annotations

import contextlib
import gc
import time
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from . import memory, parallel, search, urls
from .cache import Cache, Stored
from .checks import Passed, check
from .errors import BuildFailed, Problem
from .facets import filed
from .figures import Drawings, draw
from .graph import Site, resolve
from .load import Sources, load
from .markup import DEFAULT_TIMEOUT
from .models import Document
from .pdf import render_pdfs
from .render import RenderedPage, Renderer
from .validate import validate_sources
from .views import PageSpec, Views, catalog, plural, site_context
from .write import MARKER, Spare, guard, state, write_site


@dataclass(frozen=True)
class Settings:
    content: Path = Path("content")
    templates: Path = Path("templates")
    out: Path = Path("_site")
    base_url: str | None = None  # overrides site.yaml's base_url
    drafts: bool = False
    pdf: bool = False  # also write worksheets/<routine>.pdf (needs WeasyPrint)
    search: bool = True  # the search page, and its Pagefind index of the pages
    render_timeout: float = DEFAULT_TIMEOUT  # seconds one document may take to render
    cache: Path | None = None  # folder of the build cache; None keeps nothing between builds
    jobs: int = 0  # processes to render on; 0: one per CPU
    progress: Callable[[str, int, int], None] | None = None  # told (what, done, total)


@dataclass(frozen=True)
class Summary:
    """What a build made, in numbers, as the command line reports it."""

    pages: int
    stretches: int
    muscles: int
    routines: int
    undrawn: tuple[str, ...]  # stretches without a pose, so without drawings
    seconds: float
    unchanged: bool  # nothing was built: the site already was what this input makes

    @property
    def counts(self) -> str:
        """'6 stretches, 7 muscles, 1 routine'."""
        return ", ".join(plural(n, word) for n, word in ((self.stretches, "stretch"),
                                                        (self.muscles, "muscle"),
                                                        (self.routines, "routine")))


@dataclass(frozen=True)
class BuildReport(Summary):
    files: Mapping[str, bytes]  # output path -> bytes, exactly what was (or would be) written
    sources: Sources  # what was read, for the next build to reuse
    site: Site  # the resolved graph
    documents: dict[tuple[str, ...], Document]  # parsed files, for the next build to reuse
    rendered: dict[str, RenderedPage]  # route -> page, for the next incremental build
    rerendered: int  # pages new or changed since `previous` (rendered, or found in the cache)
    passed: Passed  # the pages that passed the checks, for the next build to trust
    catalog: str  # fingerprint of the settings and every document's fields (views.catalog)
    drawings: Drawings  # made from those
    filing: Mapping[str, Mapping[str, tuple[str, ...]]]  # facets.filed(site), likewise
    written: str  # write.state of the folder the site was written to; '' if not written
    collected: Stored  # `files` but for the search index and PDFs, for the next build
    specs: list[PageSpec]  # the pages, for the next build with the same catalog


@contextlib.contextmanager
def _few_collections() -> Iterator[None]:
    """A build makes millions of objects and keeps most of them to its end: the cycle
    collector, run at its usual pace, looks at them again and again (a tenth of the time
    of a build after one edit, at 10,000 stretches). Within this block it runs less often."""
    before = gc.get_threshold()
    gc.set_threshold(50_000, 20, 20)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _fail_on(problems: list[Problem]) -> None:
    if problems:
        raise BuildFailed(problems)


def _collect(site: Site, rendered: list[RenderedPage], static: dict[str, bytes],
             drawings: Drawings, cache: Cache, previous: BuildReport | None = None
             ) -> tuple[Stored, list[Problem]]:
    """All output files, the pages not held read from the cache when needed; writing one
    path twice is an error. Where `previous` wrote the same files but for some pages' bytes
    (the preview's rebuild after an edit), its files with those pages."""
    if previous is not None and previous.drawings is drawings and \
            previous.sources.static == static and previous.site.assets == site.assets and \
            previous.site.config.cname == site.config.cname and \
            len(previous.rendered) == len(rendered):
        changed = [page for page, old in zip(rendered, previous.rendered.values(), strict=True)
                   if page is not old]
        if all(page.data is not None and previous.rendered.get(page.route) is not None and
               previous.rendered[page.route].path == page.path for page in changed):
            return previous.collected.with_files(
                {page.path: page.data for page in changed},  # type: ignore[misc]
                {page.path: page.digest for page in changed if page.digest}), []
    # (path, bytes or where the cache keeps them (key, name), what writes it, fingerprint
    # if known); a big library has tens of thousands, so they are gathered in bulk
    files: list[tuple[str, bytes | tuple[str, str], str, str]] = [
        (page.path, (page.kept, "page") if page.data is None else page.data, page.template,
         page.digest) for page in rendered]
    files += [(urls.static(name), data, f"templates/static/{name}", "")
              for name, data in static.items()]
    files += [(path, data, f"content/{path}", "") for path, data in site.assets.items()]
    files += [(path, data, "the pose drawings", drawings.digests.get(path, ""))
              for path, data in [*drawings.files.items(), *drawings.kept.items()]]
    files.append((MARKER, b"", "the build", ""))
    if site.config.cname:  # GitHub Pages serves the site at this custom domain
        files.append(("CNAME", f"{site.config.cname}\n".encode("ascii"), "content/site.yaml",
                      ""))
    problems: list[Problem] = []
    if len({file[0] for file in files}) < len(files):
        origin: dict[str, str] = {}  # path -> what writes it first, and keeps it
        for file in files:
            path, _data, source, _digest = file
            if path in origin:
                problems.append(Problem(source, 0, "", f"writes '{path}', which "
                                        f"{origin[path]} writes too"))
            else:
                origin[path] = source
        files = list({file[0]: file for file in reversed(files)}.values())
    return Stored(cache, {path: data for path, data, _source, _digest in files
                          if isinstance(data, bytes)},
                  {path: data for path, data, _source, _digest in files
                   if not isinstance(data, bytes)},  # type: ignore[misc]
                  {path: digest for path, _data, _source, digest in files if digest}), problems


def build(settings: Settings, write: bool = True, previous: BuildReport | None = None,
          cache: Cache | None = None, index: bool = True,
          changed: Collection[str] | None = None) -> BuildReport:
    """Build the site; raise BuildFailed with every problem if the input is wrong.

    With `previous`, pages whose inputs did not change are reused, not rendered, and with
    index=False its search index is kept as it was (the preview serves the pages first
    and indexes them after); `changed`, if known, are the paths changed since (load).
    The cache is `settings.cache` opened for this build, unless one is given (the preview
    keeps its own open between rebuilds).
    """
    started = time.perf_counter()
    if write:
        guard(settings.out, [settings.content, settings.templates], settings.cache)
    own_cache = cache is None
    cache = Cache(settings.cache) if own_cache else cache
    try:
        with cache.active(), _few_collections():
            report = _build(settings, write, previous, cache, started,
                            [load(settings.content, settings.templates,
                                  previous.sources if previous else None, changed)], index,
                            hold=True)
    finally:
        if own_cache:
            cache.close()
    return report


def publish(settings: Settings) -> Summary:
    """Build into settings.out, unless the site there is what the same input built last
    time: then nothing is written and that build's summary is given again.

    Like make, but every input is compared by its bytes, as Hugo does, together with every
    setting that shapes the site and Limber's own code (the cache key); the site is compared
    by the size, time and inode of each file, so a site changed since is built again.
    """
    started = time.perf_counter()
    memory.lean()
    guard(settings.out, [settings.content, settings.templates], settings.cache)
    cache = Cache(settings.cache)
    try:
        sources = load(settings.content, settings.templates)
        stamp = None if sources.problems else cache.key(
            "site", sources.digest(), str(settings.out.absolute()), settings.base_url,
            settings.drafts, settings.pdf, settings.render_timeout,
            str(search.binary()) if settings.search else None)  # the program indexes too
        last = cache.get(stamp) if stamp else None
        if last is not None and last["site"] == state(settings.out):
            return Summary(**{**last["summary"], "undrawn": tuple(last["summary"]["undrawn"])},
                           seconds=time.perf_counter() - started, unchanged=True)
        with cache.active(), _few_collections():
            # Its pages are read from the cache as they are written, and it lets go of the
            # library as soon as nothing reads it: it returns only the summary, and a big
            # library's pages are hundreds of megabytes, its texts and documents a hundred.
            given = [sources]  # so that the build holds the only reference to them
            del sources
            report = _build(settings, True, None, cache, started, given, True, hold=False)
        if stamp:
            cache.put(stamp, {"site": report.written, "summary": {
                "pages": report.pages, "stretches": report.stretches, "muscles": report.muscles,
                "routines": report.routines, "undrawn": report.undrawn}})
            cache.save()
        return report
    finally:
        cache.close()


def _build(settings: Settings, write: bool, previous: BuildReport | None, cache: Cache,
           started: float, given: list[Sources], index: bool, hold: bool) -> BuildReport:
    """The build of the sources `given` (which it takes out of the list). With hold False,
    for a command-line build, it lets go of what no later stage reads, and the report has
    neither the library's texts nor its documents; its pages and files are read from the
    cache, and can't be once it is closed."""
    sources = given.pop()
    jobs = settings.jobs or parallel.cpus()
    validated = validate_sources(sources, previous.documents if previous else None, jobs,
                                 settings.progress)
    if not hold:  # the texts: the documents hold what later stages read of them
        sources = sources.lean()
        memory.hand_back()
    site, problems = resolve(validated, settings.base_url, settings.drafts, cache,
                             settings.render_timeout, jobs, settings.progress,
                             previous.site if previous else None)
    _fail_on(validated.problems + problems)
    assert site is not None
    documents = validated.clean if hold else {}
    del validated  # its documents are the site's, which are all a later stage reads
    if not hold:  # the documents' Markdown and their front-matter as written
        site = site.lean()
        memory.hand_back()
    counts = {"stretches": len(site.stretches), "muscles": len(site.muscles),
              "routines": len(site.routines)}

    known = catalog(site, settings.pdf, settings.search)
    # The drawings and the facets' filing are made from the documents' fields and the base
    # URL, all in the catalog.
    same = previous is not None and previous.catalog == known
    drawings = previous.drawings if same else draw(site, cache, jobs, settings.progress,
                                                   previous.drawings if previous else None,
                                                   hold)
    filing = previous.filing if same else filed(site)
    renderer = Renderer(sources.templates, site_context(site, sources.static, settings.search))
    before = previous.rendered if previous else {}
    views = Views(site, drawings, filing, known, pdf=settings.pdf, search=settings.search)
    # With the same catalog, the same pages: those showing a document that changed are new.
    specs = views.specs(previous.specs, previous.site) if same and previous else views.specs()
    rendered, problems = renderer.pages(specs, views.context, before, cache, jobs,
                                        settings.progress, hold)
    del views  # and what it made for the pages
    _fail_on(problems)
    if not hold:  # the pages, and the contexts they were made from, were let go of; the
        # documents too, now: what follows reads the site's settings, address, disclaimer,
        # pictures and routines (for their printed sheets), and the pages
        specs = []
        site = replace(site, stretches={}, muscles={}, pages={}, partials={}, primary={},
                       secondary={})
        filing = {}
        memory.hand_back()
    fresh = [page for page in rendered
             if page.route not in before or before[page.route].key != page.key]

    files, problems = _collect(site, rendered, sources.static, drawings, cache, previous)
    collected = files
    if settings.pdf:  # the printed form of each worksheet, from the page just rendered
        files = files.with_files(render_pdfs({urls.worksheet_pdf(slug): urls.worksheet(slug)
                                              for slug in site.routines}, files, site.base))
    if settings.search:  # the index of the pages just rendered, before links are checked
        if index or previous is None:
            bundle = search.index(files, cache=cache, beside=settings.out if write else None,
                                  progress=settings.progress,
                                  known={page.path: page.known for page in rendered})
        else:
            bundle = search.bundle(previous.files)
        files = files.with_files(bundle)
    # The pages that passed last time, as the preview remembers them or the cache does.
    passed_key = cache.key("checks passed")
    before_passed = previous.passed if previous else Passed.of(cache.get(passed_key))
    found, passed = check(renderer, site.disclaimer_html, rendered, site.base, files,
                          before_passed)
    _fail_on(problems + found)
    if previous is None and passed != before_passed:  # the preview keeps it in memory
        cache.put(passed_key, passed.plain())

    written = ""
    if write:
        # With a cache, the site this one replaces is kept in it, to be brought up to date
        # next time: what each build wrote is remembered by the state it left the folder in.
        spare = Spare(settings.cache / "site", lambda site: cache.get(
            cache.key("site-files", site))) if settings.cache else None
        digests, written = write_site(settings.out, files, protected=[settings.content,
                                                                      settings.templates],
                                      spare=spare, known=files.known)
        if spare:
            cache.put(cache.key("site-files", written), digests)
    cache.save()
    return BuildReport(
        files=files,
        sources=sources,
        site=site,
        documents=documents,
        rendered={page.route: page for page in rendered},
        rerendered=len(fresh),
        passed=passed,
        catalog=known,
        drawings=drawings,
        filing=filing,
        written=written,
        collected=collected,
        specs=specs,
        undrawn=drawings.missing,
        pages=sum(path.endswith(".html") for path in files),
        **counts,
        seconds=time.perf_counter() - started,
        unchanged=False,
    )
