"""Views: the plain dicts templates see, and the list of pages to render.

Templates never see models or the graph. Every page of the site is one
`PageSpec`: its route, its template, and its context. A routine's worksheet
is the same routine view in a second output format.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from . import urls
from .drawing import bodymap
from .figures import Drawings, Figure
from .graph import Entry, Site
from .models import REGIONS, Muscle, Routine, Stretch
from .qr import qr_svg

REGION_LABELS = {
    "neck-shoulders": "Neck and shoulders",
    "upper-back": "Upper back",
    "lower-back": "Lower back",
    "core": "Core",
    "hips": "Hips",
    "glutes": "Glutes",
    "legs": "Legs",
}
assert set(REGION_LABELS) == set(REGIONS)

POSITION_LABELS = {"all-fours": "On all fours"}


@dataclass(frozen=True)
class PageSpec:
    route: str
    template: str
    context: dict[str, Any]


# Output formats of a routine: same data, another template and address.
ROUTINE_FORMATS: tuple[tuple[str, Callable[[str], str]], ...] = (
    ("routine.html", urls.routine),
    ("worksheet.html", urls.worksheet),
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


def _label(value: str, labels: Mapping[str, str] | None = None) -> str:
    """'foam-roller' -> 'Foam roller', unless labels name it otherwise."""
    return (labels or {}).get(value) or value.replace("-", " ").capitalize()


def _stretch_card(site: Site, entry: Entry[Stretch]) -> dict[str, Any]:
    """The short form of a stretch, for lists."""
    meta = entry.meta
    main = site.muscles[meta.muscles[0]]
    return {
        "slug": entry.slug,
        "title": meta.title,
        "summary": meta.summary,
        "href": site.base.href(entry.route),
        "position": _label(meta.position, POSITION_LABELS),
        "difficulty": meta.difficulty.capitalize(),
        "main_muscle_name": main.meta.name,
        "dosage": dosage(meta.hold_seconds, meta.reps, meta.sets, meta.each_side),
    }


def _practical(meta: Stretch) -> dict[str, list[str]]:
    """What a person needs at hand: equipment, cues and cautions."""
    return {"equipment": [_label(e) for e in meta.equipment], "cues": list(meta.cues),
            "cautions": list(meta.cautions)}


def _muscle_link(site: Site, muscle_id: str) -> dict[str, str]:
    entry = site.muscles[muscle_id]
    return {"name": entry.meta.name, "href": site.base.href(entry.route)}


@functools.lru_cache(maxsize=1024)  # pure; stretches of the same muscles share a map
def _body_map(marks: tuple[tuple[str, str], ...], links: tuple[tuple[str, tuple[str, str]], ...],
              title: str) -> Markup:
    return Markup(bodymap.body_map(dict(marks), dict(links), title=title, id_prefix="map"))


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


def _marks(site: Site, meta: Stretch) -> dict[str, str]:
    """Body-map areas of a stretch: its main target dark, the other muscles lighter."""
    marks: dict[str, str] = {}
    for muscle_id in [*meta.muscles[1:], *meta.secondary_muscles]:
        marks.update(dict.fromkeys(site.muscles[muscle_id].meta.body_map, "secondary"))
    marks.update(dict.fromkeys(site.muscles[meta.muscles[0]].meta.body_map, "main"))
    return marks


def _stretch(site: Site, entry: Entry[Stretch], drawings: Drawings) -> dict[str, Any]:
    meta = entry.meta
    main = site.muscles[meta.muscles[0]].meta.name
    others = [site.muscles[m].meta.name for m in [*meta.muscles[1:], *meta.secondary_muscles]]
    map_title = f"Body map: the {main.lower()} marked as the main target" + (
        f"; also stretched: {', '.join(o.lower() for o in others)}" if others else "")
    image = None
    if meta.image:
        image = {"src": site.base.href(urls.image(meta.image) or ""), "alt": meta.image_alt}
    return {
        **_stretch_card(site, entry),
        "main_muscle": _muscle_link(site, meta.muscles[0]),
        "other_muscles": [_muscle_link(site, m) for m in [*meta.muscles[1:],
                                                          *meta.secondary_muscles]],
        **_practical(meta),
        "body": Markup(entry.html),
        "figures": _figures(drawings, entry.slug),
        "body_map": _body_map(tuple(sorted(_marks(site, meta).items())), (), map_title),
        "image": image,
        "video": meta.video,
        "sources": [{"title": s.title, "url": s.url} for s in meta.sources],
        "last_reviewed": ({"iso": meta.last_reviewed.isoformat(),
                           "text": f"{meta.last_reviewed.day} {meta.last_reviewed:%B %Y}"}
                          if meta.last_reviewed else None),
    }


def _sorted_stretches(site: Site, slugs: Iterable[str] | None = None) -> list[Entry[Stretch]]:
    entries = [site.stretches[s] for s in (site.stretches if slugs is None else slugs)]
    return sorted(entries, key=lambda e: (e.meta.title.casefold(), e.slug))


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
            regions.append({"id": region, "name": REGION_LABELS[region],
                            "muscles": [_muscle_summary(site, m) for m in members]})
    return regions


def _muscle(site: Site, entry: Entry[Muscle]) -> dict[str, Any]:
    title = f"Body map with the {entry.meta.name.lower()} marked"
    return {
        **_muscle_summary(site, entry),
        "body_map": _body_map(tuple((area, "main") for area in entry.meta.body_map), (), title),
        "region": REGION_LABELS[entry.meta.region],
        "body": Markup(entry.html),
        "primary": [_stretch_card(site, e) for e in _sorted_stretches(site,
                                                                      site.primary[entry.slug])],
        "secondary": [_stretch_card(site, e) for e in
                      _sorted_stretches(site, site.secondary[entry.slug])],
    }


def _step(site: Site, drawings: Drawings, number: int, stretch: Entry[Stretch],
          hold: int | None = None, reps: int | None = None,
          note: str | None = None) -> dict[str, Any]:
    """One card of a worksheet: a stretch with the dosage this routine asks for."""
    meta = stretch.meta
    hold, reps = hold or meta.hold_seconds, reps or meta.reps
    return {
        "number": number,
        # Only what a routine page and a worksheet card show, so editing a stretch's
        # steps does not re-render every routine that lists it.
        "stretch": {**_stretch_card(site, stretch), **_practical(meta),
                    "figures": _figures(drawings, stretch.slug)["pair"]},
        "dosage": dosage(hold, reps, meta.sets, meta.each_side),
        "dosage_short": dosage(hold, reps, meta.sets, meta.each_side, short=True),
        "note": note,
    }


def _routine(site: Site, drawings: Drawings, entry: Entry[Routine],
             pdf: bool) -> dict[str, Any]:
    meta = entry.meta
    worksheet_url = site.base.absolute(urls.worksheet(entry.slug))
    return {
        "slug": entry.slug,
        "title": meta.title,
        "summary": meta.summary,
        "minutes": meta.minutes,
        "frequency": meta.frequency,
        "href": site.base.href(urls.routine(entry.slug)),
        "worksheet_href": site.base.href(urls.worksheet(entry.slug)),
        "worksheet_url": worksheet_url,
        "pdf_href": site.base.href(urls.worksheet_pdf(entry.slug)) if pdf else None,
        "qr": Markup(qr_svg(worksheet_url, "QR code: this worksheet online")),
        "body": Markup(entry.html),
        "steps": [_step(site, drawings, number, site.stretches[step.stretch],
                        step.hold_seconds, step.reps, step.note)
                  for number, step in enumerate(meta.steps, start=1)],
    }


def _routine_card(site: Site, entry: Entry[Routine]) -> dict[str, Any]:
    return {
        "title": entry.meta.title,
        "summary": entry.meta.summary,
        "minutes": entry.meta.minutes,
        "frequency": entry.meta.frequency,
        "count": len(entry.meta.steps),
        "href": site.base.href(urls.routine(entry.slug)),
        "worksheet_href": site.base.href(urls.worksheet(entry.slug)),
    }


def site_context(site: Site, static: Mapping[str, bytes]) -> dict[str, Any]:
    """What every template sees as `site`."""
    sections = {"stretches": site.base.href(urls.STRETCHES),
                "muscles": site.base.href(urls.MUSCLES),
                "routines": site.base.href(urls.ROUTINES)}
    nav = [{"title": name.capitalize(), "href": href} for name, href in sections.items()]
    sections["my_worksheet"] = site.base.href(urls.CUSTOM_WORKSHEET)
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
        "static": static_urls(static, site.base),
    }


def _muscle_map(site: Site) -> Markup:
    """The body map on /muscles/: each muscle's own area links to its page."""
    links = {}
    for entry in site.muscles.values():
        if site.primary[entry.slug] or site.secondary[entry.slug]:
            count = len(site.primary[entry.slug]) + len(site.secondary[entry.slug])
            links[entry.meta.body_map[0]] = (site.base.href(entry.route),
                                             f"{entry.meta.name}: {plural(count, 'stretch')}")
    return _body_map((), tuple(sorted(links.items())),
                     "Body map: choose a muscle to see its stretches")


def pages(site: Site, drawings: Drawings, pdf: bool = False) -> list[PageSpec]:
    """Every page of the site, in a stable order."""
    specs: list[PageSpec] = []

    def add(route: str, template: str, title: str, description: str = "",
            **context: Any) -> None:
        page = {"title": title, "description": description or site.config.description,
                "href": site.base.href(route), "canonical": site.base.absolute(route),
                "route": route}
        specs.append(PageSpec(route, template, {"page": page, **context}))

    all_stretches = [_stretch_card(site, e) for e in _sorted_stretches(site)]
    routines = [_routine_card(site, r) for r in sorted(
        site.routines.values(), key=lambda r: (r.meta.title.casefold(), r.slug))]
    regions = _regions(site)

    add(urls.HOME, "home.html", site.config.title, regions=regions, routines=routines,
        stretch_count=len(all_stretches))
    add(urls.STRETCHES, "stretches.html", "All stretches", stretches=all_stretches)
    for entry in _sorted_stretches(site):
        add(entry.route, "stretch.html", entry.meta.title, entry.meta.summary,
            stretch=_stretch(site, entry, drawings))
    add(urls.MUSCLES, "muscles.html", "Stretches by muscle", regions=regions,
        body_map=_muscle_map(site))
    for entry in site.muscles.values():
        add(entry.route, "muscle.html", entry.meta.name, muscle=_muscle(site, entry))
    add(urls.ROUTINES, "routines.html", "Routines", routines=routines)
    for entry in site.routines.values():
        view = _routine(site, drawings, entry, pdf)
        for template, route_of in ROUTINE_FORMATS:
            add(route_of(entry.slug), template, entry.meta.title, entry.meta.summary,
                routine=view)
    for entry in site.pages.values():
        add(entry.route, "page.html", entry.meta.title, entry.meta.summary,
            content={"title": entry.meta.title, "body": Markup(entry.html)})
    add(urls.CUSTOM_WORKSHEET, "worksheet_custom.html", "My worksheet",
        "Build and print your own worksheet from any of the stretches.",
        cards=[_step(site, drawings, 0, entry) for entry in _sorted_stretches(site)])
    add(urls.NOT_FOUND, "404.html", "Page not found")
    listed = [spec.context["page"]["canonical"] for spec in specs if spec.route != urls.NOT_FOUND]
    add(urls.SITEMAP, "sitemap.xml", "Sitemap", locations=sorted(listed))
    add(urls.ROBOTS, "robots.txt", "Robots", sitemap=site.base.absolute(urls.SITEMAP))
    return specs
