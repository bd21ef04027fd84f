"""The figure as data: proportions, joints with their ranges, and the base postures.

Units are hundredths of the figure's height (an adult of 170 cm: one unit is
1.7 cm). The body frame: x points forward (the way the chest faces), y up, and
z toward the *near* side, the side that faces the viewer in the side view.
Every angle is in degrees from the anatomical standing position.
"""

from __future__ import annotations

from dataclasses import dataclass

SIDES = ("near", "far")

# Segment lengths (adult proportions, after Drillis and Contini).
THIGH, SHIN, ANKLE_HEIGHT, FOOT_FRONT, FOOT_BACK = 24.5, 24.6, 4.0, 11.5, 3.5
UPPER_ARM, FOREARM, HAND = 18.6, 14.6, 7.0
SPINE = (10.0, 9.0, 9.0)  # pelvis to waist, waist to mid-back, mid-back to the base of the neck
NECK, HEAD_RADIUS = 4.0, 6.5
HIP_DROP, HIP_HALF_WIDTH = 3.0, 5.5  # hip joints below and beside the pelvis centre
SHOULDER_DROP, SHOULDER_HALF_WIDTH = 3.0, 10.0

# How thick each part is drawn (its diameter).
WIDTH = {
    "thigh": 10.5, "shin": 7.5, "foot": 4.0, "upper_arm": 6.5, "forearm": 5.5, "hand": 4.5,
    "lumbar": 15.5, "thoracic": 17.0, "chest": 17.5, "neck": 6.5,
}

# How each part of the spine shares the trunk's bending: (flexion, side bend, twist).
SPINE_SHARE = ((0.4, 0.4, 0.2), (0.3, 0.35, 0.4), (0.3, 0.25, 0.4))


@dataclass(frozen=True)
class Joint:
    name: str
    low: int
    high: int
    zero: str  # what 0 degrees means
    positive: str  # what a larger angle does
    sided: bool = True  # has a near and a far version


JOINTS: tuple[Joint, ...] = (
    Joint("hip", -30, 140, "thigh in line with the trunk", "thigh moves forward (flexion)"),
    Joint("hip_out", -30, 90, "thigh straight below the hip", "thigh moves out to the side "
          "(abduction); negative crosses the midline"),
    Joint("hip_turn", -45, 90, "kneecap facing forward", "thigh turns out (external rotation; "
          "past 60 only with the pelvis turning too, as in a 90/90)"),
    Joint("knee", 0, 155, "leg straight", "knee bends"),
    Joint("ankle", -75, 30, "foot at a right angle to the shin", "toes come up "
          "(dorsiflexion); negative points the foot"),
    Joint("shoulder", -60, 180, "arm hanging by the side", "arm lifts forward; 180 is straight "
          "overhead"),
    Joint("shoulder_out", -30, 180, "arm hanging by the side", "arm lifts out to the side "
          "(abduction)"),
    Joint("elbow", 0, 150, "arm straight", "elbow bends"),
    Joint("wrist", -80, 90, "hand in line with the forearm", "hand bends forward, as when the "
          "palm is flat on the floor"),
    Joint("spine", -40, 90, "trunk upright and straight", "back rounds forward (flexion); "
          "negative arches it", sided=False),
    Joint("low_back", -30, 30, "lower back in its usual curve", "lower back flattens and the "
          "pelvis tucks under; negative arches it", sided=False),
    Joint("spine_side", -40, 40, "trunk straight", "trunk bends toward the near side",
          sided=False),
    Joint("spine_turn", -50, 50, "chest facing forward", "chest turns toward the near side",
          sided=False),
    Joint("neck", -60, 70, "head level, looking ahead", "chin drops toward the chest; "
          "negative tips the head back", sided=False),
)
JOINT = {joint.name: joint for joint in JOINTS}


def joint_names() -> list[str]:
    """Every name a pose may use: 'spine', 'knee' (both sides), 'near_knee', 'far_knee', ..."""
    names = []
    for joint in JOINTS:
        names.append(joint.name)
        if joint.sided:
            names += [f"{side}_{joint.name}" for side in SIDES]
    return names


# Body points that can rest on a surface: (where, radius of the body around it).
CONTACTS = ("pelvis", "chest", "head", "waist", *(f"{side}_{part}" for side in SIDES for part in
            ("heel", "toe", "foot", "ankle", "knee", "hip", "shoulder", "elbow", "hand")))

# Surfaces a body point can rest on, and the height of their top.
SURFACES = {"floor": 0.0, "chair": 26.0, "bed": 32.0, "couch": 27.0, "cushions": 9.0,
            "step": 10.0, "table": 44.0, "bar": 122.0}


@dataclass(frozen=True)
class Base:
    """A base posture: how the body is turned, its usual angles, and what it rests on."""

    name: str
    label: str  # for text alternatives: 'lying on the back'
    turn: tuple[tuple[str, float], ...]  # rotations of the whole body, outermost first
    angles: dict[str, int]
    rest: dict[str, str]  # body point -> surface; two points fix the tilt, one only the place
    props: dict[str, str]  # equipment -> where it goes, when the pose does not say
    needs: tuple[str, ...] = ()  # equipment without which the drawing would float


_LIMBS_DOWN: dict[str, int] = {"elbow": 5}
BASES: dict[str, Base] = {base.name: base for base in (
    Base("standing", "standing", (), {**_LIMBS_DOWN},
         {"near_heel": "floor", "near_toe": "floor"},
         {"wall": "near_hand", "chair": "hands", "bar": "hands", "table": "hands"}),
    Base("seated-chair", "sitting on a chair", (),
         {"hip": 90, "knee": 90, "shoulder": 20, "elbow": 55, "wrist": 10},
         {"pelvis": "chair"}, {"chair": "seat", "towel": "under pelvis"}, ("chair",)),
    Base("seated-floor", "sitting on the floor", (),
         {"hip": 90, "shoulder": 30, "elbow": 25},
         {"pelvis": "floor", "near_heel": "floor"}, {}),
    Base("lying-back", "lying on the back", (("z", 90),),
         {"ankle": -20, "elbow": 5},
         {"chest": "floor", "pelvis": "floor"}, {"pillow": "under head"}),
    Base("lying-front", "lying face down", (("z", -90),),
         {"hip": -4, "ankle": -75, "elbow": 5, "neck": -10},
         {"chest": "floor", "pelvis": "floor"}, {"pillow": "under head"}),
    Base("lying-side", "lying on one side", (("x", -90), ("z", -90)),
         {"hip": 10, "knee": 10, "shoulder": 60, "elbow": 10,
          "ankle": -20},
         {"far_shoulder": "floor", "far_hip": "floor"}, {"pillow": "under waist"}),
    Base("all-fours", "on hands and knees", (("z", -90),),
         {"hip": 80, "knee": 90, "shoulder": 90, "wrist": 85, "ankle": -75},
         {"near_hand": "floor", "near_knee": "floor"}, {}),  # shins flat: see the angles
    Base("kneeling", "kneeling", (),
         {"knee": 90, "ankle": -75, "elbow": 5},
         {"near_knee": "floor", "near_ankle": "floor"}, {"towel": "under near_knee"}),
    Base("half-kneeling", "kneeling on one knee", (),
         {"near_knee": 90, "near_ankle": -75, "far_hip": 90, "far_knee": 86, "elbow": 5},
         {"near_knee": "floor", "far_heel": "floor"},
         {"towel": "under near_knee", "chair": "beside"}),
    Base("hanging", "hanging from a bar", (),
         {"shoulder": 175, "elbow": 0, "ankle": -15},
         {"near_hand": "bar"}, {"bar": "hands"}, ("bar",)),
    Base("squatting", "squatting", (),
         {"hip": 125, "knee": 145, "ankle": 28, "spine": 10, "shoulder": 40, "elbow": 20},
         {"near_heel": "floor", "near_toe": "floor"}, {"bar": "beside", "wall": "beside"}),
)}

# The base a new stretch starts from, by its position.
BASE_FOR_POSITION = {
    "standing": "standing", "seated": "seated-chair", "lying": "lying-back",
    "kneeling": "kneeling", "all-fours": "all-fours", "hanging": "hanging",
    "squatting": "squatting",
}
# Bases that fit each position.
POSITION_BASES = {
    "standing": ("standing",),
    "seated": ("seated-chair", "seated-floor"),
    "lying": ("lying-back", "lying-front", "lying-side"),
    "kneeling": ("kneeling", "half-kneeling"),
    "all-fours": ("all-fours",),
    "hanging": ("hanging",),
    "squatting": ("squatting",),
}

# Where the viewer stands: (how far round the body from its near side, how far the eye
# looks down). The side view is turned a little toward the front, as illustrators do, so
# the far limbs show beside the near ones; `above` looks down from in front, to show
# what lies on the floor, such as the legs of a 90/90.
VIEWS = {"side": (14.0, 0.0), "three-quarter": (40.0, 0.0), "front": (90.0, 0.0),
         "back": (-90.0, 0.0), "three-quarter-back": (-40.0, 0.0), "above": (90.0, 40.0)}
