"""The author's preview: build, serve under the production base path, rebuild on save.

A watcher thread notices saves in content/ and templates/, waits for a burst
of saves to settle, rebuilds through the same pipeline (reusing every page
whose inputs did not change) and tells open browsers to reload through
livereload. The search index, which Pagefind makes from every page, follows
on a thread of its own a moment after the pages. A failed rebuild keeps the
last good site on the server and shows the problems in an overlay on every
page until the next good rebuild.
"""

from __future__ import annotations

import gc
import html
import logging
import mimetypes
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit

from markupsafe import escape

from . import search, urls
from .cache import Cache
from .errors import BuildFailed, Problem, SiteError, shown
from .frontmatter import ParseError, parse_yaml
from .load import CONFIG_NAME, display_path
from .pipeline import BuildReport, Settings, build
from .views import CONTENT_SECURITY_POLICY
from .write import update_site

STEP_MS = 10  # how often the watcher looks at what the system told it
QUIET_MS = 100  # a burst of saves ends when nothing changed for this long
BURST_MS = 1000  # ... or when it has gone on this long
TIDY_S = 1.0  # the preview collects its garbage once it has been idle this long

OVERLAY = """<div id="limber-problems" role="alert" style="position:fixed;inset:auto 0 0 0;
max-height:60vh;overflow:auto;z-index:2147483647;margin:0;padding:1rem 1.25rem;
background:#fff4e5;color:#1b1b1b;border-top:6px solid #b35900;
font:15px/1.5 system-ui,sans-serif;box-shadow:0 -4px 16px rgba(0,0,0,.25)">
<strong>The last change did not build.</strong>
This page is the last good version; fix the problems below and save again.
<pre style="white-space:pre-wrap;font:14px/1.5 ui-monospace,monospace;margin:.5rem 0 0">
{problems}</pre>
</div>"""


def base_path_of(content: Path, base_url: str | None) -> str:
    """The path part of the production base URL: '/limber/' or '/'."""
    url = base_url
    if url is None:
        try:
            data, _ = parse_yaml((content / CONFIG_NAME).read_text(encoding="utf-8-sig"))
            url = data.get("base_url") if isinstance(data, dict) else None
        except (OSError, ParseError):
            url = None
    try:
        return urls.Base(urls.normalize_base_url(str(url))).path if url else "/"
    except ValueError:
        return "/"


class Preview:
    """The last good build, the problems of the last attempt, and the files it serves."""

    def __init__(self, settings: Settings, out: Path, base_path: str,
                 hosts: frozenset[str] = frozenset()):
        self.settings = settings
        self.out = out
        self.base_path = base_path
        self.hosts = hosts  # the Host headers it answers to ('127.0.0.1:8000'); empty: any
        # livereload's script is inline and talks over a WebSocket: the preview's pages let it,
        # the published ones keep the policy as built.
        preview = CONTENT_SECURITY_POLICY.replace(
            "script-src 'self'", "script-src 'self' 'unsafe-inline'") + "; connect-src 'self' " + \
            " ".join(f"ws://{host}" for host in sorted(hosts))
        self.policy = (str(escape(CONTENT_SECURITY_POLICY)).encode(), str(escape(preview)).encode())
        self.report: BuildReport | None = None
        self.unindexed: BuildReport | None = None  # served with the search index before it
        self.problems: list[Problem] = []
        # The paths saved since the last good build, as the watcher told them; None: not
        # known, so every file is looked at.
        self.unbuilt: set[str] | None = None
        self._indexing = threading.Lock()  # one search index made at a time
        # Open for the whole session: the first build starts from what earlier builds made,
        # and every rebuild finds in memory what the last one made.
        self.cache = Cache(settings.cache)

    def rebuild(self, changed: Iterable[str] | None = None) -> str:
        """Build again, after the files at the paths `changed` were saved, or after anything
        (None); return the one line to print about it."""
        if changed is None:
            self.unbuilt = None
        elif self.unbuilt is not None:  # saved since the last good build, these too
            self.unbuilt.update(changed)
        names = sorted({display_path(Path(path)) for path in changed or ()})
        what = (", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3
                                        else "") + " changed") if names else "first build"
        started = time.perf_counter()
        try:
            report = build(self.settings, write=False, previous=self.report, cache=self.cache,
                           index=False, changed=self.unbuilt)
            written = update_site(self.out, report.files,
                                  self.report.files if self.report else {})
        except BuildFailed as failed:
            self.problems = failed.problems
            lines = "\n".join(f"  {problem}" for problem in shown(failed.problems))
            return f"{what}: {len(failed.problems)} problem(s); still serving the last good " \
                   f"site\n{lines}"
        except SiteError as exc:
            self.problems = [Problem("build", 0, "", str(exc))]
            return f"{what}: {exc}"
        self.unindexed = report if self.settings.search and self.report else None
        self.report, self.problems, self.unbuilt = report, [], set()
        ms = (time.perf_counter() - started) * 1000
        return f"{what}: {report.rerendered} pages rendered, {written} files written in " \
               f"{ms:.0f} ms"

    def search_index(self) -> tuple[BuildReport, dict[str, bytes] | str] | None:
        """The search index of the pages last served, when their rebuild left it for later,
        or what went wrong making it; None when there is nothing to do. Pagefind reads every
        page, so serve() runs this on a thread of its own once the pages are served."""
        report = self.unindexed
        if report is None:
            return None
        with self._indexing:
            try:
                return report, search.index(report.files, known={  # the cache stays on
                    page.path: page.known for page in report.rendered.values()})  # its thread
            except SiteError as exc:
                return report, str(exc)

    def take_search_index(self, report: BuildReport, made: dict[str, bytes] | str) -> str:
        """Serve the index made for `report`'s pages, unless a later rebuild came since
        (it makes its own). Returns the line to print."""
        if report is not self.report:
            return "search index: left for the newer rebuild"
        self.unindexed = None
        if isinstance(made, str):
            return f"search index: {made}"
        stale = search.bundle(report.files)
        files = dict(sorted({**{path: data for path, data in report.files.items()
                                if path not in stale}, **made}.items()))
        written = update_site(self.out, files, report.files)
        self.report = replace(report, files=files)
        return f"search index: {written} files written"

    # The WSGI application livereload serves.
    def __call__(self, environ: dict, start_response: Callable) -> list[bytes]:
        if self.hosts and environ.get("HTTP_HOST", "").lower() not in self.hosts:
            # A page elsewhere whose name now points here (DNS rebinding) gets nothing.
            start_response("403 Forbidden", [("Content-Type", "text/plain; charset=utf-8")])
            return [b"This preview answers only to its own address.\n"]
        path = environ.get("PATH_INFO", "/")
        if path == "/" and self.base_path != "/":
            return self._redirect(start_response, self.base_path)
        target = self._file_for(path)
        if target is not None and target.is_dir():
            if not path.endswith("/"):
                return self._redirect(start_response, path + "/")
            target = target / "index.html"
            target = target if target.is_file() else None
        if target is None or not target.is_file():
            return self._send(start_response, "404 Not Found", self.out / urls.NOT_FOUND)
        return self._send(start_response, "200 OK", target)

    def _file_for(self, path: str) -> Path | None:
        """The file a request path names, only if it lies inside the built site."""
        if not path.startswith(self.base_path):
            return None
        route = path[len(self.base_path):]
        parts = route.split("/")
        if any(part in (".", "..") or "\\" in part or "\0" in part for part in parts):
            return None
        root = self.out.resolve()
        target = (self.out / route).resolve()
        if target != root and root not in target.parents:
            return None  # a symlink leading out of the site
        return target

    def _send(self, start_response: Callable, status: str, file: Path) -> list[bytes]:
        try:
            body = file.read_bytes()
        except OSError:  # no good build yet: a bare page to carry the problems
            body = b"<!doctype html><title>Not built yet</title><body><h1>Not built yet</h1>" \
                   b"</body>"
            file = Path("index.html")
        kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        if kind == "text/html":
            body = body.replace(*self.policy, 1)
        if kind == "text/html" and self.problems:
            overlay = OVERLAY.format(problems=html.escape(
                "\n".join(str(problem) for problem in shown(self.problems))))
            body = body.replace(b"</body>", overlay.encode("utf-8") + b"</body>", 1)
        if kind.startswith("text/") or kind in ("application/javascript", "image/svg+xml"):
            kind += "; charset=utf-8"
        start_response(status, [("Content-Type", kind), ("Content-Length", str(len(body))),
                                ("Cache-Control", "no-store")])
        return [body]

    @staticmethod
    def _redirect(start_response: Callable, location: str) -> list[bytes]:
        start_response("301 Moved Permanently", [("Location", location),
                                                 ("Content-Length", "0")])
        return [b""]


class Collector:
    """Garbage collection kept out of the way of rebuilds: a big library is a great many
    objects, and a full collection that starts in the middle of a rebuild pauses it. So
    none runs while the author is editing; once the preview has been idle for TIDY_S,
    everything is collected at once and what is left is set aside (gc.freeze), so that
    the collections of the next rebuild's objects don't look through it again."""

    def __init__(self, later: Callable[[float, Callable[[], None]], object],
                 cancel: Callable[[object], None]) -> None:
        self.later, self.cancel = later, cancel  # the event loop's timer
        self.pending: object | None = None

    def pause(self) -> None:
        """Before a rebuild: no collection until the preview is idle again."""
        gc.disable()
        if self.pending is not None:
            self.cancel(self.pending)
            self.pending = None

    def idle_soon(self) -> None:
        """After a rebuild: tidy up once nothing else happened for TIDY_S."""
        self.pending = self.later(TIDY_S, self.tidy)

    def tidy(self) -> None:
        self.pending = None
        gc.unfreeze()
        gc.collect()
        gc.freeze()
        gc.enable()


def watch(folders: list[Path], on_change: Callable[[list[str]], None],
          stop: threading.Event, ready: threading.Event | None = None) -> None:
    """Call on_change(the changed paths, absolute) once per burst of saves, until stop is
    set; `ready` is set once it is watching. The system tells of each save (inotify,
    FSEvents...) within STEP_MS, and a burst ends when nothing more changed for QUIET_MS,
    or when it has gone on for BURST_MS."""
    import watchfiles

    burst: set[str] = set()
    began = 0.0
    # Each wait for changes gives up after QUIET_MS without any: then the burst is over.
    for changes in watchfiles.watch(*folders, step=STEP_MS, debounce=QUIET_MS,
                                    rust_timeout=QUIET_MS, yield_on_timeout=True,
                                    stop_event=stop, raise_interrupt=False):
        if ready is not None:
            ready.set()
        if changes:
            if not burst:
                began = time.monotonic()
            burst.update(path for _change, path in changes)
            if time.monotonic() - began < BURST_MS / 1000:
                continue
        if burst:
            on_change(sorted(burst))
            burst.clear()


def local_hosts(host: str, port: int) -> frozenset[str]:
    """The Host headers (and origins) of the preview: the names of this machine, and the
    host it was told to listen on."""
    names = {"127.0.0.1", "localhost", "[::1]"}
    if host not in ("0.0.0.0", "::"):
        names.add(f"[{host}]" if ":" in host else host)
    return frozenset(f"{name}:{port}".lower() for name in names)


def serve(settings: Settings, host: str, port: int) -> int:
    """Run the preview until interrupted. Returns the exit status."""
    if host in ("0.0.0.0", "::"):
        print(f"WARNING: serving on {host} makes the preview reachable from other machines "
              "on your network. Use the default 127.0.0.1 unless you mean that.",
              file=sys.stderr)
    base_path = base_path_of(settings.content, settings.base_url)
    shown_host = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    local = f"http://{shown_host}:{port}{base_path}"
    settings = replace(settings, base_url=local, pdf=False, progress=None)
    # Stopped by `kill` or by its terminal closing, it tidies up as on Ctrl+C: the site it
    # serves is as big as the published one.
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):  # not on Windows
            signal.signal(getattr(signal, name), signal.default_int_handler)
    out = Path(tempfile.mkdtemp(prefix="limber-preview-"))
    stop = threading.Event()
    preview: Preview | None = None
    try:
        hosts = local_hosts(host, port)
        preview = Preview(settings, out, base_path, hosts)
        return _run(preview, settings, host, port, local, stop)
    finally:
        stop.set()
        if preview is not None:
            preview.cache.close()
        shutil.rmtree(out, ignore_errors=True)


def _run(preview: Preview, settings: Settings, host: str, port: int, local: str,
         stop: threading.Event) -> int:
    """Build, then serve and rebuild on save until interrupted."""
    from livereload import Server
    from livereload.handlers import LiveReloadHandler
    from tornado.ioloop import IOLoop

    # The live-reload socket, too, takes only pages of the preview itself.
    LiveReloadHandler.check_origin = lambda _handler, origin: \
        urlsplit(origin).netloc.lower() in preview.hosts
    loop = IOLoop.current()
    collector = Collector(loop.call_later, loop.remove_timeout)

    def rebuild(changed: list[str]) -> None:
        collector.pause()
        print(preview.rebuild(changed), flush=True)
        collector.idle_soon()
        LiveReloadHandler.reload_waiters()
        if preview.unindexed is not None:  # the pages are served: now index them
            threading.Thread(target=index_search, daemon=True).start()

    def index_search() -> None:
        made = preview.search_index()
        if made is not None:
            loop.add_callback(lambda: print(preview.take_search_index(*made), flush=True))

    def on_change(changed: list[str]) -> None:
        # Built on the server's own (main) thread, where a document's render budget can
        # stop it; requests wait the moment it takes.
        loop.add_callback(rebuild, changed)

    # Watching before the first build, whose rebuilds tell what changed: one saved while
    # it builds is built once the server runs.
    folders = [p for p in (settings.content, settings.templates) if p.is_dir()]
    ready = threading.Event()
    watcher = threading.Thread(target=watch, args=(folders, on_change, stop, ready),
                               daemon=True)
    watcher.start()
    ready.wait(timeout=10)
    collector.pause()
    print(preview.rebuild(), flush=True)
    collector.idle_soon()

    server = Server(app=preview)
    server.watch(str(settings.content), delay="forever")  # ours debounces; keep its own quiet
    server._setup_logging = lambda: None  # our lines only
    logging.getLogger("tornado.access").setLevel(logging.ERROR)
    # Said once the loop runs, which is after the port is bound.
    loop.add_callback(lambda: print(f"Serving {local} (Ctrl+C to stop)", flush=True))
    try:
        # restart_delay="forever": no reload of open pages just because the server started
        server.serve(port=port, host=host, debug=False, restart_delay="forever")
    except OSError as exc:
        print(f"error: cannot serve on {host}:{port}: {exc.strerror or exc}; try another "
              "--port", file=sys.stderr)
        return 1
    return 0
