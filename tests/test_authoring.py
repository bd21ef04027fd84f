"""Authoring helpers: `new`, `schema`, `check --format github`, and AUTHORING.md itself."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

import jsonschema
import pytest
import yaml

from site_src.frontmatter import parse
from tests.conftest import ROOT, TEMPLATES, free_port


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    shutil.copytree(TEMPLATES, tmp_path / "templates")
    monkeypatch.chdir(tmp_path)
    return tmp_path


FILLED = {
    "stretch": {'summary: ""': 'summary: "Lean into a wall to stretch the calf."',
                "muscles: []": "muscles: [calves]",
                'position: ""': "position: standing",
                'difficulty: ""': "difficulty: beginner",
                'base: ""': "base: standing"},
    "routine": {'summary: ""': 'summary: "A calm end to the day."',
                'frequency: ""': "frequency: daily",
                'stretch: ""': "stretch: cat-cow"},
    "muscle": {'region: ""': "region: neck-shoulders", "body_map: []": "body_map: [neck]"},
}


@pytest.mark.parametrize("position, base", [("seated", "seated-chair"), ("lying", "lying-back"),
                                            ("all-fours", "all-fours")])
def test_new_stretch_poses_its_drawing_from_the_position(project, run, position, base):
    assert run("new", "stretch", "Test Stretch", "--position", position).code == 0
    text = (project / "content/stretches/test-stretch.md").read_text()
    assert f"\nposition: {position}\n" in text
    assert f"\npose:\n  base: {base}  #" in text


@pytest.mark.parametrize("kind, title, path, address", [
    ("stretch", "Standing Calf Stretch", "content/stretches/standing-calf-stretch.md",
     "https://example.github.io/limber/stretches/standing-calf-stretch/"),
    ("routine", "Evening Wind-down", "content/routines/evening-wind-down.md",
     "https://example.github.io/limber/routines/evening-wind-down/"),
    ("muscle", "Neck", "content/muscles/neck.md",
     "https://example.github.io/limber/muscles/neck/"),
])
def test_new_file_validates_once_its_blanks_are_filled(project, run, kind, title, path,
                                                       address):
    result = run("new", kind, title)
    assert result.code == 0
    assert result.out == f"Wrote {path}: fill in the blanks, then run python build.py check\n" \
                         f"It will appear at {address}\n"
    text = (project / path).read_text()
    assert text.count("\n# ") >= 3  # every field is explained
    assert run("check").code == 1  # blanks are blanks
    for blank, value in FILLED[kind].items():
        assert blank in text, blank
        text = text.replace(blank, value, 1)
    (project / path).write_text(text)
    checked = run("check")
    assert checked.code == 0, checked.err
    built = run("build")
    assert built.code == 0
    assert (project / "_site" / address.split("/limber/")[1] / "index.html").is_file()


def test_new_lists_every_field_of_the_model_with_its_meaning(project, run):
    from site_src.models import Stretch

    run("new", "stretch", "Wall Calf Stretch")
    text = (project / "content/stretches/wall-calf-stretch.md").read_text()
    for name, field in Stretch.model_fields.items():
        assert re.search(rf"^# {re.escape(field.description)}.*\n{name}:", text, re.M), name
    assert "One of: standing, seated, lying, kneeling, all-fours, hanging, squatting." in text
    assert "Ids: abdominals, adductors, calves," in text


def test_new_refuses_to_overwrite(project, run):
    target = project / "content/stretches/cat-cow.md"
    before = target.read_bytes()
    result = run("new", "stretch", "Cat Cow")
    assert result.code == 1
    assert result.err == "error: content/stretches/cat-cow.md already exists; refusing to " \
                         "overwrite it. Edit it, or choose another title.\n"
    assert target.read_bytes() == before


def test_check_speaks_github_annotations(project, run):
    path = project / "content/stretches/cat-cow.md"
    path.write_text(path.read_text().replace("muscles: [erector-spinae]",
                                             "muscles: [erector-spine]"))
    result = run("check", "--format", "github")
    assert result.code == 1
    assert result.out == "::error file=content/stretches/cat-cow.md,line=4,title=muscles[0]::" \
                         "unknown muscle 'erector-spine' (did you mean 'erector-spinae'?)\n"


def _front_matter(path: Path) -> dict:
    data = parse(path.read_text()).data if path.suffix == ".md" else yaml.safe_load(
        path.read_text())
    return json.loads(json.dumps(data, default=str))  # dates as the strings editors see


def test_schema_matches_what_the_build_accepts(project, run):
    result = run("schema")
    assert result.code == 0
    schemas = {p.name.split(".")[0]: json.loads(p.read_text())
               for p in (project / ".schema").glob("*.schema.json")}
    assert sorted(schemas) == ["muscle", "page", "partial", "routine", "site", "stretch"]
    folders = {"muscle": "muscles", "page": "pages", "partial": "partials",
               "routine": "routines", "stretch": "stretches"}
    for kind, folder in folders.items():
        for path in sorted((project / "content" / folder).glob("*.md")):
            jsonschema.validate(_front_matter(path), schemas[kind])
    jsonschema.validate(_front_matter(project / "content/site.yaml"), schemas["site"])
    # The editor underlines what the build would refuse.
    cat_cow = _front_matter(project / "content/stretches/cat-cow.md")
    for key, wrong in (("position", "sitting"), ("muscles", ["hamstring"]),
                       ("hold_secs", 30), ("cues", ["a", "b", "c", "d"])):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate({**cat_cow, key: wrong}, schemas["stretch"])


def _serve_and_fetch(project: Path, path: str) -> str:
    """Run `python build.py serve` a moment and fetch one page from it."""
    port = free_port()
    process = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "serve", "--port",
                                str(port)], cwd=project, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    try:
        while not process.stdout.readline().startswith("Serving "):
            assert process.poll() is None, "serve stopped"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/limber/{path}", timeout=10) as r:
            return r.read().decode()
    finally:
        process.terminate()
        process.wait(timeout=10)


BLOCK = re.compile(r"^```(\w+)(?: file=(\S+))?\n(.*?)^```", re.S | re.M)


@pytest.mark.slow
def test_every_command_in_the_authoring_guide_runs(project):
    """Walk AUTHORING.md in order: write each file it shows, run each command it gives.

    A command followed by '# exits with 1' must fail; every other command must succeed.
    """
    guide = (ROOT / "AUTHORING.md").read_text()
    ran = []
    for kind, path, text in BLOCK.findall(guide):
        if path:
            (project / path).parent.mkdir(parents=True, exist_ok=True)
            (project / path).write_text(text)
            continue
        if kind != "sh":
            continue
        for line in text.splitlines():
            command, _, comment = line.partition("#")
            command = command.strip()
            if not command:
                continue
            ran.append(command)
            words = shlex.split(command)
            assert words[:2] == ["python", "build.py"], command
            if words[2:] == ["serve"]:
                page = _serve_and_fetch(project, "stretches/standing-calf-stretch/")
                assert "<h1>Standing calf stretch</h1>" in page
                continue
            done = subprocess.run([sys.executable, str(ROOT / "build.py"), *words[2:]],
                                  cwd=project, capture_output=True, text=True, timeout=120)
            expected = 1 if "exits with 1" in comment else 0
            assert done.returncode == expected, f"{command}\n{done.stdout}{done.stderr}"
    assert {"python build.py serve", "python build.py check", "python build.py"} <= set(ran)
    assert any(c.startswith("python build.py new stretch") for c in ran)
    assert any(c.startswith("python build.py new routine") for c in ran)
    assert (project / "_site/routines/my-evening-routine/index.html").is_file()


def test_authoring_guide_lists_every_joint_with_its_range_and_every_base():
    from site_src.drawing import body as figure

    guide = (ROOT / "AUTHORING.md").read_text()
    for joint in figure.JOINTS:
        row = next((line for line in guide.splitlines() if line.startswith(f"| `{joint.name}`")),
                   None)
        assert row is not None, joint.name
        assert f"| {joint.zero} |" in row and f"| {joint.low} to {joint.high} |" in row, row
    for base in figure.BASES:
        assert f"| `{base}` |" in guide, base
