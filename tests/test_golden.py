"""The golden site: a build of tests/golden/content must equal tests/golden/expected.

Regenerate (see tests/golden/README.md):
    python build.py build --content tests/golden/content --out tests/golden/expected \
        --base-url https://example.org/limber/
"""

from __future__ import annotations

import difflib
from pathlib import Path

from site_src.pipeline import Settings, build
from tests.conftest import ROOT, TEMPLATES, tree_digest

GOLDEN = ROOT / "tests" / "golden"
REGENERATE = ("python build.py build --content tests/golden/content --out tests/golden/expected "
              "--base-url https://example.org/limber/")


def test_golden_site_matches_snapshot(tmp_path: Path):
    out = tmp_path / "site"
    build(Settings(content=GOLDEN / "content", templates=TEMPLATES, out=out,
                   base_url="https://example.org/limber/"))
    expected = GOLDEN / "expected"
    for rel in ("index.html", "stretches/index.html", "stretches/figure-four/index.html",
                "muscles/index.html", "muscles/calves/index.html", "routines/index.html",
                "routines/morning/index.html", "worksheets/morning/index.html",
                "safety/index.html", "404.html", "sitemap.xml", "robots.txt", ".nojekyll",
                "images/seated-hamstring-stretch.svg", "static/style.css"):
        assert (out / rel).is_file(), f"the golden site should use every page kind: {rel}"
    assert sorted(tree_digest(out)) == sorted(tree_digest(expected)), \
        f"the set of output files changed; if intended, run: {REGENERATE}"
    for rel, digest in tree_digest(out).items():
        if digest != tree_digest(expected)[rel]:
            diff = "".join(difflib.unified_diff(
                (expected / rel).read_text().splitlines(keepends=True),
                (out / rel).read_text().splitlines(keepends=True), "expected/" + rel,
                "built/" + rel))
            raise AssertionError(f"{rel} differs from the snapshot; if intended, run: "
                                 f"{REGENERATE}\n{diff[:3000]}")
