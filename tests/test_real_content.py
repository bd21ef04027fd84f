"""The site's own content: everything the guide promises exists, validates and links up."""

from __future__ import annotations

import html
import re
import subprocess
import sys

import pytest

from site_src import markup, timing
from site_src.graph import Site, resolve
from site_src.load import load
from site_src.models import SUMMARY_WORDS
from site_src.pipeline import BuildReport, Settings, build
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
    # As knee-to-chest does: bending forward that makes the pain worse needs a clinician.
    for slug in ("knee-to-chest", "childs-pose", "seated-knee-to-chest"):
        assert "bending forward" in cautions(slug) and "clinician" in cautions(slug), slug
    assert "tingling goes down a leg" in cautions("passive-low-back-stretch")
    assert "before it hurts" in cautions("jefferson-curl")


def test_the_clinical_read_is_fixed_in_the_text(site: Site):
    def body(kind: str, slug: str) -> str:
        return getattr(site, kind)[slug].doc.body

    curl = body("stretches", "jefferson-curl")
    assert "feet together" not in curl, "a narrow base of support tips people over"
    step5 = re.search(r"^5\. (.*)$", curl, re.M).group(1)
    assert "before it hurts" in step5 and "without pain" not in step5
    assert "dizzy, stop, sit down" in body("pages", "toe-touch-test")
    assert "front of the upper arm bone" in body("muscles", "lats")
    assert "back of each upper arm" not in body("muscles", "lats")
    assert "a few minutes at a time" in body("stretches", "passive-hang")
    assert "Half of your pelvis and that thigh now rest on the bed" in \
        body("stretches", "advanced-psoas-stretch")
    for kind, slug in [("stretches", "hip-muscle-energy-technique"),
                       ("stretches", "reclining-hip-stretch")]:
        assert not re.search(r"line up|one of the best", body(kind, slug)), slug
    # Hard means stiff, not painful, wherever the hardest stretches are called the ones needed.
    for kind, slug in [("pages", "self-assessment"), ("routines", "ten-minute-lower-back-series")]:
        assert "Hard here means stiff, not painful" in body(kind, slug), slug
    assert "out of a bad spell of pain" in body("routines", "ten-minute-lower-back-series")


def test_the_mobility_routine_twists_one_leg_over_as_its_source_does(site: Site):
    steps = [s.stretch for s in site.routines["six-stretches-for-mobility"].meta.steps]
    assert "lying-leg-cross-over" in steps and "lower-trunk-rotation" not in steps
    titles = [s.title for s in site.stretches["lying-leg-cross-over"].meta.sources]
    assert "The 6 best stretches for back pain, mobility and flexibility" in titles


def test_stretches_from_the_lower_back_series_cite_only_it(site: Site):
    for slug in ("reclining-hip-stretch", "standing-hamstring-stretch",
                 "side-lying-quadratus-lumborum-stretch"):
        titles = [s.title for s in site.stretches[slug].meta.sources]
        assert titles == ["DIY Joint Pain Relief: lower back pain stretches"], slug


def test_every_stretch_names_the_other_muscles_it_reaches(site: Site):
    for slug, entry in site.stretches.items():
        meta = entry.meta
        assert len(meta.muscles) + len(meta.secondary_muscles) >= 2, slug
        assert meta.secondary_muscles, f"{slug}: which other muscles does it reach?"


def test_a_moving_stretch_does_in_its_steps_what_its_dose_says(site: Site):
    leg = site.stretches["standing-leg-rotation"]
    assert leg.meta.hold_seconds is None and leg.meta.reps == 10 and leg.meta.each_side
    assert "Do 10 slow, small turns" in leg.doc.body and "30 seconds" not in leg.doc.body
    met = site.stretches["hip-muscle-energy-technique"].meta
    assert (met.hold_seconds, met.reps, met.sets) == (5, 3, 2)  # 3 squeezes, then 3 pushes


def test_the_safety_page_has_both_tiers_of_warning_signs(built: BuildReport, site: Site):
    page = text(built.files[site.pages["safety"].route + "index.html"])
    emergency = page.index("Emergency: get help now")
    soon = page.index("See a doctor soon")
    after = page.index("How long and how often")
    assert emergency < soon < after, "the warning signs come first"
    now, later = page[emergency:soon], page[soon:after]
    assert "emergency number" in now and "emergency department" in now
    for flag in ("numbness around your genitals, your buttocks or your inner thighs",
                 "trouble passing urine", "bladder or your bowels", "problems with sex",
                 "weakness or numbness in both legs", "weakness in a leg that keeps getting worse"):
        assert flag in now, flag
    for flag in ("a fever", "had cancer", "losing weight", "after a fall or an accident",
                 "steroid", "osteoporosis", "immune system is weak", "inject drugs",
                 "worse at night or when you rest", "keeps getting worse after several weeks"):
        assert flag in later, flag
    meta = site.pages["safety"].meta
    urls = {source.url for source in meta.sources}
    assert {"https://www.nhs.uk/conditions/back-pain/",
            "https://www.nhs.uk/conditions/cauda-equina-syndrome/"} <= urls
    assert "How to stretch for back pain" in {source.title for source in meta.sources}
    assert meta.last_reviewed
    assert "www.nhs.uk/conditions/back-pain/" in built.files["safety/index.html"].decode()


def test_the_red_flags_show_on_every_worksheet_and_the_home_page(built: BuildReport,
                                                                site: Site):
    box = site.partials["red-flags"].html
    words = text(box.encode())
    now, soon = words.index("emergency number"), words.index("See a doctor soon")
    assert now < soon
    for flag in ("genitals", "bladder or bowels", "both legs", "keeps getting worse"):
        assert flag in words[now:soon], flag
    for flag in ("fever", "cancer", "weight", "fall", "steroids", "immune", "at night",
                 "several weeks"):
        assert flag in words[soon:], flag
    shown = ["index.html", "worksheets/custom/index.html",
             *(f"worksheets/{slug}/index.html" for slug in site.routines)]
    for path in shown:
        page = built.files[path].decode()
        assert '<aside class="red-flags"' in page and box in page, path


def test_summaries_are_one_plain_sentence_of_at_most_20_words(built: BuildReport, site: Site):
    entries = [*site.stretches.values(), *site.routines.values(), *site.pages.values()]
    assert len(entries) >= 40
    for entry in entries:
        page = built.files[entry.route + "index.html"].decode()
        summary = html.unescape(re.search(r'<meta name="description" content="([^"]*)"',
                                          page).group(1))
        assert summary == entry.meta.summary, entry.route
        assert 1 <= len(summary.split()) <= SUMMARY_WORDS, f"{entry.route}: {summary}"
        assert not re.search(r"[.!?;] \S", summary), f"{entry.route}: one sentence: {summary}"


MINUTES_IN_WORDS = {"five": 5, "ten": 10, "fifteen": 15, "twenty": 20, "thirty": 30}


def test_every_routine_takes_the_time_it_says(site: Site):
    rules = site.config.timing.timing()
    stated = 0
    for slug, entry in site.routines.items():
        meta, seconds = entry.meta, site.durations[slug]
        # A time in the title ('Five-minute ...') is a promise: state it, and keep it.
        said = re.match(r"(\w+)-minute\b", meta.title, re.I)
        if said:
            assert meta.minutes == MINUTES_IN_WORDS[said.group(1).lower()], slug
        if meta.minutes:
            stated += 1
            assert timing.stated_minutes_problem(meta.minutes, seconds, rules) is None, slug
        # So is a count, in the title or the summary ('Five gentle stretches ...').
        for words in (meta.title, meta.summary):
            assert timing.promised_count(words) in (None, len(meta.steps)), f"{slug}: {words}"
    assert stated >= 4
    assert timing.minutes(site.durations["five-minute-back-relief"]) == 5


def test_equipment_alternatives_read_as_alternatives(built: BuildReport, site: Site):
    shown = 0
    for slug, entry in site.stretches.items():
        page = text(built.files[entry.route + "index.html"])
        for choice in entry.meta.equipment:
            if len(choice) > 1:
                words = " or ".join(kind.replace("-", " ") for kind in choice).capitalize()
                assert words in page, f"{slug}: '{words}' is not on its page"
                shown += 1
    assert shown >= 6


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


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildReport:
    return build(Settings(content=CONTENT, templates=TEMPLATES,
                          out=tmp_path_factory.mktemp("real") / "s", search=False))


def text(page: bytes) -> str:
    """What a reader sees of a page: its words, without tags, on one line."""
    words = re.sub(r"<[^>]+>", " ", page.decode())
    return re.sub(r"\s+", " ", html.unescape(words))


def test_real_site_builds_every_page_kind(built: BuildReport):
    report = built
    assert report.stretches >= 30 and report.muscles == 16 and report.routines == 6
    for path in ("stretches/cat-cow/index.html", "muscles/quadratus-lumborum/index.html",
                 "routines/ten-minute-lower-back-series/index.html",
                 "worksheets/chair-back-relief/index.html", "toe-touch-test/index.html"):
        assert path in report.files
