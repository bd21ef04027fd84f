"""The site's own content builds cleanly and gives every page kind something to show."""

from __future__ import annotations

from site_src.pipeline import Settings, build
from tests.conftest import ROOT, TEMPLATES


def test_real_content_builds_every_page_kind():
    report = build(Settings(content=ROOT / "content", templates=TEMPLATES), write=False)
    files = report.files
    assert report.stretches >= 5 and report.muscles >= 5 and report.routines >= 1
    kinds = {
        "stretch": "stretches/cat-cow/index.html",
        "muscle": "muscles/quadratus-lumborum/index.html",
        "routine": "routines/five-minute-back-relief/index.html",
        "worksheet": "worksheets/five-minute-back-relief/index.html",
        "page": "safety/index.html",
    }
    for kind, path in kinds.items():
        assert path in files, kind
    for index in ("index.html", "stretches/index.html", "muscles/index.html",
                  "routines/index.html", "404.html", "sitemap.xml", "robots.txt"):
        assert index in files
    # Every muscle in the vocabulary has at least one stretch.
    for path, data in files.items():
        if path.startswith("muscles/") and path != "muscles/index.html":
            assert b"No stretches for" not in data, path
