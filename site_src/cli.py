"""The command line: parse arguments, run the pipeline, turn problems into messages."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from .errors import BuildFailed, Problem, SiteError, shown
from .markup import DEFAULT_TIMEOUT
from .models import POSITIONS
from .pipeline import Settings, build, publish
from .views import plural

COMMANDS = ("build", "check", "serve", "new", "schema")


def _add_source_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--content", type=Path, default=Path("content"), metavar="DIR",
                        help="folder with site.yaml, stretches/, muscles/, routines/, pages/ "
                             "(default: content)")
    parser.add_argument("--templates", type=Path, default=Path("templates"), metavar="DIR",
                        help="folder with the Jinja templates and static/ (default: templates)")
    parser.add_argument("--base-url", metavar="URL",
                        help="address the site is published at, overriding site.yaml's "
                             "base_url, e.g. https://someone.github.io/limber/ or "
                             "https://stretch.example.org/")
    parser.add_argument("--drafts", action="store_true",
                        help="include stretches marked 'draft: true'")
    parser.add_argument("--render-timeout", type=float, default=DEFAULT_TIMEOUT,
                        metavar="SECONDS",
                        help="the longest one file may take to turn into a page before it is "
                             f"reported as too hard (default: {DEFAULT_TIMEOUT:g})")
    parser.add_argument("--cache-dir", type=Path, default=Path(".limber-cache"), metavar="DIR",
                        help="keep rendered Markdown, drawings, pages and the search index "
                             "here between builds, so the next build does only what changed "
                             "(default: .limber-cache)")
    parser.add_argument("--no-cache", dest="cache_dir", action="store_const", const=None,
                        help="build everything afresh, reading and writing no cache")
    parser.add_argument("--jobs", type=int, default=0, metavar="N",
                        help="processes to render on (default: one per CPU)")
    parser.add_argument("--no-search", dest="search", action="store_false",
                        help="leave out the search page and its index (made by Pagefind, "
                             "which the install brings)")


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="build.py",
        description="Build the Limber stretch guide: a page per stretch, an index per\n"
                    "muscle, routine pages and printable worksheets, every page carrying\n"
                    "the medical disclaimer. With no command, builds the site into _site/.",
        epilog="examples:\n"
               "  python build.py                       build content/ into _site/\n"
               "  python build.py build --base-url https://stretch.example.org/\n"
               "  python build.py serve                 preview with live reload\n"
               "  python build.py new stretch \"Standing Calf Stretch\"\n"
               "  python build.py check                 list every problem, write nothing\n"
               "  python build.py build --help          every build option",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = root.add_subparsers(dest="command", metavar="COMMAND")

    build_cmd = commands.add_parser(
        "build", help="build the site (the default)",
        description="Validate all content, render every page and swap the new site into the "
                    "output folder. If anything is wrong, every problem is listed, the exit "
                    "status is 1 and the previous site is left as it was.")
    _add_source_options(build_cmd)
    build_cmd.add_argument("--out", type=Path, default=Path("_site"), metavar="DIR",
                           help="output folder (default: _site)")
    build_cmd.add_argument("--pdf", action="store_true",
                           help="also write worksheets/<routine>.pdf for every routine; needs "
                                "the PDF extra: python -m pip install -e '.[pdf]'")

    check_cmd = commands.add_parser(
        "check", help="validate content, templates and links without writing anything",
        description="Do everything a build does except writing: exit status 0 when clean, "
                    "1 with every problem listed.")
    _add_source_options(check_cmd)
    check_cmd.add_argument("--format", choices=("text", "github"), default="text",
                           help="'github' prints GitHub Actions annotations "
                                "(::error file=...,line=...::) for pull requests")

    serve_cmd = commands.add_parser(
        "serve", help="preview the site with live reload while you edit",
        description="Build the site, serve it under the same base path as production, and "
                    "rebuild and reload the browser whenever content or templates change. "
                    "A change that does not build shows its problems on the page and keeps "
                    "the last good site.")
    _add_source_options(serve_cmd)
    serve_cmd.add_argument("--host", default="127.0.0.1",
                           help="address to listen on (default: 127.0.0.1, this machine only)")
    serve_cmd.add_argument("--port", type=int, default=8000, help="port (default: 8000)")

    new_cmd = commands.add_parser(
        "new", help="start a new stretch, routine or muscle from a commented template",
        description="Write a new content file with every field present and explained, so "
                    "you only fill in blanks. Never overwrites a file.")
    new_cmd.add_argument("kind", choices=("stretch", "routine", "muscle"))
    new_cmd.add_argument("title", help="its name, e.g. \"Seated Piriformis Stretch\"")
    new_cmd.add_argument("--position", choices=POSITIONS,
                         help="for a stretch: its position, which also picks the base posture "
                              "of its drawing")
    new_cmd.add_argument("--content", type=Path, default=Path("content"), metavar="DIR",
                         help="content folder (default: content)")

    schema_cmd = commands.add_parser(
        "schema", help="write JSON Schemas of the front-matter, for editors",
        description="Write JSON Schema files for site.yaml and the front-matter of stretches, "
                    "routines, muscles and pages, made from the same models that validate "
                    "them, so an editor can complete fields and underline mistakes.")
    schema_cmd.add_argument("--out", type=Path, default=Path(".schema"), metavar="DIR",
                            help="folder for the schema files (default: .schema)")
    return root


def _settings(args: argparse.Namespace) -> Settings:
    return Settings(
        content=args.content,
        templates=args.templates,
        out=getattr(args, "out", Path("_site")),
        base_url=args.base_url,
        drafts=args.drafts,
        pdf=getattr(args, "pdf", False),
        search=args.search,
        render_timeout=args.render_timeout,
        cache=args.cache_dir,
        jobs=max(0, args.jobs),
        progress=Progress(sys.stderr) if sys.stderr.isatty() else None,
    )


class Progress:
    """One line on a terminal that counts what a long build has done ('pages 5120 of 10233'),
    shown once the build has taken `after` seconds, redrawn at most every `every` seconds,
    and wiped when the build ends."""

    def __init__(self, stream: TextIO, after: float = 1.0, every: float = 0.1,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.stream, self.after, self.every, self.clock = stream, after, every, clock
        self.started = clock()
        self.drawn = 0.0
        self.shown = False

    def __call__(self, what: str, done: int, total: int) -> None:
        now = self.clock()
        if now - self.started < self.after or (now - self.drawn < self.every and done < total):
            return
        self.stream.write(f"\r\x1b[K{what} {done} of {total}")
        self.stream.flush()
        self.drawn, self.shown = now, True

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = False


def _report(problems: list[Problem], style: str) -> None:
    for problem in shown(problems):
        if style == "github":
            where = f"file={problem.path}" + (f",line={problem.line}" if problem.line else "")
            title = f",title={problem.field}" if problem.field else ""
            message = problem.message.replace("%", "%25").replace("\n", "%0A")
            print(f"::error {where}{title}::{message}")
        else:
            print(problem, file=sys.stderr)
    print(f"{len(problems)} problem(s) found; nothing was written.", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in (*COMMANDS, "-h", "--help"):
        argv = ["build", *argv]  # building is the default command
    args = parser().parse_args(argv)
    try:
        if args.command == "serve":
            from .serve import serve

            return serve(_settings(args), args.host, args.port)
        if args.command == "new":
            from .scaffold import new

            print(new(args.kind, args.title, args.content, args.position))
            return 0
        if args.command == "schema":
            from .scaffold import write_schemas

            for path in write_schemas(args.out):
                print(f"wrote {path}")
            return 0
        settings = _settings(args)
        try:
            report = publish(settings) if args.command == "build" else build(settings,
                                                                              write=False)
        finally:
            if isinstance(settings.progress, Progress):
                settings.progress.clear()
    except BuildFailed as failed:
        _report(failed.problems, getattr(args, "format", "text"))
        return 1
    except SiteError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:  # Ctrl+C (and the preview's other signals to stop)
        print("interrupted", file=sys.stderr)
        return 130
    if args.command == "check":
        print(f"No problems: {report.pages} pages ({report.counts})")
        if report.undrawn:
            print(f"No drawing yet for {plural(len(report.undrawn), 'stretch')}: "
                  f"{', '.join(report.undrawn)}. Add a 'pose' to draw it "
                  "(AUTHORING.md, 'Draw the stretch').")
    elif report.unchanged:
        print(f"{settings.out} is up to date: nothing it is built from has changed since it "
              f"was built ({report.pages} pages; {report.counts}; checked in "
              f"{report.seconds:.2f} s)")
    else:
        pdfs = "with worksheet PDFs" if settings.pdf else "add --pdf for worksheet PDFs"
        print(f"Built {report.pages} pages into {settings.out} in {report.seconds:.2f} s "
              f"({report.counts}; {pdfs})")
    return 0
