"""Facets: the ways a reader narrows the stretches, and which stretch goes where.

Each facet is a family of pages, /<facet>/<value>/, over the resolved graph:
the position, the equipment (or none), the difficulty, and the body region.
The same filing feeds the facet pages, the filter bar's data and the search
index's filters, so the three can never disagree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .graph import Site, by_title
from .models import DIFFICULTIES, EQUIPMENT, POSITIONS, REGIONS, Stretch

NONE = "none"  # the equipment value of stretches that need nothing
OFF_THE_FLOOR = "off-the-floor"  # standing, or sitting on a chair: no getting down


@dataclass(frozen=True)
class Facet:
    name: str  # its address and its filter: 'positions' -> /positions/seated/
    title: str  # 'Position'
    vocabulary: tuple[str, ...]  # every value it may take, in the order pages list them
    labels: dict[str, str]  # value -> how pages name it, where capitalizing won't do
    values: Callable[[Site, Stretch], tuple[str, ...]]  # where a stretch is filed
    lead: str  # what its index page says
    param: str  # its name in the filter bar's address: /stretches/?position=seated

    def label(self, value: str) -> str:
        return self.labels.get(value) or value.replace("-", " ").capitalize()


def off_the_floor(meta: Stretch) -> bool:
    """Done standing or on a chair: for a reader who can't get down to the floor."""
    return meta.position == "standing" or (
        meta.position == "seated" and "chair" in meta.needs)


def regions_of(site: Site, meta: Stretch) -> tuple[str, ...]:
    """The regions of every muscle a stretch reaches, the main target's first."""
    muscles = [*meta.muscles, *meta.secondary_muscles]
    return tuple(dict.fromkeys(site.muscles[m].meta.region for m in muscles))


FACETS: tuple[Facet, ...] = (
    Facet("positions", "Position", (*POSITIONS, OFF_THE_FLOOR),
          {"all-fours": "On all fours",
           OFF_THE_FLOOR: "Off the floor"},
          lambda site, meta: (meta.position,) + ((OFF_THE_FLOOR,) if off_the_floor(meta)
                                                  else ()),
          "Stretches by the position you do them in. “Off the floor” gathers the ones "
          "done standing or on a chair.", "position"),
    Facet("equipment", "Equipment", (NONE, *EQUIPMENT), {NONE: "No equipment"},
          lambda site, meta: meta.needs or (NONE,),
          "What you need at hand. Where a stretch says “strap or towel”, either will do, "
          "and it is listed under both.", "equipment"),
    Facet("difficulty", "Difficulty", DIFFICULTIES, {},
          lambda site, meta: (meta.difficulty,),
          "Start with the beginner stretches; the harder ones ask for more balance, "
          "strength or range.", "difficulty"),
    Facet("regions", "Body region", REGIONS,
          {"neck-shoulders": "Neck and shoulders", "upper-back": "Upper back",
           "lower-back": "Lower back"},
          regions_of,
          "Every stretch that reaches a part of the body, the ones aimed at it first.",
          "region"),
)
FACET = {facet.name: facet for facet in FACETS}


def filed(site: Site) -> dict[str, dict[str, tuple[str, ...]]]:
    """facet -> value -> the slugs of its stretches, for every value in use, in vocabulary
    order.

    Within a value, stretches keep the site's order (by title), except that a region
    lists the stretches whose main target lies there first.
    """
    ordered = [(entry.slug, entry.meta) for entry in sorted(site.stretches.values(),
                                                            key=by_title)]
    out: dict[str, dict[str, tuple[str, ...]]] = {}
    for facet in FACETS:
        found: dict[str, list[str]] = {}
        for slug, meta in ordered:
            for value in facet.values(site, meta):
                found.setdefault(value, []).append(slug)
        out[facet.name] = {value: tuple(found[value]) for value in facet.vocabulary
                           if value in found}
    aimed = {slug: site.muscles[meta.muscles[0]].meta.region for slug, meta in ordered}
    out["regions"] = {value: tuple(sorted(slugs, key=lambda s: aimed[s] != value))
                      for value, slugs in out["regions"].items()}  # stable: aimed here first
    return out
