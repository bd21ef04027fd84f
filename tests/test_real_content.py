"""The site's own content: everything the guide promises exists, validates and links up."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from site_src import markup
from site_src.graph import Site, resolve
from site_src.load import load
from site_src.validate import validate_sources
from tests.conftest import ROOT, TEMPLATES

CONTENT = ROOT / "content"

STRETCHES = """
standing-hip-flexor-stretch standing-leg-rotation
passive-hang active-hang lower-trunk-rotation camel-stretch arch-and-relax deep-squat-and-reach
kneeling-hip-flexor-stretch jefferson-curl
pelvic-tilt bridge knee-to-chest seated-quadratus-lumborum-stretch childs-pose cat-cow
seated-cat-cow seated-pelvic-tilt seated-knee-to-chest seated-piriformis-stretch
seated-hamstring-stretch seated-trunk-rotation lying-leg-cross-over hip-muscle-energy-technique
prone-prop-on-elbows
reclining-hip-stretch seated-90-90-hip-stretch standing-hamstring-stretch standing-tfl-stretch
kneeling-psoas-stretch advanced-psoas-stretch side-lying-quadratus-lumborum-stretch
passive-low-back-stretch
""".split()

MUSCLES = """
hip-flexors psoas quadriceps glutes piriformis hamstrings adductors tfl-it-band
quadratus-lumborum erector-spinae obliques abdominals mid-back lats shoulders calves
""".split()

ROUTINES = """
two-standing-hip-stretches six-stretches-for-mobility five-minute-back-relief chair-back-relief
alternatives-to-cracking-your-back ten-minute-lower-back-series
""".split()

PAGES = ["safety", "toe-touch-test", "self-assessment", "about"]


@pytest.fixture(scope="module")
def site() -> Site:
    validated = validate_sources(load(CONTENT, TEMPLATES))
    site, problems = resolve(validated, None, drafts=False)
    assert validated.problems + problems == []
    assert site is not None
    return site


def test_the_real_site_checks_clean_with_no_output_on_stderr():
    done = subprocess.run([sys.executable, str(ROOT / "build.py"), "check"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert done.stdout.startswith("No problems:")


def test_every_promised_stretch_muscle_routine_and_page_exists(site: Site):
    assert len(STRETCHES) >= 30
    assert sorted(set(STRETCHES) - set(site.stretches)) == []
    assert sorted(set(MUSCLES) - set(site.muscles)) == []
    assert sorted(set(ROUTINES) - set(site.routines)) == []
    assert sorted(set(PAGES) - set(site.pages)) == []


def test_no_drafts_in_the_published_content():
    assert not [p.name for p in (CONTENT / "stretches").glob("*.md")
                if re.search(r"^draft: *true", p.read_text(), re.M)]


def test_every_muscle_has_a_stretch_and_a_description(site: Site):
    for muscle_id, entry in site.muscles.items():
        assert site.primary[muscle_id] or site.secondary[muscle_id], muscle_id
        assert len(entry.html) > 80, f"{muscle_id}: describe the muscle"


@pytest.mark.parametrize("slug", STRETCHES)
def test_stretch_is_complete(site: Site, slug: str):
    entry = site.stretches[slug]
    meta = entry.meta
    steps = markup.render(entry.doc.body).steps
    assert 4 <= steps <= 8, f"{slug}: {steps} steps"
    assert meta.hold_seconds or meta.reps, f"{slug}: no dosage"
    assert 1 <= len(meta.cues) <= 3
    assert meta.sources and meta.last_reviewed
    assert ">What you should feel</h2>" in entry.html
    assert ">Common mistakes</h2>" in entry.html


def test_cautions_the_sources_insist_on(site: Site):
    def cautions(slug: str) -> str:
        return " ".join(site.stretches[slug].meta.cautions).lower()

    assert "knee" in cautions("seated-90-90-hip-stretch")
    assert "grip" in cautions("passive-hang") and "shoulder" in cautions("passive-hang")
    assert "slow" in cautions("jefferson-curl")
    assert "balance" in cautions("standing-tfl-stretch") or \
        "sturdy" in cautions("standing-tfl-stretch")
    assert "diagnosis" in cautions("prone-prop-on-elbows")


def test_every_routine_resolves_and_keeps_its_order(site: Site):
    for slug in ROUTINES:
        for step in site.routines[slug].meta.steps:
            assert step.stretch in site.stretches
    series = [s.stretch for s in site.routines["ten-minute-lower-back-series"].meta.steps]
    regions = [site.muscles[site.stretches[s].meta.muscles[0]].meta.region for s in series]
    # Hips first, the low-back muscles last.
    assert regions[0] in ("hips", "glutes") and regions[1] in ("hips", "glutes")
    assert regions[-2:] == ["lower-back", "lower-back"]
    five = [s.stretch for s in site.routines["five-minute-back-relief"].meta.steps]
    assert five[0] == "pelvic-tilt" and five[-2:] == ["childs-pose", "cat-cow"]
    chair = site.routines["chair-back-relief"].meta.steps
    assert all(site.stretches[s.stretch].meta.position == "seated" for s in chair)


def test_disclaimer_covers_what_a_health_site_must_say(site: Site):
    text = re.sub(r"<[^>]+>", " ", site.disclaimer_html).lower()
    for idea in (r"education", r"diagnos", r"treatment", r"(clinician|doctor)",
                 r"stop", r"(delay|put off)", r"own risk"):
        assert re.search(idea, text), idea


SEEDS = ROOT.parent / "shared" / "seeds"


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the source pages are not beside this checkout")
def test_no_sentence_is_copied_from_the_sources(site: Site):
    """Facts carry over, sentences don't: no run of 8 words matches a source page.

    The titles of the cited pages are quotations by nature and are left out.
    """
    titles = {source.title.lower() for entry in site.stretches.values()
              for source in entry.meta.sources}

    def words(text: str) -> list[str]:
        text = text.lower().replace("\u2019", "'")  # typographic apostrophe
        for title in titles:
            text = text.replace(title, " ")
        return re.findall(r"[a-z0-9']+", text)

    seen = set()
    for seed in SEEDS.glob("*.txt"):
        w = words(seed.read_text())
        seen |= {tuple(w[i:i + 8]) for i in range(len(w) - 7)}
    copied = []
    for path in [*sorted(CONTENT.rglob("*.md")), CONTENT / "site.yaml"]:
        w = words(path.read_text())
        copied += [f"{path.relative_to(ROOT)}: {' '.join(w[i:i + 8])}"
                   for i in range(len(w) - 7) if tuple(w[i:i + 8]) in seen]
    assert copied == []


def test_real_site_builds_every_page_kind(tmp_path: Path):
    from site_src.pipeline import Settings, build

    report = build(Settings(content=CONTENT, templates=TEMPLATES, out=tmp_path / "s"))
    assert report.stretches >= 30 and report.muscles == 16 and report.routines == 6
    for path in ("stretches/cat-cow/index.html", "muscles/quadratus-lumborum/index.html",
                 "routines/ten-minute-lower-back-series/index.html",
                 "worksheets/chair-back-relief/index.html", "toe-touch-test/index.html"):
        assert path in report.files
