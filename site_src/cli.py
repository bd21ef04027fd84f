"""The command line: parse arguments, run the pipeline, turn problems into messages."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .errors import BuildFailed, SiteError
from .pipeline import Settings, build


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


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="build.py",
        description="Build the Limber stretch guide: a page per stretch, an index per\n"
                    "muscle, routine pages and printable worksheets, every page carrying\n"
                    "the medical disclaimer. With no command, builds the site into _site/.",
        epilog="examples:\n"
               "  python build.py                       build content/ into _site/\n"
               "  python build.py build --base-url https://stretch.example.org/\n"
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
    return root


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in ("build", "check", "-h", "--help"):
        argv = ["build", *argv]  # building is the default command
    args = parser().parse_args(argv)
    settings = Settings(
        content=args.content,
        templates=args.templates,
        out=getattr(args, "out", Path("_site")),
        base_url=args.base_url,
        drafts=args.drafts,
        pdf=getattr(args, "pdf", False),
    )
    try:
        report = build(settings, write=args.command == "build")
    except BuildFailed as failed:
        for problem in failed.problems:
            print(problem, file=sys.stderr)
        print(f"{len(failed.problems)} problem(s) found; nothing was written.", file=sys.stderr)
        return 1
    except SiteError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if args.command == "check":
        print(f"No problems: {report.pages} pages ({report.counts})")
    else:
        pdfs = "with worksheet PDFs" if settings.pdf else "add --pdf for worksheet PDFs"
        print(f"Built {report.pages} pages into {settings.out} in {report.seconds:.2f} s "
              f"({report.counts}; {pdfs})")
    return 0
