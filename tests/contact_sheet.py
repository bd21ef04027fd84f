"""Contact sheet: every stretch's drawings on one page, at the size they print.

    python -m tests.contact_sheet [--only cat-cow,bridge] [--scale 1]

Builds the drawings from content/ exactly as the site does, lays them out with
each stretch's title, steps and any drawing faults, and writes
test-artifacts/poses.html and, with Chromium, test-artifacts/poses.png to look at.
"""

from __future__ import annotations

import argparse
import html
import re
from pathlib import Path

from site_src.drawing.figure import check
from site_src.figures import PIXELS_PER_UNIT
from site_src.pipeline import Settings, build

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"


def sheet_html(only: set[str] | None = None, scale: float = 1.0,
               content: Path = ROOT / "content") -> tuple[str, int]:
    """The contact sheet as HTML, and how many stretches it shows."""
    report = build(Settings(content=content, templates=ROOT / "templates"), write=False)
    cells = []
    for slug, entry in report.site.stretches.items():
        if only and slug not in only:
            continue
        meta = entry.meta
        steps = re.findall(r"<li>(.*?)</li>", entry.html, re.S)[:8]
        faults = check(meta.pose.drawing(tuple(meta.equipment))) if meta.pose else \
            ["no pose yet"]
        frames = []
        for frame in ("start", "end"):
            data = report.files.get(f"figures/{slug}-{frame}.svg")
            if data:
                svg = data.decode()
                width = float(re.search(r'width="([0-9.]+)"', svg).group(1))
                frames.append(f'<figure style="width:{width * PIXELS_PER_UNIT * scale:.0f}px">'
                              f'{svg}<figcaption>{frame}</figcaption></figure>')
        base = f"{meta.pose.base}, {meta.pose.view}" if meta.pose else "-"
        cells.append(
            f'<section><h2>{html.escape(meta.title)} <small>{slug} · {base} · '
            f'{", ".join(" or ".join(c) for c in meta.equipment) or "no equipment"}'
            '</small></h2>'
            f'<div class="pair">{"".join(frames)}</div>'
            + "".join(f'<p class="fault">{html.escape(f)}</p>' for f in faults)
            + '<ol>' + "".join(f"<li>{re.sub('<[^>]+>', '', s)}</li>" for s in steps)
            + "</ol></section>")
    page = f"""<!doctype html><meta charset="utf-8"><title>Pose contact sheet</title>
<style>
body {{ font: 12px system-ui, sans-serif; margin: 10px; color: #111; }}
main {{ display: grid; grid-template-columns: repeat(auto-fill, minmax(430px, 1fr)); gap: 8px; }}
section {{ border: 1px solid #bbb; padding: 6px; break-inside: avoid; }}
h2 {{ font-size: 14px; margin: 0 0 4px; }} small {{ font-weight: 400; color: #555; }}
.pair {{ display: flex; flex-wrap: wrap; gap: 10px; align-items: flex-end; }}
figure {{ margin: 0; }} figure svg {{ width: 100%; height: auto; display: block; }}
figcaption {{ text-align: center; font-weight: 600; }}
.fault {{ color: #b00; font-weight: 700; margin: 2px 0; }}
ol {{ margin: 4px 0 0; padding-left: 18px; color: #333; }}
</style><main>{"".join(cells)}</main>"""
    return page, len(cells)


def screenshot(page_html: str, out: Path, browser=None, width: int = 1320) -> None:
    """A full-page PNG of the sheet, in the given Playwright browser or a new Chromium."""
    if browser is None:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                         args=["--no-sandbox", "--disable-gpu",
                                               "--disable-background-networking"])
            screenshot(page_html, out, chromium, width)
            chromium.close()
        return
    tab = browser.new_page(viewport={"width": width, "height": 800})
    tab.set_content(page_html)
    tab.screenshot(path=str(out), full_page=True)
    tab.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="comma-separated stretch slugs")
    parser.add_argument("--scale", type=float, default=1.0, help="1 is the printed size")
    parser.add_argument("--name", default="poses", help="file name in test-artifacts/")
    args = parser.parse_args()
    only = set(args.only.split(",")) if args.only else None
    page, count = sheet_html(only, args.scale)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"{args.name}.html").write_text(page, encoding="utf-8")
    screenshot(page, ARTIFACTS / f"{args.name}.png")
    print(f"{count} stretches: {ARTIFACTS / args.name}.png")


if __name__ == "__main__":
    main()
