"""Areas of the body: the one vocabulary the body map and the pose figures share.

A muscle file names its areas (`body_map: [hamstrings]`); the body map shades
them, and a pose figure marks the main target's area on the limb or trunk
segment it lies along. Ids are anatomy, not site content.
"""

from __future__ import annotations

FRONT, BACK = "front", "back"

# id -> (label, the views of the body map it appears in)
AREAS: dict[str, tuple[str, tuple[str, ...]]] = {
    "neck": ("Neck", (FRONT, BACK)),
    "shoulders": ("Shoulders", (FRONT, BACK)),
    "chest": ("Chest", (FRONT,)),
    "abdominals": ("Abdominals", (FRONT,)),
    "obliques": ("Obliques (sides of the waist)", (FRONT,)),
    "psoas": ("Psoas (deep hip flexor)", (FRONT,)),
    "hip-flexors": ("Front of the hip", (FRONT,)),
    "adductors": ("Inner thigh", (FRONT,)),
    "quadriceps": ("Front of the thigh", (FRONT,)),
    "outer-thigh": ("Outer hip and thigh", (FRONT, BACK)),
    "shins": ("Shins", (FRONT,)),
    "upper-back": ("Upper back, between the shoulder blades", (BACK,)),
    "lats": ("Sides of the back (lats)", (BACK,)),
    "lower-back": ("Lower back, along the spine", (BACK,)),
    "quadratus-lumborum": ("Quadratus lumborum (side of the lower back)", (BACK,)),
    "glutes": ("Buttocks", (BACK,)),
    "piriformis": ("Deep buttock (piriformis)", (BACK,)),
    "hamstrings": ("Back of the thigh", (BACK,)),
    "calves": ("Calves", (BACK,)),
}
