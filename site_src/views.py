"""Views: the plain dicts templates see, and the list of pages to render.

Templates never see models or the graph. Every page of the site is one
`PageSpec`: its route, its template, the fingerprints of what it is made from,
and the view that makes its context (`Views`). A page is made from the catalog
(the settings and every document's fields but its DETAILS), and from the
rendered bodies and the DETAILS fields of the documents it shows, and declares
those; so a build that finds a page's inputs as they were reuses the page
without making its context, and a build after an edit that kept the catalog
makes again only the specs of the pages showing the documents edited. A
routine's worksheet is the same routine view in a second output format.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from markupsafe import Markup

from . import search as search_index
from . import timing, urls
from .digest import digest
from .drawing import bodymap
from .facets import FACET, FACETS, regions_of
from .figures import Drawings, Figure
from .graph import Entry, Site, by_title, dose
from .models import REGIONS, VIDEO_PLAYERS, Muscle, Page, Routine, Stretch, video_player
from .qr import qr_svg

SIMILAR = 4  # stretches of the same main muscle shown on a stretch page


class PageSpec(NamedTuple):  # a site has one per page
    route: str
    template: str
    inputs: tuple[str, ...]  # fingerprints of everything its context is made from
    view: tuple[str, ...]  # how Views.context makes it: a view's name and its arguments
    shows: tuple[tuple[str, str], ...]  # the entries whose rendered bodies it shows: (kind,
    details: tuple[tuple[str, str], ...]  # slug); and those whose DETAILS fields it shows


# Output formats of a routine: same data, another template and address.
# A routine's page shows each stretch's how-to steps; its worksheet, printed, does not.
ROUTINE_FORMATS: tuple[tuple[str, Callable[[str], str], bool], ...] = (
    ("routine.html", urls.routine, True),
    ("worksheet.html", urls.worksheet, False),
)


def plural(count: int, word: str) -> str:
    """plural(1, 'stretch') -> '1 stretch'; plural(2, 'stretch') -> '2 stretches'."""
    many = word + ("es" if word.endswith(("ch", "sh", "s", "x")) else "s")
    return f"{count} {word if count == 1 else many}"


def duration(seconds: int, short: bool = False) -> str:
    """90 -> '1 minute 30 seconds', or '1 min 30 s' when short."""
    minutes, rest = divmod(seconds, 60)
    parts = []
    if minutes:
        parts.append(f"{minutes} min" if short else plural(minutes, "minute"))
    if rest:
        parts.append(f"{rest} s" if short else plural(rest, "second"))
    return " ".join(parts)


def dosage(hold: int | None, reps: int | None, sets: int | None, each_side: bool,
           short: bool = False) -> str:
    """'Hold 30 seconds, 3 times, each side' ('Hold 30 s, ...' when short); '' if none."""
    parts = []
    if hold:
        parts.append(f"Hold {duration(hold, short)}")
    if reps:
        times = {1: "once", 2: "twice"}.get(reps, f"{reps} times")
        parts.append(times if hold else f"Repeat {times}")
    if sets:
        parts.append(f"{plural(sets, 'set')}")
    if each_side:
        parts.append("each side")
    text = ", ".join(parts)
    return text[:1].upper() + text[1:]


def static_urls(static: Mapping[str, bytes], base: urls.Base) -> dict[str, str]:
    """'style.css' -> '/limber/static/style.css?v=<hash>', so browsers never keep stale files."""
    return {name: f"{base.href(urls.static(name))}?v={hashlib.sha256(data).hexdigest()[:10]}"
            for name, data in sorted(static.items())}


def _need(choice: tuple[str, ...]) -> str:
    """('strap', 'towel') -> 'Strap or towel'; ('foam-roller',) -> 'Foam roller'."""
    return " or ".join(kind.replace("-", " ") for kind in choice).capitalize()


def _stretch_card(site: Site, drawings: Drawings, entry: Entry[Stretch]) -> dict[str, Any]:
    """The short form of a stretch, for lists: with its stretch drawing as a thumbnail,
    and the facet values the filter bar narrows by."""
    meta = entry.meta
    main = site.muscles[meta.muscles[0]]
    frames = drawings.figures.get(entry.slug)
    return {
        "slug": entry.slug,
        "title": meta.title,
        "summary": meta.summary,
        "href": site.base.href(entry.route),
        "url": site.base.absolute(entry.route),
        "position": FACET["positions"].label(meta.position),
        "difficulty": meta.difficulty.capitalize(),
        "main_muscle_name": main.meta.name,
        "needs": ", ".join(_need(c) for c in meta.equipment) or "No equipment",
        "dosage": dosage(meta.hold_seconds, meta.reps, meta.sets, meta.each_side),
        "thumb": _figure(frames["end"]) if frames else None,
        "filters": {facet.name: " ".join(facet.values(site, meta)) for facet in FACETS},
    }


class _Cards:
    """Each stretch's card, made once a build: a library lists a stretch on many pages
    (its facets, its muscles, its neighbours, the build-your-own sheet)."""

    def __init__(self, site: Site, drawings: Drawings) -> None:
        self.site, self.drawings = site, drawings
        self.made: dict[str, dict[str, Any]] = {}

    def __call__(self, entry: Entry[Stretch]) -> dict[str, Any]:
        card = self.made.get(entry.slug)
        if card is None:
            card = self.made[entry.slug] = _stretch_card(self.site, self.drawings, entry)
        return card


def _practical(meta: Stretch) -> dict[str, list[str]]:
    """What a person needs at hand: equipment, cues and cautions."""
    return {"equipment": [_need(c) for c in meta.equipment], "cues": list(meta.cues),
            "cautions": list(meta.cautions)}


def _muscle_link(site: Site, muscle_id: str) -> dict[str, str]:
    entry = site.muscles[muscle_id]
    return {"name": entry.meta.name, "href": site.base.href(entry.route),
            "url": site.base.absolute(entry.route), "aliases": list(entry.meta.aliases)}


def json_script(data: dict[str, Any]) -> Markup:
    """Data for a <script> element: sorted keys, and no '<', '>' or '&' that could end the
    script early."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e")
                  .replace("&", "\\u0026"))


def json_ld(data: dict[str, Any]) -> Markup:
    """Structured data for search engines."""
    return json_script({"@context": "https://schema.org", **data})


def _self_check(site: Site) -> str | None:
    """The self-assessment page, which the player's last screen points to, if there is one."""
    page = site.pages.get("self-assessment")
    return site.base.href(page.route) if page else None


def _iso_duration(seconds: int) -> str:
    """90 -> 'PT1M30S', as schema.org durations are written."""
    minutes, rest = divmod(seconds, 60)
    return "PT" + (f"{minutes}M" if minutes else "") + (f"{rest}S" if rest or not minutes
                                                       else "")


def _stretch_json_ld(view: dict[str, Any], url: str) -> Markup:
    """A stretch page as a MedicalWebPage about its muscles, the main target first."""
    muscles = [view["main_muscle"], *view["other_muscles"]]
    data: dict[str, Any] = {
        "@type": "MedicalWebPage", "name": view["title"], "description": view["summary"],
        "url": url,
        "about": [{"@type": "Muscle", "name": m["name"], "url": m["url"]} for m in muscles],
        "mainEntity": {"@type": "ExercisePlan", "name": view["title"],
                       "exerciseType": "Stretching", **_exercise(view)},
    }
    if view["last_reviewed"]:
        data["lastReviewed"] = view["last_reviewed"]["iso"]
    return json_ld(data)


def _exercise(dose: dict[str, Any]) -> dict[str, Any]:
    """Hold and repetitions of a stretch or routine step, in schema.org's words."""
    out: dict[str, Any] = {}
    if dose.get("hold_seconds"):
        out["activityDuration"] = _iso_duration(dose["hold_seconds"])
    if dose.get("reps"):
        out["repetitions"] = dose["reps"]
    return out


def _routine_json_ld(view: dict[str, Any], url: str) -> Markup:
    """A routine as an ExercisePlan: its length, how often, and each stretch's dose."""
    return json_ld({
        "@type": "ExercisePlan", "name": view["title"], "description": view["summary"],
        "url": url, "exerciseType": "Stretching",
        "activityDuration": _iso_duration(view["minutes"] * 60),  # about: whole minutes
        "activityFrequency": view["frequency"],
        "hasPart": [{"@type": "ExercisePlan", "name": step["stretch"]["title"],
                     "url": step["stretch"]["url"], "position": step["number"],
                     **_exercise(step)} for step in view["steps"]],
    })


def _figure(figure: Figure) -> dict[str, Any]:
    return {"src": figure.src, "alt": figure.alt, "caption": figure.caption,
            "width": figure.width, "height": figure.height,
            "wide": figure.width > 1.3 * figure.height}  # lying down: stacked on a card


def _figures(drawings: Drawings, slug: str) -> dict[str, Any]:
    """A stretch's drawings: 'pair' (start, end) and 'loop' (or None); empty without a pose."""
    frames = drawings.figures.get(slug)
    if not frames:
        return {"pair": [], "loop": None}
    return {"pair": [_figure(frames["start"]), _figure(frames["end"])],
            "loop": _figure(frames["loop"]) if "loop" in frames else None}


def _map_image(drawings: Drawings, entry: Entry, alt: str) -> dict[str, Any]:
    """A page's body map: the shared file that marks its areas, and what it shows in words."""
    width, height = bodymap.VIEWBOX[2:]
    return {"src": drawings.maps[entry.route], "alt": alt, "width": width, "height": height}


def _facet_link(site: Site, facet: str, value: str, label: str | None = None) -> dict[str, str]:
    return {"label": label or FACET[facet].label(value),
            "href": site.base.href(urls.facet(facet, value))}


def _facet_links(site: Site, meta: Stretch) -> dict[str, Any]:
    """A stretch's position, equipment and difficulty, each a link to its facet page."""
    return {
        "position": _facet_link(site, "positions", meta.position),
        "equipment": [[_facet_link(site, "equipment", kind,
                                   kind.replace("-", " ") if index else None)
                       for index, kind in enumerate(choice)] for choice in meta.equipment],
        "difficulty": _facet_link(site, "difficulty", meta.difficulty),
    }


def _facet_index(site: Site, name: str,
                 found: Mapping[str, list[Entry[Stretch]]]) -> dict[str, Any]:
    """The values of one facet in use, each with its count: an index page, and the
    sibling links on each of its pages."""
    facet = FACET[name]
    return {"name": name, "title": facet.title, "lead": facet.lead, "param": facet.param,
            "href": site.base.href(urls.facet(name)),
            "options": [{**_facet_link(site, name, value), "value": value,
                        "count": len(entries), "count_text": plural(len(entries), "stretch")}
                       for value, entries in found.items()]}


def _facet_page(site: Site, card: _Cards, name: str, value: str,
                entries: list[Entry[Stretch]], index: dict[str, Any]) -> dict[str, Any]:
    facet = FACET[name]
    cards = [card(e) for e in entries]
    groups = [{"title": None, "stretches": cards}]
    if name == "regions":  # filed aimed-here first: those, then the ones that also reach it
        aimed = sum(1 for e in entries if regions_of(site, e.meta)[0] == value)
        groups = [{"title": "Aimed here", "stretches": cards[:aimed]},
                  {"title": "Also reach here", "stretches": cards[aimed:]}]
    return {"name": name, "value": value, "facet_title": facet.title,
            "label": facet.label(value), "count_text": plural(len(cards), "stretch"),
            "groups": [g for g in groups if g["stretches"]], "siblings": index}


def _uses(site: Site) -> dict[str, list[dict[str, Any]]]:
    """stretch slug -> the routines that use it, with the step number(s), by title."""
    uses: dict[str, list[dict[str, Any]]] = {}
    for routine in sorted(site.routines.values(),
                          key=by_title):
        numbers: dict[str, list[int]] = {}
        for number, step in enumerate(routine.meta.steps, start=1):
            numbers.setdefault(step.stretch, []).append(number)
        for slug, found in numbers.items():
            uses.setdefault(slug, []).append({
                "title": routine.meta.title, "href": site.base.href(urls.routine(routine.slug)),
                "steps": " and ".join(str(n) for n in found),
                "plural": len(found) > 1})
    return uses


def _similar(card: _Cards, entry: Entry[Stretch],
             by_target: Mapping[str, list[Entry[Stretch]]]) -> list[dict[str, Any]]:
    """Up to SIMILAR other stretches with the same main target, by title; by_target: each
    muscle's stretches aimed at it first, sorted once for all."""
    same = [e for e in by_target[entry.meta.muscles[0]][:SIMILAR + 1] if e is not entry]
    return [card(e) for e in same[:SIMILAR]]


def _stretch(site: Site, entry: Entry[Stretch], drawings: Drawings, card: _Cards,
             uses: Mapping[str, list[dict[str, Any]]],
             by_target: Mapping[str, list[Entry[Stretch]]]) -> dict[str, Any]:
    meta = entry.meta
    main = site.muscles[meta.muscles[0]].meta.name
    others = [site.muscles[m].meta.name for m in [*meta.muscles[1:], *meta.secondary_muscles]]
    map_title = f"Body map: the {main.lower()} marked as the main target" + (
        f"; also stretched: {', '.join(o.lower() for o in others)}" if others else "")
    image = None
    if meta.image:
        image = {"src": site.base.href(urls.image(meta.image) or ""), "alt": meta.image_alt}
    return {
        **card(entry),
        "facets": _facet_links(site, meta),
        "routines": uses.get(entry.slug, []),
        "similar": _similar(card, entry, by_target),
        "main_muscle": _muscle_link(site, meta.muscles[0]),
        "other_muscles": [_muscle_link(site, m) for m in [*meta.muscles[1:],
                                                          *meta.secondary_muscles]],
        "other_aliases": [alias for m in [*meta.muscles[1:], *meta.secondary_muscles]
                          for alias in site.muscles[m].meta.aliases],
        **_practical(meta),
        "body": Markup(entry.html),
        "figures": _figures(drawings, entry.slug),
        "hold_seconds": meta.hold_seconds,
        "reps": meta.reps,
        "body_map": _map_image(drawings, entry, map_title),
        "image": image,
        "video": {"href": meta.video, "player": video_player(meta.video),
                  "host": urlsplit(meta.video).hostname.removeprefix("www.")}
        if meta.video else None,
        **_provenance(meta),
    }


def _provenance(meta: Stretch | Page) -> dict[str, Any]:
    """Where a page's facts come from, and when it was last checked against them."""
    return {
        "sources": [{"title": s.title, "url": s.url} for s in meta.sources],
        "last_reviewed": ({"iso": meta.last_reviewed.isoformat(),
                           "text": f"{meta.last_reviewed.day} {meta.last_reviewed:%B %Y}"}
                          if meta.last_reviewed else None),
    }


def _sorted_stretches(site: Site, slugs: Iterable[str] | None = None) -> list[Entry[Stretch]]:
    entries = [site.stretches[s] for s in (site.stretches if slugs is None else slugs)]
    return sorted(entries, key=by_title)


def _muscle_summary(site: Site, entry: Entry[Muscle]) -> dict[str, Any]:
    count = len(site.primary[entry.slug]) + len(site.secondary[entry.slug])
    return {
        "slug": entry.slug,
        "name": entry.meta.name,
        "href": site.base.href(entry.route),
        "aliases": list(entry.meta.aliases),
        "count": count,
        "count_text": plural(count, "stretch"),
    }


def _regions(site: Site) -> list[dict[str, Any]]:
    regions = []
    for region in REGIONS:
        members = sorted((m for m in site.muscles.values() if m.meta.region == region),
                         key=lambda m: (m.meta.name.casefold(), m.slug))
        if members:
            regions.append({"id": region, "name": FACET["regions"].label(region),
                            "href": site.base.href(urls.facet("regions", region)),
                            "muscles": [_muscle_summary(site, m) for m in members]})
    return regions


def _muscle(site: Site, drawings: Drawings, card: _Cards,
            entry: Entry[Muscle]) -> dict[str, Any]:
    title = f"Body map with the {entry.meta.name.lower()} marked"
    return {
        **_muscle_summary(site, entry),
        "body_map": _map_image(drawings, entry, title),
        "region": FACET["regions"].label(entry.meta.region),
        "region_href": site.base.href(urls.facet("regions", entry.meta.region)),
        "body": Markup(entry.html),
        "primary": [card(e) for e in _sorted_stretches(site, site.primary[entry.slug])],
        "secondary": [card(e) for e in _sorted_stretches(site, site.secondary[entry.slug])],
    }


def _step(drawings: Drawings, card: _Cards, number: int, stretch: Entry[Stretch],
          hold: int | None = None, reps: int | None = None,
          note: str | None = None) -> dict[str, Any]:
    """One card of a worksheet: a stretch with the dosage this routine asks for."""
    meta = stretch.meta
    hold, reps = hold or meta.hold_seconds, reps or meta.reps
    return {
        "number": number,
        # Only what a card shows, since a page is rendered again when what it is given
        # changes: not the how-to steps, which only a routine's page adds (_with_how_to).
        "stretch": {**card(stretch), **_practical(meta),
                    "figures": _figures(drawings, stretch.slug)["pair"]},
        "hold_seconds": hold,
        "reps": reps,
        "timed": dose(meta, hold, reps),  # for the player: what counts, with its defaults
        "dosage": dosage(hold, reps, meta.sets, meta.each_side),
        "dosage_short": dosage(hold, reps, meta.sets, meta.each_side, short=True),
        "note": note,
    }


def _with_how_to(site: Site, routine: dict[str, Any]) -> dict[str, Any]:
    """A routine's view with each stretch's how-to steps, for its page, which shows them:
    an edit to the steps renders that page again, and not the worksheet."""
    return {**routine, "steps": [
        {**step, "stretch": {**step["stretch"], "body": Markup(
            site.stretches[step["stretch"]["slug"]].html)}} for step in routine["steps"]]}


def _play_step(step: dict[str, Any]) -> dict[str, Any]:
    """What the routine player needs of one step: its name, drawings, cues and dose."""
    return {"slug": step["stretch"]["slug"], "title": step["stretch"]["title"],
            "href": step["stretch"]["href"],
            "cues": step["stretch"]["cues"], "note": step["note"],
            "dose": step["dosage"], "hold": step["timed"].hold,
            "reps": step["timed"].reps, "sets": step["timed"].sets,
            "sides": step["timed"].sides,
            "figures": [{"src": f["src"], "alt": f["alt"], "caption": f["caption"]}
                        for f in step["stretch"]["figures"]]}


def _play_plan(site: Site, slug: str, steps: list[dict[str, Any]]) -> Markup:
    """What the routine player needs, as JSON for the page: each step (_play_step), and
    the site's set-up, rest and move times. The build-your-own sheet's plan ('custom')
    has no steps: the player plays the cards on the sheet, each of which brought its own
    (custom_card)."""
    rules = site.config.timing
    return json_script({
        "routine": slug,
        "timing": {"setup": rules.setup_seconds, "rest": rules.rest_seconds,
                   "move": rules.move_seconds},
        "steps": [_play_step(step) for step in steps],
    })


def _routine(site: Site, drawings: Drawings, card: _Cards, entry: Entry[Routine],
             pdf: bool) -> dict[str, Any]:
    meta = entry.meta
    worksheet_url = site.base.absolute(urls.worksheet(entry.slug))
    steps = [_step(drawings, card, number, site.stretches[step.stretch], step.hold_seconds,
                   step.reps, step.note) for number, step in enumerate(meta.steps, start=1)]
    return {
        "slug": entry.slug,
        "title": meta.title,
        "summary": meta.summary,
        **_routine_time(site, entry.slug),
        "frequency": meta.frequency,
        "href": site.base.href(urls.routine(entry.slug)),
        "worksheet_href": site.base.href(urls.worksheet(entry.slug)),
        "worksheet_url": worksheet_url,
        "pdf_href": site.base.href(urls.worksheet_pdf(entry.slug)) if pdf else None,
        "qr": Markup(qr_svg(worksheet_url, "QR code: this worksheet online")),
        "body": Markup(entry.html),
        "steps": steps,
        "plan": _play_plan(site, entry.slug, steps),
        "self_check": _self_check(site),
    }


def _routine_time(site: Site, slug: str) -> dict[str, Any]:
    """A routine's time, worked out from its steps: 'minutes' (9) and 'time' ('About 9
    minutes')."""
    seconds = site.durations[slug]
    return {"minutes": timing.minutes(seconds), "time": timing.about(seconds)}


def _routine_card(site: Site, entry: Entry[Routine]) -> dict[str, Any]:
    return {
        "title": entry.meta.title,
        "summary": entry.meta.summary,
        **_routine_time(site, entry.slug),
        "frequency": entry.meta.frequency,
        "count": len(entry.meta.steps),
        "href": site.base.href(urls.routine(entry.slug)),
        "worksheet_href": site.base.href(urls.worksheet(entry.slug)),
    }


# Every page may load only the site's own files: no tracker, font or script from elsewhere.
# Styles may be inline (the print margins, the drawings' own); Pagefind's search runs
# WebAssembly; a video's player is framed from its host only after the reader asks.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'", "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self' 'unsafe-inline'", "img-src 'self' data:", "object-src 'none'",
    "base-uri 'self'", "form-action 'self'",
    "frame-src " + " ".join(sorted(f"https://{urlsplit(player).hostname}"
                                   for player in VIDEO_PLAYERS.values())),
])


def site_context(site: Site, static: Mapping[str, bytes], search: bool = True) -> dict[str, Any]:
    """What every template sees as `site`."""
    sections = {"stretches": site.base.href(urls.STRETCHES),
                "muscles": site.base.href(urls.MUSCLES),
                "routines": site.base.href(urls.ROUTINES)}
    nav = [{"title": name.capitalize(), "href": href} for name, href in sections.items()]
    sections["my_worksheet"] = site.base.href(urls.CUSTOM_WORKSHEET)
    sections["no_equipment"] = site.base.href(urls.facet("equipment", "none"))
    sections["search"] = site.base.href(urls.SEARCH) if search else None
    menu_pages = sorted((p for p in site.pages.values() if p.meta.nav_order is not None),
                        key=lambda p: (p.meta.nav_order, p.meta.title.casefold()))
    nav += [{"title": p.meta.title, "href": site.base.href(p.route)} for p in menu_pages]
    return {
        "title": site.config.title,
        "description": site.config.description,
        "language": site.config.language,
        "base_url": site.base.url,
        "home": site.base.href(urls.HOME),
        "sections": sections,
        "nav": nav,
        "disclaimer": Markup(site.disclaimer_html),
        "disclaimer_short": site.config.disclaimer_short,
        "content_security_policy": CONTENT_SECURITY_POLICY,
        "partials": {name: {"title": entry.meta.title, "body": Markup(entry.html)}
                     for name, entry in site.partials.items()},
        "static": static_urls(static, site.base),
        "map_key": {level: Markup(bodymap.swatch(level)) for level in bodymap.LEVELS},
    }


def _muscle_map(site: Site) -> Markup:
    """The body map on /muscles/: each muscle's own area links to its page."""
    links = {}
    for entry in site.muscles.values():
        if site.primary[entry.slug] or site.secondary[entry.slug]:
            count = len(site.primary[entry.slug]) + len(site.secondary[entry.slug])
            links[entry.meta.body_map[0]] = (site.base.href(entry.route),
                                             f"{entry.meta.name}: {plural(count, 'stretch')}")
    return Markup(bodymap.body_map({}, links, title="Body map: choose a muscle to see its "
                                   "stretches", id_prefix="map"))


def _ways(site: Site, facets: Mapping[str, Mapping[str, list[Entry[Stretch]]]],
          routines: list[dict[str, Any]]) -> list[dict[str, str]]:
    """The home page's "What do you need?" entries, each only when it leads somewhere."""
    ways = []
    for name, value, title, text in (
            ("equipment", "chair", "Stretch in a chair", "Sit down and loosen up."),
            ("equipment", "none", "No equipment", "Nothing to fetch: start now."),
            ("regions", "lower-back", "Lower back", "Ease a stiff or sore lower back."),
            ("positions", "off-the-floor", "I can\u2019t get down on the floor",
             "Standing, or sitting on a chair.")):
        if value in facets[name]:
            ways.append({"title": title, "text": text,
                         "href": site.base.href(urls.facet(name, value))})
    short = min(routines, key=lambda r: (r["minutes"], r["title"]), default=None)
    if short:
        article = "An" if str(short["minutes"]).startswith("8") or short["minutes"] in (11, 18) \
            else "A"
        ways.insert(3, {"title": f"{article} {short['minutes']}-minute routine",
                        "text": short["title"], "href": short["href"]})
    return ways


class Views:
    """The pages of one build of the site (`specs`), and the context of each (`context`).
    What many pages show is made the first time a page asks for it: a build that finds
    most pages as they were never makes the lists those pages show."""

    def __init__(self, site: Site, drawings: Drawings,
                 filing: Mapping[str, Mapping[str, tuple[str, ...]]], known: str,
                 pdf: bool = False, search: bool = True) -> None:
        """`filing` is facets.filed(site), and `known` the site's catalog."""
        self.site, self.drawings, self.filing = site, drawings, filing
        self.known, self.pdf, self.search = known, pdf, search
        self.card = _Cards(site, drawings)
        self._routine_views: dict[str, dict[str, Any]] = {}  # slug -> view, both formats
        self._listed: list[str] = []  # the routes the sitemap lists, as specs() made them

    @functools.cached_property
    def ordered(self) -> list[Entry[Stretch]]:
        """Every stretch, in the order lists show them."""
        return _sorted_stretches(self.site)

    @functools.cached_property
    def all_stretches(self) -> list[dict[str, Any]]:
        return [self.card(e) for e in self.ordered]

    @functools.cached_property
    def routines(self) -> list[dict[str, Any]]:
        return [_routine_card(self.site, r) for r in sorted(self.site.routines.values(),
                                                             key=by_title)]

    @functools.cached_property
    def regions(self) -> list[dict[str, Any]]:
        return _regions(self.site)

    @functools.cached_property
    def facets(self) -> dict[str, dict[str, list[Entry[Stretch]]]]:
        return {name: {value: [self.site.stretches[slug] for slug in slugs]
                       for value, slugs in found.items()}
                for name, found in self.filing.items()}

    @functools.cached_property
    def indexes(self) -> dict[str, dict[str, Any]]:
        return {name: _facet_index(self.site, name, found) for name, found in self.facets.items()}

    @functools.cached_property
    def uses(self) -> dict[str, list[dict[str, Any]]]:
        return _uses(self.site)

    @functools.cached_property
    def by_target(self) -> dict[str, list[Entry[Stretch]]]:
        rank = {entry.slug: number for number, entry in enumerate(self.ordered)}
        return {muscle: [self.site.stretches[slug] for slug in sorted(slugs, key=rank.__getitem__)]
                for muscle, slugs in self.site.primary.items()}

    def specs(self, previous: list[PageSpec] | None = None, before: Site | None = None
              ) -> list[PageSpec]:
        """Every page of the site, in a stable order, each with the fingerprint of its
        inputs. Given the pages `previous` made for the site `before`, whose catalog was
        this one's, those: but for the pages that show a document whose rendered body or
        DETAILS fields changed, made again (the others would be made as they were)."""
        if previous is not None and before is not None:
            changed = {(kind, slug) for kind in _SHOWN
                       for slug, entry in getattr(self.site, kind).items()
                       if (old := getattr(before, kind).get(slug)) is not entry and (
                           old is None or old.html_key != entry.html_key
                           or old.doc.details != entry.doc.details)}
            specs = [spec if changed.isdisjoint(spec.shows) and changed.isdisjoint(spec.details)
                     else self._spec(spec.route, spec.template, spec.view, spec.shows,
                                     spec.details) for spec in previous]
        else:
            specs = self._all()
        self._listed = [spec.route for spec in specs  # the HTML pages, but for two
                        if spec.template.endswith(".html")  # not for search engines
                        and spec.route not in (urls.NOT_FOUND, urls.SEARCH)]
        return specs

    def context(self, spec: PageSpec) -> dict[str, Any]:
        """What the template of the page sees."""
        return getattr(self, f"_{spec.view[0]}")(*spec.view[1:])

    def _spec(self, route: str, template: str, view: tuple[str, ...],
              shows: tuple[tuple[str, str], ...] = (),
              details: tuple[tuple[str, str], ...] = ()) -> PageSpec:
        """A page at `route` whose context the view makes from the catalog, the rendered
        bodies of the entries `shows` and the DETAILS fields of `details` ((kind, slug)
        each), and nothing else."""
        site = self.site
        return PageSpec(route, template, (
            self.known, *[getattr(site, kind)[slug].html_key for kind, slug in shows], "",
            *[getattr(site, kind)[slug].doc.details for kind, slug in details]),
            view, shows, details)

    def _all(self) -> list[PageSpec]:
        site, spec = self.site, self._spec
        specs = [spec(urls.HOME, "home.html", ("home",)),
                 spec(urls.STRETCHES, "stretches.html", ("stretches",))]
        specs += [spec(entry.route, "stretch.html", ("stretch", entry.slug),
                       own := (("stretches", entry.slug),), own) for entry in self.ordered]
        for name, found in self.filing.items():
            specs.append(spec(urls.facet(name), "facets.html", ("facet_index", name)))
            specs += [spec(urls.facet(name, value), "facet.html", ("facet_page", name, value))
                      for value in found]
        specs.append(spec(urls.MUSCLES, "muscles.html", ("muscles",)))
        specs += [spec(entry.route, "muscle.html", ("muscle", slug), (("muscles", slug),))
                  for slug, entry in site.muscles.items()]
        specs.append(spec(urls.ROUTINES, "routines.html", ("routines",)))
        for slug, entry in site.routines.items():
            steps = tuple(("stretches", step.stretch) for step in entry.meta.steps)
            for number, (template, route_of, how_to) in enumerate(ROUTINE_FORMATS):
                specs.append(spec(route_of(slug), template, ("routine", slug, str(number)),
                                  (("routines", slug), *(steps if how_to else ())), steps))
        specs += [spec(entry.route, "page.html", ("content", slug), (("pages", slug),))
                  for slug, entry in site.pages.items()]
        specs.append(spec(urls.CUSTOM_WORKSHEET, "worksheet_custom.html", ("custom_worksheet",)))
        if self.search:
            specs.append(spec(urls.SEARCH, "search.html", ("search",)))
        specs.append(spec(urls.NOT_FOUND, "404.html", ("not_found",)))
        specs.append(spec(urls.SITEMAP, "sitemap.xml", ("sitemap",)))
        specs.append(spec(urls.ROBOTS, "robots.txt", ("robots",)))
        # Not pages but what the build-your-own sheet fetches for each stretch put on it, so
        # that it needn't carry every stretch (megabytes, in a big library).
        specs += [spec(urls.custom_card(entry.slug), "worksheet_card.json",
                       ("custom_card", entry.slug), (), (("stretches", entry.slug),))
                  for entry in self.ordered]
        return specs

    # The views, each named in PageSpec.view.
    def _page(self, route: str, title: str, description: str = "",
              json_ld: Markup | None = None) -> dict[str, Any]:
        site = self.site
        return {"title": title, "description": description or site.config.description,
                "href": site.base.href(route), "canonical": site.base.absolute(route),
                "route": route, "json_ld": json_ld}

    def _home(self) -> dict[str, Any]:
        return {"page": self._page(urls.HOME, self.site.config.title),
                "regions": self.regions, "routines": self.routines,
                "stretch_count": len(self.site.stretches),
                "ways": _ways(self.site, self.facets, self.routines)}

    def _stretches(self) -> dict[str, Any]:
        return {"page": self._page(urls.STRETCHES, "All stretches"),
                "stretches": self.all_stretches, "facets": list(self.indexes.values())}

    def _stretch(self, slug: str) -> dict[str, Any]:
        entry = self.site.stretches[slug]
        view = _stretch(self.site, entry, self.drawings, self.card, self.uses, self.by_target)
        return {"page": self._page(entry.route, entry.meta.title, entry.meta.summary,
                                   _stretch_json_ld(view, self.site.base.absolute(entry.route))),
                "stretch": view}

    def _facet_index(self, name: str) -> dict[str, Any]:
        index = self.indexes[name]
        return {"page": self._page(urls.facet(name), f"Stretches by {index['title'].lower()}",
                                   index["lead"]),
                "facet": index, "facets": list(self.indexes.values())}

    def _facet_page(self, name: str, value: str) -> dict[str, Any]:
        view = _facet_page(self.site, self.card, name, value, self.facets[name][value],
                           self.indexes[name])
        return {"page": self._page(urls.facet(name, value),
                                   f"{view['label']} · {view['facet_title']}",
                                   f"{view['count_text'].capitalize()}: "
                                   f"{view['facet_title'].lower()} {view['label'].lower()}."),
                "facet": view, "facets": list(self.indexes.values())}

    def _muscles(self) -> dict[str, Any]:
        return {"page": self._page(urls.MUSCLES, "Stretches by muscle"),
                "regions": self.regions, "body_map": _muscle_map(self.site)}

    def _muscle(self, slug: str) -> dict[str, Any]:
        entry = self.site.muscles[slug]
        return {"page": self._page(entry.route, entry.meta.name),
                "muscle": _muscle(self.site, self.drawings, self.card, entry)}

    def _routines(self) -> dict[str, Any]:
        return {"page": self._page(urls.ROUTINES, "Routines"), "routines": self.routines}

    def _routine(self, slug: str, number: str) -> dict[str, Any]:
        entry = self.site.routines[slug]
        _template, route_of, how_to = ROUTINE_FORMATS[int(number)]
        if slug not in self._routine_views:  # one for both formats
            self._routine_views[slug] = _routine(self.site, self.drawings, self.card, entry,
                                                 self.pdf)
        view = self._routine_views[slug]
        shown = _with_how_to(self.site, view) if how_to else view
        route = route_of(slug)
        return {"page": self._page(route, entry.meta.title, entry.meta.summary,
                                   _routine_json_ld(shown, self.site.base.absolute(route))),
                "routine": shown}

    def _content(self, slug: str) -> dict[str, Any]:
        entry = self.site.pages[slug]
        return {"page": self._page(entry.route, entry.meta.title, entry.meta.summary),
                "content": {"title": entry.meta.title, "body": Markup(entry.html),
                            **_provenance(entry.meta)}}

    def _custom_worksheet(self) -> dict[str, Any]:
        return {"page": self._page(urls.CUSTOM_WORKSHEET, "My worksheet", "Build and print "
                                   "your own worksheet from any of the stretches."),
                "plan": _play_plan(self.site, "custom", []), "self_check": _self_check(self.site)}

    def _search(self) -> dict[str, Any]:
        base = self.site.base
        return {"page": self._page(urls.SEARCH, "Search",
                                   "Search the stretches, muscles and routines."),
                "pagefind": {"css": base.href(search_index.FOLDER + "/pagefind-ui.css"),
                             "ui": base.href(search_index.FOLDER + "/pagefind-ui.js")}}

    def _not_found(self) -> dict[str, Any]:
        return {"page": self._page(urls.NOT_FOUND, "Page not found")}

    def _sitemap(self) -> dict[str, Any]:
        return {"page": self._page(urls.SITEMAP, "Sitemap"),
                "locations": sorted(map(self.site.base.absolute, self._listed))}

    def _robots(self) -> dict[str, Any]:
        return {"page": self._page(urls.ROBOTS, "Robots"),
                "sitemap": self.site.base.absolute(urls.SITEMAP)}

    def _custom_card(self, slug: str) -> dict[str, Any]:
        step = _step(self.drawings, self.card, 0, self.site.stretches[slug])
        return {"step": step, "play": _play_step(step)}


_SHOWN = ("stretches", "muscles", "routines", "pages")  # the kinds of entry a page shows


def catalog(site: Site, pdf: bool, search: bool) -> str:
    """A fingerprint of everything a page may show but the rendered bodies of the documents
    and their DETAILS fields: the site's listing (the settings, and every document's
    address and other fields, from which the drawings, lists, counts and times are all
    made) and the build's options."""
    return digest([site.listing, pdf, search])


