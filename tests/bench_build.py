"""Benchmark: build a large synthetic site and print time, pages per second and peak memory.

    python -m tests.bench_build [--stretches 1000] [--runs 3]

Prints numbers only; it asserts nothing, because shared machines are noisy.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from site_src.drawing.areas import AREAS

ROOT = Path(__file__).resolve().parent.parent
REGIONS = ["neck-shoulders", "upper-back", "lower-back", "core", "hips", "glutes", "legs"]
POSITIONS = ["standing", "seated", "lying", "kneeling", "all-fours"]
# A pose per position, so every stretch is drawn as on the real site.
POSES = {
    "standing": "{base: standing, start: {}, end: {spine: 40, hip: 30, shoulder: 60}}",
    "seated": "{base: seated-chair, start: {}, end: {spine: 30, neck: 20}}",
    "lying": "{base: lying-back, start: {hip: 50, knee: 100}, "
             "end: {near_hip: 110, near_knee: 120}}",
    "kneeling": "{base: half-kneeling, start: {}, end: {spine: -10, shoulder: 170}}",
    "all-fours": "{base: all-fours, start: {spine: 30, neck: 35, hip: 65, shoulder: 100}, "
                 "end: {spine: -25, neck: -25, hip: 85, shoulder: 75}}",
}


def write_site(root: Path, stretches: int) -> None:
    content = root / "content"
    for folder in ("muscles", "stretches", "routines", "pages", "partials"):
        (content / folder).mkdir(parents=True)
    (content / "partials" / "red-flags.md").write_text(
        "---\ntitle: Get help now if\n---\n**Call your emergency number** if both legs "
        "are weak.\n")
    (content / "site.yaml").write_text(
        "title: Bench\nbase_url: https://example.org/bench/\n"
        "disclaimer: Education only. Stop if it hurts.\n")
    muscles = [f"muscle-{i}" for i in range(len(AREAS))]  # each with its own body-map area
    for i, muscle in enumerate(muscles):
        (content / "muscles" / f"{muscle}.md").write_text(
            f"---\nname: Muscle {i}\nregion: {REGIONS[i % len(REGIONS)]}\n"
            f"body_map: [{list(AREAS)[i]}]\n---\nWhere it is and why it matters.\n")
    for i in range(stretches):
        steps = "\n".join(f"{n}. Do step {n} slowly, with *care*." for n in range(1, 7))
        (content / "stretches" / f"stretch-{i}.md").write_text(
            f"---\ntitle: Stretch {i}\nsummary: Stretch number {i}.\n"
            f"muscles: [{muscles[i % len(muscles)]}]\n"
            f"secondary_muscles: [{muscles[(i + 7) % len(muscles)]}]\n"
            f"position: {POSITIONS[i % 5]}\ndifficulty: beginner\nhold_seconds: 30\nreps: 3\n"
            + ("equipment: [chair]\n" if POSITIONS[i % 5] == "seated" else "")
            + f"pose: {POSES[POSITIONS[i % 5]]}\n"
            "cues: [One, Two]\ncautions: [Go slowly.]\n---\nIntro.\n\n"
            f"{steps}\n\n## What you should feel\n\nA gentle pull. See "
            f"[the next one](stretch-{(i + 1) % stretches}.md).\n")
    for r in range(stretches // 25):
        steps = "".join(f"  - stretch: stretch-{(r * 8 + k) % stretches}\n" for k in range(8))
        (content / "routines" / f"routine-{r}.md").write_text(
            f"---\ntitle: Routine {r}\nsummary: Eight stretches.\n"
            f"frequency: daily\nsteps:\n{steps}---\nDo them in order.\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stretches", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_site(root, args.stretches)
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            done = subprocess.run(
                [sys.executable, str(ROOT / "build.py"), "build", "--content", "content",
                 "--templates", str(ROOT / "templates"), "--out", "_site"],
                cwd=root, capture_output=True, text=True)
            times.append(time.perf_counter() - started)
            if done.returncode != 0:
                sys.exit(done.stderr)
        pages = sum(1 for _ in (root / "_site").rglob("*.html"))
        peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        best = min(times)
        print(f"stretches: {args.stretches}")
        print(f"html pages: {pages}")
        print(f"build seconds (best of {args.runs}, whole process): {best:.2f}")
        print(f"build seconds (all runs): {', '.join(f'{t:.2f}' for t in times)}")
        print(f"pages per second: {pages / best:.0f}")
        print(f"peak memory (MiB, max RSS): {peak_mib:.0f}")
        incremental(root)
    drawing_cost()
    hostile()


def drawing_cost(rounds: int = 20) -> None:
    """Drawing the real content's stretches, fresh each time, against rendering their Markdown."""
    sys.path.insert(0, str(ROOT))
    from site_src import markup
    from site_src.drawing.figure import check, draw
    from site_src.figures import alt_texts, moving
    from site_src.pipeline import Settings, build

    site = build(Settings(content=ROOT / "content", templates=ROOT / "templates"),
                 write=False).site
    posed = [entry for entry in site.stretches.values() if entry.meta.pose]
    jobs = []
    for entry in posed:
        drawing = entry.meta.pose.drawing(tuple(entry.meta.equipment),
                                          tuple(site.muscles[entry.meta.muscles[0]].meta.body_map))
        jobs.append((drawing, alt_texts(entry.meta.title, drawing, True), moving(entry.meta),
                     entry))

    def per_stretch(work) -> float:
        """The best of `rounds` passes over every stretch, as timeit advises on a noisy box."""
        best = float("inf")
        for _ in range(rounds):
            started = time.perf_counter()
            for job in jobs:
                work(job)
            best = min(best, time.perf_counter() - started)
        return best / len(jobs) * 1000

    still = per_stretch(lambda job: draw(job[0], job[1]))
    shown = per_stretch(lambda job: draw(job[0], job[1], loop=job[2]))
    checked = per_stretch(lambda job: check(job[0]))
    text = per_stretch(lambda job: markup.render(job[3].doc.body, lambda url: url))
    loops = sum(1 for job in jobs if job[2])
    print(f"drawing per stretch, start and end (ms, best of {rounds} passes over "
          f"{len(jobs)} real stretches; aim: under 1): {still:.2f}")
    print(f"drawing per stretch with the loops of the {loops} moving ones (ms): {shown:.2f}")
    print(f"checking a pose per stretch (ms): {checked:.2f}")
    print(f"Markdown per stretch body, for scale (ms): {text:.2f}; drawing / Markdown: "
          f"{still / text:.1f}x")


# Runs build.py in this child and prints the child's own peak memory (KiB) last.
_PEAK = ("import resource, runpy, sys; sys.argv = ['build.py', *sys.argv[1:]]\n"
         "try:\n    runpy.run_path({build!r}, run_name='__main__')\n"
         "except SystemExit:\n    pass\n"
         "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)")


def _peak_mib(root: Path, *args: str) -> tuple[float, float]:
    """Seconds and peak memory (MiB) of one build of root/content, in a fresh process."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _PEAK.format(build=str(ROOT / "build.py")),
                           "build", "--content", "content", "--templates", str(ROOT / "templates"),
                           "--out", "_site", "--no-search", *args],
                          cwd=root, capture_output=True, text=True)
    return time.perf_counter() - started, int(done.stdout.split()[-1]) / 1024


def hostile() -> None:
    """Hostile content against plain content of the same count: 40 stretches each padded to
    just under the size limit, 10 with 20,000 '[' (stopped by a 1 s budget each) and 10
    nested 1,000 lists deep. Time and memory should stay near the plain build's."""
    with tempfile.TemporaryDirectory() as plain_dir, tempfile.TemporaryDirectory() as bad_dir:
        plain, bad = Path(plain_dir), Path(bad_dir)
        write_site(plain, 60)
        write_site(bad, 60)
        stretches = sorted((bad / "content/stretches").glob("*.md"))
        for index, path in enumerate(stretches):
            text = path.read_text()
            if index < 40:
                text += "\n" + "Breathe out and let the stretch grow. " * 13000  # ~490 KB
            elif index < 50:
                text += "\n" + "[" * 20000
            else:
                text += "\n" + "".join("  " * level + "- x\n" for level in range(1000))
            path.write_text(text)
        plain_s, plain_mib = _peak_mib(plain, "--render-timeout", "1")
        bad_s, bad_mib = _peak_mib(bad, "--render-timeout", "1")
        print(f"hostile content, 60 stretches (40 near the 512 KB limit, 10 bracket floods, "
              f"10 nested 1,000 deep): {bad_s:.1f} s, peak {bad_mib:.0f} MiB; the same site "
              f"plain: {plain_s:.1f} s, peak {plain_mib:.0f} MiB; ratio "
              f"{bad_s / plain_s:.1f}x time, {bad_mib / plain_mib:.1f}x memory")


def incremental(root: Path) -> None:
    """The preview's rebuild after one stretch is edited, against a full build."""
    sys.path.insert(0, str(ROOT))
    from site_src.pipeline import Settings, build
    from site_src.write import update_site

    settings = Settings(content=root / "content", templates=ROOT / "templates")
    out = root / "preview"
    out.mkdir()
    started = time.perf_counter()
    first = build(settings, write=False)
    update_site(out, first.files, {})
    full = time.perf_counter() - started
    stretch = root / "content/stretches/stretch-7.md"
    stretch.write_text(stretch.read_text().replace("Intro.", "Intro, edited."))
    started = time.perf_counter()
    again = build(settings, write=False, previous=first)
    written = update_site(out, again.files, first.files)
    seconds = time.perf_counter() - started
    print(f"preview first build (in process): {full:.2f} s, {len(first.files)} files")
    print(f"preview rebuild after one stretch edit: {seconds:.2f} s, "
          f"{again.rerendered} pages rendered, {written} files written")


if __name__ == "__main__":
    main()
