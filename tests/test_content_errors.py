"""Every kind of content mistake: its exact message and line, exit 1, old site untouched."""

from __future__ import annotations

import pytest

from site_src.errors import SHOWN_PER_FILE
from site_src.models import MAX_STEPS
from tests.conftest import BASE_FILES, temporary_files, tree_digest

STRETCH = "content/stretches/seated-hamstring-stretch.md"
ROUTINE = "content/routines/morning.md"


def _edit(path: str, old: str, new: str) -> dict[str, str]:
    text = BASE_FILES[path]
    assert old in text, f"{old!r} not in {path}"
    return {path: text.replace(old, new, 1)}


CASES = {
    "routine longer than a sheet holds": (
        _edit(ROUTINE, "    hold_seconds: 20\n", "    hold_seconds: 20\n"
              + "  - stretch: seated-hamstring-stretch\n" * (MAX_STEPS - 1)),
        f"content/routines/morning.md:6: steps: lists {MAX_STEPS + 1} items; at most "
        f"{MAX_STEPS} are allowed",
    ),
    "unknown muscle suggests closest id": (
        _edit(STRETCH, "muscles: [hamstrings]", "muscles:\n  - hamstring"),
        "content/stretches/seated-hamstring-stretch.md:5: muscles[0]: unknown muscle "
        "'hamstring' (did you mean 'hamstrings'?)",
    ),
    "muscle alias points at its id": (
        _edit(STRETCH, "secondary_muscles: [glutes]", "secondary_muscles: [back of thigh]"),
        "content/stretches/seated-hamstring-stretch.md:5: secondary_muscles[0]: unknown muscle "
        "'back of thigh' (did you mean 'hamstrings'? 'back of thigh' is one of its names)",
    ),
    "muscle listed twice": (
        _edit(STRETCH, "secondary_muscles: [glutes]", "secondary_muscles: [glutes, hamstrings]"),
        "content/stretches/seated-hamstring-stretch.md:5: secondary_muscles[1]: 'hamstrings' "
        "is already listed in muscles[0]; list it once",
    ),
    "missing required field": (
        _edit(STRETCH, "summary: Sit tall and reach for your toes.\n", ""),
        "content/stretches/seated-hamstring-stretch.md:1: summary: required field is missing",
    ),
    "summary longer than one plain sentence": (
        _edit(STRETCH, "summary: Sit tall and reach for your toes.",
              "summary: Sit tall at the front of a sturdy chair, straighten one leg, and reach "
              "for your toes until you feel the back of the thigh."),
        "content/stretches/seated-hamstring-stretch.md:3: summary: is 25 words long; write one "
        "plain sentence of at most 20 words, and move the detail into the body",
    ),
    "page summary too long": (
        _edit("content/pages/safety.md", "nav_order: 1\n", "nav_order: 1\nsummary: How long "
              "to hold each stretch, what order to do them in, how far to go, and when to stop "
              "and get help.\n"),
        "content/pages/safety.md:4: summary: is 23 words long; write one plain sentence of at "
        "most 20 words, and move the detail into the body",
    ),
    "unknown field suggests the right one": (
        _edit(STRETCH, "hold_seconds: 30", "hold_secs: 30"),
        "content/stretches/seated-hamstring-stretch.md:9: hold_secs: unknown field "
        "(did you mean 'hold_seconds'?)",
    ),
    "value outside the allowed list": (
        _edit(STRETCH, "position: seated", "position: sitting"),
        "content/stretches/seated-hamstring-stretch.md:6: position: 'sitting' is not allowed "
        "(did you mean 'seated'?); "
        "use one of: standing, seated, lying, kneeling, all-fours, hanging, squatting",
    ),
    "mistyped number": (
        _edit(STRETCH, "reps: 3", "reps: three"),
        "content/stretches/seated-hamstring-stretch.md:10: reps: must be a whole number, "
        "not 'three'",
    ),
    "number out of bounds": (
        _edit(STRETCH, "hold_seconds: 30", "hold_seconds: 3000"),
        "content/stretches/seated-hamstring-stretch.md:9: hold_seconds: must be at most 600, "
        "not 3000",
    ),
    "too many cues": (
        _edit(STRETCH, "cues: [Sit tall, Reach forward]", "cues: [a, b, c, d]"),
        "content/stretches/seated-hamstring-stretch.md:12: cues: lists 4 items; at most 3 "
        "are allowed",
    ),
    "video must be https": (
        _edit(STRETCH, "each_side: true", "each_side: true\nvideo: http://example.org/v"),
        "content/stretches/seated-hamstring-stretch.md:12: video: is not a secure address; "
        "use the https:// address, so what a reader looks at stays private",
    ),
    "a video on a look-alike host": (
        _edit(STRETCH, "each_side: true", "each_side: true\n"
              "video: https://youtube.com.example.org/watch?v=dQw4w9WgXcQ"),
        "content/stretches/seated-hamstring-stretch.md:12: video: must be the address of a "
        "YouTube or Vimeo video, such as 'https://www.youtube.com/watch?v=dQw4w9WgXcQ' or "
        "'https://vimeo.com/76979871'",
    ),
    "a video behind a user@host address": (
        _edit(STRETCH, "each_side: true", "each_side: true\n"
              "video: https://www.youtube.com@example.org/watch?v=dQw4w9WgXcQ"),
        "content/stretches/seated-hamstring-stretch.md:12: video: must be the address of a "
        "YouTube or Vimeo video, such as 'https://www.youtube.com/watch?v=dQw4w9WgXcQ' or "
        "'https://vimeo.com/76979871'",
    ),
    "a source over http": (
        _edit(STRETCH, 'url: "https://example.org/"', 'url: "http://example.org/"'),
        "content/stretches/seated-hamstring-stretch.md:15: sources[0].url: is not a secure "
        "address; use the https:// address, so what a reader looks at stays private",
    ),
    "unknown pose base suggests the closest": (
        _edit(STRETCH, "base: seated-chair", "base: sitting-chair"),
        "content/stretches/seated-hamstring-stretch.md:18: pose.base: 'sitting-chair' is not "
        "allowed (did you mean 'seated-chair'?); use one of: standing, seated-chair, "
        "seated-floor, lying-back, lying-front, lying-side, all-fours, kneeling, "
        "half-kneeling, hanging, squatting",
    ),
    "unknown joint suggests the closest": (
        _edit(STRETCH, "near_hip: 70", "near_hipp: 70"),
        "content/stretches/seated-hamstring-stretch.md:20: pose.end.near_hipp: unknown field "
        "(did you mean 'near_hip'?)",
    ),
    "angle outside the joint's range": (
        _edit(STRETCH, "near_knee: 10", "near_knee: 170"),
        "content/stretches/seated-hamstring-stretch.md:20: pose.end.near_knee: 170 degrees is "
        "outside the knee's range of 0 to 155 (0 is leg straight)",
    ),
    "pose base that does not fit the position": (
        _edit(STRETCH, "base: seated-chair", "base: lying-back"),
        "content/stretches/seated-hamstring-stretch.md:18: pose.base: 'lying-back' does not "
        "fit position 'seated'; use seated-chair or seated-floor",
    ),
    "chair pose without a chair": (
        _edit(STRETCH, "equipment: [chair]", "equipment: []"),
        "content/stretches/seated-hamstring-stretch.md:18: pose.base: 'seated-chair' is drawn "
        "with a chair; add 'chair' to equipment, or choose another base",
    ),
    "pose that puts the body through the floor": (
        _edit(STRETCH, "near_hip: 70, near_knee: 10", "near_hip: 10, near_knee: 10"),
        "content/stretches/seated-hamstring-stretch.md:17: pose: the drawing is impossible: "
        "end: the near foot is 34 cm below the floor; end: the near shin is 33 cm below the "
        "floor; end: the near thigh is 10 cm inside the chair (and 1 more); change the angles "
        "or what it rests on",
    ),
    "prop that is not in the equipment": (
        _edit(STRETCH, "start: {}", "props: {wall: near_hand}\n  start: {}"),
        "content/stretches/seated-hamstring-stretch.md:19: pose.props: 'wall' is not in this "
        "stretch's equipment; add it there or remove it here",
    ),
    "body point that does not exist": (
        _edit(STRETCH, "start: {}", "rest: {near_heal: floor}\n  start: {}"),
        "content/stretches/seated-hamstring-stretch.md:19: pose.rest.near_heal: 'near_heal' is "
        "not allowed (did you mean 'near_heel'?); use one of: pelvis, chest, head, waist, "
        "near_heel, near_toe, near_foot, near_ankle, near_knee, near_hip, near_shoulder, "
        "near_elbow, near_hand, far_heel, far_toe, far_foot, far_ankle, far_knee, far_hip, "
        "far_shoulder, far_elbow, far_hand",
    ),
    "unknown body map area": (
        _edit("content/muscles/calves.md", "body_map: [calves]", "body_map: [calf]"),
        "content/muscles/calves.md:4: body_map[0]: 'calf' is not allowed (did you mean "
        "'calves'?); use one of: neck, shoulders, chest, abdominals, obliques, psoas, "
        "hip-flexors, adductors, quadriceps, outer-thigh, shins, upper-back, lats, lower-back, "
        "quadratus-lumborum, glutes, piriformis, hamstrings, calves",
    ),
    "muscle without a body map area": (
        _edit("content/muscles/calves.md", "body_map: [calves]\n", ""),
        "content/muscles/calves.md:1: body_map: required field is missing",
    ),
    "two muscles claiming one body map area": (
        _edit("content/muscles/calves.md", "body_map: [calves]", "body_map: [hamstrings]"),
        "content/muscles/hamstrings.md:4: body_map[0]: 'hamstrings' is already the first area "
        "of content/muscles/calves.md; each muscle's first area is its own on the body map, "
        "so list another area first",
    ),
    "yaml syntax error with line and column": (
        _edit(STRETCH, "difficulty: beginner", "difficulty: [beginner"),
        "content/stretches/seated-hamstring-stretch.md:9: invalid YAML (column 13): did not "
        "find expected ',' or ']' (while parsing a flow sequence that starts on line 8)",
    ),
    "yaml tab indentation": (
        _edit(STRETCH, "cues: [Sit tall, Reach forward]", "cues:\n\t- Sit tall"),
        "content/stretches/seated-hamstring-stretch.md:13: invalid YAML (column 1): a tab "
        "character is not allowed here; indent with spaces, not tabs",
    ),
    "front-matter never closed": (
        {STRETCH: "---\ntitle: x\n1. Step\n"},
        "content/stretches/seated-hamstring-stretch.md:1: the front-matter is never closed; "
        "did you forget the closing '---' line after the last field?",
    ),
    "no front-matter": (
        {STRETCH: "# Just Markdown\n"},
        "content/stretches/seated-hamstring-stretch.md:1: the file must start with "
        "front-matter: a '---' line, the fields as 'key: value' lines, then another '---'",
    ),
    "key written twice": (
        _edit(STRETCH, "reps: 3", "reps: 3\nreps: 4"),
        "content/stretches/seated-hamstring-stretch.md:11: 'reps' is written twice "
        "(first on line 10); keep one",
    ),
    "python object tags are refused": (
        _edit(STRETCH, "reps: 3", "reps: !!python/object/apply:os.system [echo hi]"),
        "content/stretches/seated-hamstring-stretch.md:10: invalid YAML (column 7): tags such "
        "as '!!python/object' are not allowed; write plain values",
    ),
    "routine step names a missing stretch": (
        _edit(ROUTINE, "- stretch: figure-four", "- stretch: figure-for"),
        "content/routines/morning.md:7: steps[0].stretch: no stretch 'figure-for' in "
        "content/stretches/ (did you mean 'figure-four'?)",
    ),
    "routine step names a draft stretch": (
        _edit("content/stretches/figure-four.md", "hold_seconds: 60", "hold_seconds: 60\n"
              "draft: true"),
        "content/routines/morning.md:7: steps[0].stretch: stretch 'figure-four' is a draft; "
        "publish it or build with --drafts",
    ),
    "duplicate slug in a subfolder": (
        {"content/stretches/legs/figure-four.md":
            BASE_FILES["content/stretches/figure-four.md"]},
        "content/stretches/legs/figure-four.md:1: duplicate slug 'figure-four': "
        "content/stretches/figure-four.md has the same file name; rename one of them",
    ),
    "page address taken by a section": (
        {"content/pages/muscles.md": "---\ntitle: Muscles\n---\nText.\n"},
        "content/pages/muscles.md:1: address '/muscles/' is already taken by the site's own "
        "section; rename this file",
    ),
    "routine whose worksheet would take the custom worksheet's address": (
        {"content/routines/custom.md": BASE_FILES[ROUTINE]},
        "content/routines/custom.md:1: address '/worksheets/custom/' is already taken by the "
        "site's own section; rename this file",
    ),
    "file name that can't be an address": (
        {"content/stretches/Cat Cow.md": BASE_FILES["content/stretches/figure-four.md"]},
        "content/stretches/Cat Cow.md: file name 'Cat Cow.md' can't be a web address; use "
        "lower-case letters, digits and dashes, e.g. 'cat-cow.md'",
    ),
    "markdown link to a page that doesn't exist": (
        _edit("content/stretches/figure-four.md", "../pages/safety.md", "../pages/safty.md"),
        "content/stretches/figure-four.md:15: link to '../pages/safty.md' points at no page "
        "or file (did you mean '../pages/safety.md'?)",
    ),
    "site path link that doesn't exist": (
        _edit("content/pages/safety.md", "Hold each", "See [all](/stretchez/). Hold each"),
        "content/pages/safety.md:5: link to '/stretchez/' points at no page or file "
        "(did you mean '/stretches/'?)",
    ),
    "dead link reported at the link, not at an earlier mention in code": (
        _edit("content/pages/safety.md", "Hold each", "Never write `../pages/nope.md` like "
              "this.\n\nBut [here](../pages/nope.md) it is.\n\nHold each"),
        "content/pages/safety.md:7: link to '../pages/nope.md' points at no page or file",
    ),
    "raw html link that leads nowhere": (
        _edit("content/pages/safety.md", "Hold each", "Text.\n\n<p><a href=\"/nowhere/\">x</a>"
              "</p>\n\nHold each"),
        "content/pages/safety.md:7: link to '/nowhere/' points at no page or file",
    ),
    "image file that doesn't exist": (
        _edit(STRETCH, "each_side: true", "each_side: true\nimage: seated.jpg\n"
              "image_alt: A person sitting"),
        "content/stretches/seated-hamstring-stretch.md:12: image: no file "
        "content/images/seated.jpg",
    ),
    "image without alt text": (
        {**_edit(STRETCH, "each_side: true", "each_side: true\nimage: seated.svg"),
         "content/images/seated.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>"},
        "content/stretches/seated-hamstring-stretch.md:1: image_alt: required when an image "
        "is given; describe what the picture shows",
    ),
    "image outside the images folder": (
        _edit(STRETCH, "each_side: true", "each_side: true\nimage: ../../etc/passwd\n"
              "image_alt: x"),
        "content/stretches/seated-hamstring-stretch.md:12: image: '../../etc/passwd' is "
        "outside content/images/; give a file name inside that folder",
    ),
    "file in images that is not a picture": (
        {"content/images/page.html": "<script>alert(1)</script>"},
        "content/images/page.html: only pictures belong here (.avif, .gif, .jpeg, .jpg, .png, "
        ".svg, .webp)",
    ),
    "svg picture with script": (
        {"content/images/pose.svg": "<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)"
                                    "</script></svg>"},
        "content/images/pose.svg: this SVG contains script or event handlers; export it as a "
        "plain picture",
    ),
    "svg picture with event handler": (
        {"content/images/pose.svg": "<svg xmlns='http://www.w3.org/2000/svg' onload='x()'/>"},
        "content/images/pose.svg: this SVG contains script or event handlers; export it as a "
        "plain picture",
    ),
    "script tag in content": (
        _edit("content/pages/safety.md", "Hold each", "Hi.\n\n<script>alert(1)</script>\n\n"
              "Hold each"),
        "content/pages/safety.md:7: <script> is not allowed in content",
    ),
    "iframe in content": (
        _edit("content/pages/safety.md", "Hold each", "<iframe src='https://x.org'></iframe>"
              "\n\nHold each"),
        "content/pages/safety.md:5: <iframe> is not allowed in content",
    ),
    "event handler in content": (
        _edit("content/pages/safety.md", "Hold each", "<p onclick='steal()'>Hi</p>\n\n"
              "Hold each"),
        "content/pages/safety.md:5: event handler attribute 'onclick' is not allowed in content",
    ),
    "javascript link in content": (
        _edit("content/pages/safety.md", "Hold each", "Line.\n[click](javascript:alert(1))\n"
              "Hold each"),
        "content/pages/safety.md:6: 'javascript:' addresses are not allowed in content",
    ),
    "stretch without numbered steps": (
        _edit("content/stretches/figure-four.md", "1. Lie on your back.", "Lie down.\n\n- "
              "Lie on your back."),
        "content/stretches/figure-four.md:10: body: no steps found; write the steps as a "
        "numbered list ('1. ...', '2. ...')",
    ),
    "disclaimer that shows no text": (
        {"content/site.yaml": "title: T\nbase_url: https://example.org/\n"
                              "disclaimer: '<!-- hidden -->'\n"},
        "content/site.yaml:3: disclaimer: shows no text; write the disclaimer readers must see",
    ),
    "base_url with a query": (
        {"content/site.yaml": "title: T\nbase_url: https://example.org/?a=1\ndisclaimer: D\n"},
        "content/site.yaml:2: base_url: base URL must not have a query or fragment: "
        "'https://example.org/?a=1'",
    ),
    "unknown key in site.yaml": (
        {"content/site.yaml": "title: T\nbase_url: https://example.org/\ndisclaimer: D\n"
                              "colour: red\n"},
        "content/site.yaml:4: colour: unknown field; allowed fields are title, description, "
        "base_url, language, cname, max_file_kb, timing, disclaimer, disclaimer_short",
    ),
    "custom domain written as an address": (
        {"content/site.yaml": "title: T\nbase_url: https://stretch.example.org/\ndisclaimer: D\n"
                              "cname: https://stretch.example.org/\n"},
        "content/site.yaml:4: cname: 'https://stretch.example.org/' is not a domain name; write "
        "it like stretch.example.org, without https:// or a path",
    ),
    "unknown key in a nested source": (
        _edit(STRETCH, "{title: Example source,", "{name: Example source,"),
        "content/stretches/seated-hamstring-stretch.md:15: sources[0].name: unknown field; "
        "allowed fields are title, url",
    ),
    "stated minutes far from the time the steps take": (
        _edit(ROUTINE, "minutes: 4", "minutes: 20"),
        "content/routines/morning.md:4: minutes: says 20 minutes, but its steps take about 4 "
        "(each hold x reps x sets x sides, 5 s rests, 15 s to set up each step); change it to "
        "4, shorten the steps, or leave 'minutes' out to show the computed time",
    ),
    "title promises another number of stretches": (
        _edit(ROUTINE, "title: Morning loosener", "title: Three stretches to start the day"),
        "content/routines/morning.md:2: title: promises 3 stretches but the routine has 2 "
        "steps; change the title or the steps",
    ),
    "disclaimer missing from site.yaml": (
        {"content/site.yaml": "title: T\nbase_url: https://example.org/\n"},
        "content/site.yaml:1: disclaimer: required field is missing",
    ),
    "unknown content folder": (
        {"content/stretch/x.md": "---\ntitle: x\n---\n"},
        "content/stretch: not part of the content model (did you mean 'stretches'?); content/ "
        "holds site.yaml and the folders muscles, pages, partials, routines, stretches, images",
    ),
    # Links and pictures: nothing that runs code, leaves the site unencrypted or tells a
    # third party who reads a health page.
    "a link over http": (
        _edit(STRETCH, "3. Lean forward", "3. Lean [forward](http://example.org)"),
        "content/stretches/seated-hamstring-stretch.md:24: 'http://example.org' is not a "
        "secure address; use https:// so what a reader looks at stays private",
    ),
    "a data: link": (
        _edit(STRETCH, "3. Lean forward", "3. Lean [forward](data:text/html,hi)"),
        "content/stretches/seated-hamstring-stretch.md:24: 'data:' addresses are not allowed "
        "in content",
    ),
    "javascript: spelled with an entity and mixed case": (
        _edit(STRETCH, "3. Lean forward", "3. Lean [forward](JaV&#x61;Script:alert(1))"),
        "content/stretches/seated-hamstring-stretch.md:24: 'javascript:' addresses are not "
        "allowed in content",
    ),
    "javascript: with a tab inside": (
        _edit(STRETCH, "3. Lean forward", '3. Lean <a href="java\tscript:alert(1)">on</a>'),
        "content/stretches/seated-hamstring-stretch.md:24: 'javascript:' addresses are not "
        "allowed in content",
    ),
    "a style smuggled in through an attribute list": (
        _edit(STRETCH, "4. Hold, then switch legs.", "4. Hold.\n\nRelax.\n{: style=\"x\" }"),
        "content/stretches/seated-hamstring-stretch.md:28: the attribute 'style' is not "
        "allowed on <p> in content; allowed: class, id, lang, title",
    ),
    "a src smuggled in through an attribute list": (
        _edit(STRETCH, "4. Hold, then switch legs.", "4. Hold.\n\nRelax.\n"
              "{: src=\"https://t.example.org/p.png\" }"),
        "content/stretches/seated-hamstring-stretch.md:28: the attribute 'src' is not allowed "
        "on <p> in content; allowed: class, id, lang, title",
    ),
    "a picture from another site": (
        _edit(STRETCH, "4. Hold, then switch legs.", "4. Hold.\n\n"
              "![A stretch](https://t.example.org/p.png)"),
        "content/stretches/seated-hamstring-stretch.md:27: the picture "
        "'https://t.example.org/p.png' is on another site, which would learn who reads this "
        "page; save it in content/images/ and link to it there",
    ),
    "an unknown field doesn't hide an unknown muscle in the same file": (
        _edit(STRETCH, "muscles: [hamstrings]", "muscles: [hamstring]\nhold_secs: 30"),
        "content/stretches/seated-hamstring-stretch.md:4: muscles[0]: unknown muscle "
        "'hamstring' (did you mean 'hamstrings'?)",
    ),
    # Names the site keeps for itself.
    "two files whose names differ only in case": (
        {"content/stretches/Seated-Hamstring-Stretch.md": BASE_FILES[STRETCH]},
        "content/stretches/Seated-Hamstring-Stretch.md: differs only in case from "
        "content/stretches/seated-hamstring-stretch.md; keep one of the two",
    ),
    "a page called index": (
        {"content/pages/index.md": "---\ntitle: Welcome\n---\nHi.\n"},
        "content/pages/index.md: 'index.md' is a name the site keeps for itself; give the "
        "file the name of what it is about",
    ),
    "a page at the search page's address": (
        {"content/pages/search.md": "---\ntitle: Find\n---\nHi.\n"},
        "content/pages/search.md:1: address '/search/' is already taken by the site's own "
        "section; rename this file",
    ),
    "a page at a facet's address": (
        {"content/pages/equipment.md": "---\ntitle: Kit\n---\nHi.\n"},
        "content/pages/equipment.md:1: address '/equipment/' is already taken by the site's "
        "own section; rename this file",
    ),
    "a page inside the search index": (
        {"content/pages/pagefind.md": "---\ntitle: Find\n---\nHi.\n"},
        "content/pages/pagefind.md:1: address '/pagefind/' is already taken by the site's "
        "own section; rename this file",
    ),
    # YAML 1.1 reads some plain values as something else: each is refused, with a fix.
    "a number with a leading zero is octal in YAML 1.1": (
        _edit(STRETCH, "hold_seconds: 30", "hold_seconds: 030"),
        "content/stretches/seated-hamstring-stretch.md:9: hold_seconds: '030' starts with 0, "
        "so it is read as an octal number (24); write 30 or put it in quotes if it is text",
    ),
    "minutes and seconds are a base-60 number in YAML 1.1": (
        _edit(STRETCH, "hold_seconds: 30", "hold_seconds: 1:30"),
        "content/stretches/seated-hamstring-stretch.md:9: hold_seconds: '1:30' is read as a "
        "base-60 number (90); write seconds as one number, such as 90, or put it in quotes if "
        "it is text",
    ),
    "yes where text is wanted": (
        _edit(STRETCH, "title: Seated hamstring stretch", "title: yes"),
        "content/stretches/seated-hamstring-stretch.md:2: title: 'yes' is read as true; write "
        "true or false for a yes-or-no field, a number for a number, or put it in quotes if it "
        "is text",
    ),
    "off where a number is wanted": (
        _edit(STRETCH, "hold_seconds: 30", "hold_seconds: off"),
        "content/stretches/seated-hamstring-stretch.md:9: hold_seconds: 'off' is read as "
        "false; write true or false for a yes-or-no field, a number for a number, or put it "
        "in quotes if it is text",
    ),
    "a date where text is wanted": (
        _edit(STRETCH, "title: Seated hamstring stretch", "title: 2026-11-21"),
        "content/stretches/seated-hamstring-stretch.md:2: title: must be text, not "
        "2026-11-21; put quotes around it if it is meant as text",
    ),
    "a float where a whole number is wanted": (
        _edit(STRETCH, "hold_seconds: 30", "hold_seconds: 30.0"),
        "content/stretches/seated-hamstring-stretch.md:9: hold_seconds: must be a whole "
        "number, not 30.0",
    ),
    "a partial the site doesn't show": (
        {"content/partials/red-flag.md": "---\ntitle: Get help\n---\nCall now.\n"},
        "content/partials/red-flag.md: is not a partial the site shows (did you mean "
        "'red-flags'?); the partials are: red-flags.md",
    ),
    "a partial without its title": (
        {"content/partials/red-flags.md": "---\n---\nCall now.\n"},
        "content/partials/red-flags.md:1: title: required field is missing",
    ),
}


@pytest.mark.parametrize("files, expected", CASES.values(), ids=CASES.keys())
def test_content_error_is_reported_and_old_site_kept(make_site, run, files, expected):
    site = make_site()
    assert run().code == 0
    before = tree_digest(site.out)

    for path, text in files.items():
        site.write(path, text)
    result = run()

    assert result.code == 1
    assert expected in result.err.splitlines(), result.err
    assert "Traceback" not in result.err
    assert tree_digest(site.out) == before
    leftovers = temporary_files(site.root)
    assert leftovers == []


def test_a_missing_partial_is_named_with_what_it_holds(make_site, run):
    site = make_site()
    assert run().code == 0
    before = tree_digest(site.out)
    (site.root / "content/partials/red-flags.md").unlink()
    result = run()
    assert result.code == 1
    assert ("content/partials/red-flags.md: is missing: it holds the signs that need help now, "
            "on every worksheet and the home page; create it with a title and the words (see "
            "AUTHORING.md)") in result.err.splitlines(), result.err
    assert tree_digest(site.out) == before


def test_link_to_a_file_outside_content_is_refused(make_site, run, tmp_path):
    site = make_site()
    outside = tmp_path.parent / f"{tmp_path.name}-secret.png"
    outside.write_bytes(b"private")
    (site.root / "content/images").mkdir(exist_ok=True)
    (site.root / "content/images/pose.png").symlink_to(outside)
    result = run()
    assert result.code == 1
    assert "content/images/pose.png: is a link to a file outside content/images; copy the " \
           "file in instead" in result.err
    assert not site.out.exists()


def test_every_error_is_reported_in_one_run_sorted(make_site, run):
    site = make_site({
        ROUTINE: BASE_FILES[ROUTINE].replace("figure-four", "nope"),
        STRETCH: BASE_FILES[STRETCH].replace("position: seated", "position: sat")
                                    .replace("reps: 3", "reps: 0"),
        "content/pages/safety.md": "---\ntitle: S\n---\n<script>x()</script>\n\n"
                                   "[gone](../pages/gone.md)\n",
    })
    # The broken stretch is still known by name: the routine's reference to it is fine.
    result = run()
    lines = result.err.splitlines()
    assert result.code == 1
    problems = lines[:-1]
    assert len(problems) == 5, lines
    locations = [(p.split(":")[0], int(p.split(":")[1])) for p in problems]
    assert locations == sorted(locations)
    assert lines[-1] == "5 problem(s) found; nothing was written."
    assert "content/pages/safety.md:4: <script> is not allowed in content" in problems
    assert "content/pages/safety.md:6: link to '../pages/gone.md' points at no page or file" \
        in problems
    assert any("steps[0].stretch: no stretch 'nope'" in p for p in problems)
    assert not site.out.exists()


def test_a_file_with_many_problems_shows_its_first_and_says_how_many_more(make_site, run):
    links = "".join(f"See [part {n}](gone-{n}.md).\n\n" for n in range(SHOWN_PER_FILE + 7))
    site = make_site({
        STRETCH: BASE_FILES[STRETCH] + "\n" + links,
        "content/pages/safety.md": "---\ntitle: S\n---\n[gone](../pages/gone.md)\n",
    })
    result = run()
    lines = result.err.splitlines()
    assert result.code == 1
    shown = [line for line in lines if line.startswith(STRETCH)]
    assert len(shown) == SHOWN_PER_FILE + 1, lines
    assert all("gone-" in line for line in shown[:-1])
    assert shown[0].endswith("link to 'gone-0.md' points at no page or file")
    assert shown[-1] == f"{STRETCH}: 7 more problems in this file are not shown; fix these " \
                        "and build again to see them"
    # Another file's problems are all there, and the count is of every problem.
    assert "content/pages/safety.md:4: link to '../pages/gone.md' points at no page or file" \
        in lines
    assert lines[-1] == f"{SHOWN_PER_FILE + 8} problem(s) found; nothing was written."
    assert not site.out.exists()


def test_check_lists_problems_and_writes_nothing(make_site, run):
    site = make_site(_edit(STRETCH, "muscles: [hamstrings]", "muscles: [hamstring]"))
    result = run("check")
    assert result.code == 1
    assert "unknown muscle 'hamstring' (did you mean 'hamstrings'?)" in result.err
    assert not site.out.exists()


def test_check_passes_clean_site_and_writes_nothing(make_site, run):
    site = make_site()
    result = run("check")
    assert result.code == 0, result.err
    assert result.out.startswith("No problems:")
    assert not site.out.exists()
