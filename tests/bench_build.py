"""Benchmark: a clinic-sized library, built cold, again unchanged, after one edit, and in
the preview; each time as seconds and as a ratio to the Python-Markdown floor.

    python -m tests.bench_build [--stretches 1000]

Prints numbers only; it asserts nothing, because shared machines are noisy: compare the
ratios, which come from one run on one machine.
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.request import urlopen

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


WORDS = ("slowly breathe gently hold your back hips knee shoulder spine pelvis floor chair "
         "stretch muscle tight ease relax lengthen reach keep steady weight pain comfortable "
         "position arms legs towards away side press lift lower return neutral feel pull "
         "tension should never bounce through whole movement until light each every time "
         "morning evening before after work sitting standing walking daily").split()


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def _body(rng: random.Random, i: int, stretches: int, muscles: list[str]) -> str:
    """300 to 700 words: an introduction, a heading or two, numbered steps, a bullet list,
    emphasis, two links to other stretches and one to three to muscle pages."""
    target = rng.randint(300, 700)
    others = [(i + rng.randint(1, stretches - 1)) % stretches for _ in range(2)]
    links = [f"[stretch {j}](stretch-{j}.md)" for j in others] + [
        f"[{m.replace('-', ' ')}](../muscles/{m}.md)"
        for m in rng.sample(muscles, rng.randint(1, 3))]
    steps = [f"{n}. {_sentence(rng, rng.randint(8, 16))}" for n in range(1, rng.randint(5, 9))]
    bullets = [f"- {_sentence(rng, rng.randint(5, 10))}" for _ in range(rng.randint(3, 5))]
    blocks = [f"{_sentence(rng, 12)} It works on {links[2]} and pairs with {links[0]}. "
              f"*{_sentence(rng, 6)}*",
              "## How to do it", "\n".join(steps),
              "## What you should feel", "\n".join(bullets),
              f"If it pinches, try {links[1]} instead, or **{_sentence(rng, 5).lower()}**"
              + "".join(f" See also {link}." for link in links[3:])]
    words = sum(len(block.split()) for block in blocks)
    while words < target:
        paragraph = " ".join(_sentence(rng, rng.randint(8, 18)) for _ in range(4))
        blocks.insert(-1, paragraph)
        words += len(paragraph.split())
    return "\n\n".join(blocks) + "\n"


def write_site(root: Path, stretches: int) -> None:
    """A library of `stretches` stretches as a clinic would keep it: realistic bodies, one
    muscle per area of the body map (19), and a routine of 5 to 10 steps per 25 stretches.
    The same count gives the same files."""
    rng = random.Random(stretches)
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
        position = POSITIONS[i % len(POSITIONS)]
        (content / "stretches" / f"stretch-{i}.md").write_text(
            f"---\ntitle: Stretch {i}\nsummary: Stretch number {i}.\n"
            f"muscles: [{muscles[i % len(muscles)]}]\n"
            f"secondary_muscles: [{muscles[(i + 7) % len(muscles)]}]\n"
            f"position: {position}\ndifficulty: beginner\nhold_seconds: 30\nreps: 3\n"
            + ("equipment: [chair]\n" if position == "seated" else "")
            + f"pose: {POSES[position]}\n"
            "cues: [One, Two]\ncautions: [Go slowly.]\n---\n"
            + _body(rng, i, stretches, muscles))
    for r in range(stretches // 25):
        steps = "".join(f"  - stretch: stretch-{rng.randrange(stretches)}\n"
                        for _ in range(rng.randint(5, 10)))
        (content / "routines" / f"routine-{r}.md").write_text(
            f"---\ntitle: Routine {r}\nsummary: A routine of stretches.\n"
            f"frequency: daily\nsteps:\n{steps}---\nDo them in order.\n")


def markdown_floor(content: Path) -> float:
    """Seconds for Python-Markdown alone: every body through one reused instance with the
    project's extensions, in this one process. Nothing the site builder does can avoid it."""
    import markdown

    from site_src.markup import EXTENSIONS

    bodies = [path.read_text().split("---\n", 2)[2] for folder in ("stretches", "muscles",
                                                                   "routines")
              for path in sorted((content / folder).glob("*.md"))]
    md = markdown.Markdown(extensions=EXTENSIONS, output_format="html")
    started = time.perf_counter()
    for body in bodies:
        md.reset().convert(body)
    return time.perf_counter() - started


def _tree_pss_kib(pid: int) -> int:
    """Memory of a process and all its descendants together (KiB): the sum of their
    proportional set sizes, so pages that forked workers share are counted once. A child
    that Python is starting shares its parent's memory until it runs its program (vfork):
    read then, it is its parent exactly, and is not counted again."""
    total, todo = 0, [(pid, "")]
    while todo:
        current, parents = todo.pop()
        try:
            rollup = Path(f"/proc/{current}/smaps_rollup").read_text()
            if rollup != parents:
                total += sum(int(line.split()[1]) for line in rollup.splitlines()
                             if line.startswith("Pss:"))
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [(int(child), rollup)
                         for child in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue  # it ended while we looked
    return total


def run_measured(command: list[str], cwd: Path) -> tuple[float, float, str]:
    """Run a command; return its seconds, the peak memory of it and everything it started
    (MiB, sampled every 100 ms, which costs the machine little; 0 where /proc can't tell),
    and its output."""
    started = time.perf_counter()
    child = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             text=True)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.wait(0.1):
            peak = max(peak, _tree_pss_kib(child.pid))
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output, _ = child.communicate()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    if child.returncode != 0:
        sys.exit(output)
    return seconds, peak / 1024, output


def edit_to_reload(root: Path, edits: int = 5) -> list[float]:
    """Seconds from saving an edited stretch to the preview serving it, for several edits."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "serve", "--port", str(port), "--no-search",
         "--content", "content", "--templates", str(ROOT / "templates"), "--cache-dir",
         "cache"],
        cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        for line in server.stdout:
            if line.startswith("Serving"):
                break
        else:
            sys.exit("the preview did not start")
        threading.Thread(target=server.stdout.read, daemon=True).start()  # keep it talking
        page = f"http://127.0.0.1:{port}/bench/stretches/stretch-7/"
        source = root / "content/stretches/stretch-7.md"
        original = source.read_text()
        times = []
        for n in range(edits):
            marker = f"Edited {n} times."
            time.sleep(0.5)  # apart, as a person saves
            started = time.perf_counter()
            source.write_text(original.replace("## How to do it", f"{marker}\n\n## How to do it"))
            while marker not in urlopen(page).read().decode():
                if time.perf_counter() - started > 60:
                    sys.exit("the preview did not show the edit within a minute")
                time.sleep(0.005)
            times.append(time.perf_counter() - started)
        source.write_text(original)
        return times
    finally:
        server.terminate()
        server.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stretches", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_site(root, args.stretches)
        floor = markdown_floor(root / "content")
        build_cmd = [sys.executable, str(ROOT / "build.py"), "build", "--content", "content",
                     "--templates", str(ROOT / "templates"), "--out", "_site",
                     "--cache-dir", "cache"]
        cold, cold_mib, said = run_measured(build_cmd, root)
        same, same_mib, _ = run_measured(build_cmd, root)
        stretch = root / "content/stretches/stretch-3.md"
        text = stretch.read_text()
        stretch.write_text(text.replace("## How to do it", "One more line.\n\n## How to do it"))
        edited, edited_mib, _ = run_measured(build_cmd, root)
        # The next edit finds the site the last build replaced kept in the cache (write.py).
        stretch.write_text(text.replace("## How to do it", "Another line.\n\n## How to do it"))
        again, again_mib, _ = run_measured(build_cmd, root)
        reloads = edit_to_reload(root, 5 if args.stretches <= 2000 else 3)
        pages = sum(1 for _ in (root / "_site").rglob("*.html"))
        print(f"stretches: {args.stretches}; html pages: {pages}; {os.cpu_count()} CPUs")
        print(f"  {said.strip().splitlines()[-1]}")
        print(f"{'':44}seconds  x floor")
        for name, seconds in (("Python-Markdown floor (one process)", floor),
                              ("cold build (empty cache)", cold),
                              ("no-change build (cache)", same),
                              ("one edited stretch (cache)", edited),
                              ("another edit (cache, kept site)", again),
                              ("preview: save to served, median of "
                               f"{len(reloads)}", statistics.median(reloads))):
            print(f"{name:42}{seconds:9.2f}{seconds / floor:9.2f}")
        print(f"preview: save to served, each edit (ms): "
              f"{', '.join(f'{t * 1000:.0f}' for t in reloads)}")
        print(f"peak memory of all processes together (MiB): cold {cold_mib:.0f}, "
              f"no-change {same_mib:.0f}, one edit {edited_mib:.0f}, another {again_mib:.0f}")
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
_PEAK = ("import os, resource, runpy, sys; sys.argv = ['build.py', *sys.argv[1:]]\n"
         "sys.path.insert(0, os.path.dirname({build!r}))  # as 'python build.py' would\n"
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
    just under the size limit, 10 with 5,000 links never closed ('[a](', stopped by a 1 s
    budget each) and 10 nested 1,000 lists deep. Time and memory should stay near the plain
    build's."""
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
                text += "\n" + "[a](" * 5000  # links never closed
            else:
                text += "\n" + "".join("  " * level + "- x\n" for level in range(1000))
            path.write_text(text)
        plain_s, plain_mib = _peak_mib(plain, "--render-timeout", "1")
        bad_s, bad_mib = _peak_mib(bad, "--render-timeout", "1")
        print(f"hostile content, 60 stretches (40 near the 512 KB limit, 10 link floods, "
              f"10 nested 1,000 deep): {bad_s:.1f} s, peak {bad_mib:.0f} MiB; the same site "
              f"plain: {plain_s:.1f} s, peak {plain_mib:.0f} MiB; ratio "
              f"{bad_s / plain_s:.1f}x time, {bad_mib / plain_mib:.1f}x memory")


if __name__ == "__main__":
    main()
