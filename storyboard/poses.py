"""Figure poses and builds as geometry (no drawing): what the sketch renderer and the layout share.

Units are HEAD UNITS (an adult's head height) relative to the head centre, x right, y down. A standing
adult is 7.5 heads: head top at -0.5, soles at +6.9. A pose is data (`_Pose`: joint angles in the body's
own frame: f forward, s toward the figure's left, y down), turned by the yaw the facing gives and
projected: facing right shows the figure's right side (near), facing left its left side. `variant`
adds a few degrees here and there and may swap which arm or leg acts, never the pose.

Animals (kind dog/cat/horse/bird) are seen from the side in the same person head units, so the layout's
head size sizes them too: a dog's back is about 2.3 heads above the ground (an adult's knee to hip), a
cat's half that, a horse's withers above an adult's shoulder, a bird about a head long. Animal joints:
head, snout, ear, neck, chest (front of the body), hip (rear of the body), tail and for each leg
knee_XY / foot_XY with X f(ront)/h(ind) and Y n(ear)/f(ar) (a bird has only the hind pair).
"""

from __future__ import annotations

import math
import random
import zlib
from dataclasses import dataclass, replace
from functools import lru_cache

KINDS = ("person", "dog", "cat", "horse", "bird")
HAIR = ("short", "long", "bald")


@dataclass(frozen=True)
class Build:
    """A character's silhouette, kept across the board (read from their description)."""

    kind: str = "person"  # one of KINDS
    height: float = 1.0  # standing height relative to an adult: a child about 0.65
    hair: str = "short"  # one of HAIR
    hat: bool = False
    coat: bool = False
    glasses: bool = False
    beard: bool = False


POSES = ("stand", "walk", "run", "sit", "kneel", "crouch", "lie", "fall", "climb", "point", "reach", "hold", "hug",
         "fight", "look up", "look down", "slump")
JOINTS = ("head", "neck", "chest", "hip", "shoulder_l", "elbow_l", "hand_l", "shoulder_r", "elbow_r", "hand_r",
          "hip_l", "knee_l", "foot_l", "hip_r", "knee_r", "foot_r")
HEAD_RX, HEAD_RY = 0.39, 0.5  # the head ellipse's half width and half height
FEET = 6.9  # an adult's soles below the head centre (7.4 heads from the head top)
NECK, SPINE, SHOULDER_DOWN, SHOULDER_W, HIP_W = 0.62, 2.78, 0.36, 0.8, 0.36
UPPER, FORE, THIGH, SHIN, SHOE = 1.42, 1.3, 1.8, 1.57, 0.42
RADII = {"upper": (0.17, 0.14), "fore": (0.14, 0.125), "thigh": (0.31, 0.2), "shin": (0.2, 0.13), "shoe": (0.13, 0.11)}
VIEW_BODY = {"eye level": 1.0, "high": 0.85, "low": 1.1}  # length of the body below the neck (low: the legs)
VIEW_HEAD = {"eye level": 1.0, "high": 1.0, "low": 0.92}
HANG = (3, 7, 6, 3)  # an arm hanging: upper pitch, upper splay, forearm pitch, forearm splay (degrees)


@dataclass(frozen=True)
class _Pose:
    """Degrees. Pitch 0 points down, +90 forward, 180 up; splay goes outward. Leg: thigh pitch, splay, shin pitch.
    Arm/leg "a" is the acting one (near side unless the variant swaps); turn: the least yaw (0 frontal, 1 profile)."""

    lean: float = 0.0  # spine forward
    tilt: float = 0.0  # the whole body about the hip (+ forward)
    nod: float = 0.0  # head: + bowed, - tipped back
    turn: float = 0.0
    drop: float = 0.0  # shoulders dropped and narrowed
    wiggle: float = 4.0  # degrees a variant may move a limb
    arm_a: tuple = HANG
    arm_b: tuple = HANG
    leg_a: tuple = (1, 3, 0)
    leg_b: tuple = (-1, 3, 0)


_SPEC = {
    "stand": _Pose(),
    "walk": _Pose(lean=4, turn=0.55, arm_a=(-22, 6, -10, 3), arm_b=(24, 6, 45, 3), leg_a=(24, 2, 4),
                  leg_b=(-16, 2, -32)),
    "run": _Pose(lean=16, turn=0.75, arm_a=(-45, 8, 40, 3), arm_b=(45, 8, 125, 3), leg_a=(62, 2, -5),
                 leg_b=(-28, 2, -80)),
    "sit": _Pose(lean=-4, turn=0.4, arm_a=(14, 6, 75, 2), arm_b=(12, 6, 72, 2), leg_a=(88, 7, 3), leg_b=(86, 7, -3)),
    "kneel": _Pose(lean=15, nod=5, turn=0.4, arm_a=(20, 6, 60, 3), arm_b=(8, 6, 20, 3), leg_a=(85, 5, 12),
                   leg_b=(20, 5, -90)),
    "crouch": _Pose(lean=35, nod=-12, turn=0.3, arm_a=(45, 8, 20, 3), arm_b=(40, 8, 15, 3), leg_a=(80, 10, -40),
                    leg_b=(75, 12, -36)),
    "lie": _Pose(tilt=-90, turn=1.0, wiggle=1.0, arm_a=(4, 6, 6, 3), arm_b=(4, 6, 6, 3), leg_a=(1, 3, 0),
                 leg_b=(0, 3, 0)),
    "fall": _Pose(tilt=52, lean=5, nod=-20, turn=0.65, wiggle=3.0, arm_a=(150, 35, 170, 20), arm_b=(138, 30, 160, 15),
                  leg_a=(-25, 8, -40), leg_b=(15, 8, -5)),
    "climb": _Pose(lean=8, nod=-15, turn=0.5, arm_a=(168, 8, 178, 4), arm_b=(150, 12, 170, 6), leg_a=(100, 6, -10),
                   leg_b=(0, 4, -8)),
    "point": _Pose(turn=0.7, arm_a=(86, 6, 88, 6)),
    "reach": _Pose(lean=8, turn=0.55, arm_a=(128, 8, 138, 6), arm_b=(20, 8, 30, 3)),
    "hold": _Pose(arm_a=(22, 0, 108, -36), arm_b=(22, 0, 108, -36)),
    "hug": _Pose(lean=6, turn=0.6, arm_a=(72, 22, 92, -55), arm_b=(68, 22, 92, -50)),
    "fight": _Pose(lean=8, turn=0.6, arm_a=(88, 4, 90, 2), arm_b=(40, 10, 165, -15), leg_a=(16, 8, 2),
                   leg_b=(-14, 8, -6)),
    "look up": _Pose(lean=-5, nod=-35),
    "look down": _Pose(lean=4, nod=30),
    "slump": _Pose(lean=28, nod=28, drop=0.18, arm_a=(0, 4, 0, 2), arm_b=(0, 4, 0, 2), leg_a=(10, 3, -8),
                   leg_b=(6, 3, -6)),
}
_SWAPS = frozenset(("walk", "run", "kneel", "climb", "point", "reach", "hug", "fight", "fall"))


@dataclass(frozen=True)
class Part:
    """One drawable piece in head units: capsule (points p0, p1; size r0, r1), poly (points), ellipse
    (points: centre; size rx, ry, angle in degrees). z orders the drawing; role picks the shade."""

    shape: str
    points: tuple
    size: tuple
    z: float
    role: str


def head_tilt(pose: str) -> float:
    """Degrees the head is tipped: looking up negative, looking down positive."""
    return _SPEC.get(pose, _SPEC["stand"]).nod


def _rng(pose: str, variant: int) -> random.Random:
    return random.Random(zlib.crc32(pose.encode()) * 1_000_003 + variant)


def direction(pose: str, facing: float = 0.0, variant: int = 0) -> int:
    """+1 when the pose acts to the right, -1 to the left (near 0 facing the variant decides)."""
    if abs(facing) > 0.05:
        return 1 if facing > 0 else -1
    return 1 if _rng(pose, variant).random() < 0.5 else -1


def yaw(pose: str, facing: float = 0.0, variant: int = 0, back: bool = False) -> float:
    """Radians the body is turned: 0 faces the camera, ±pi/2 profile right/left, beyond: from behind."""
    spec = _SPEC.get(pose, _SPEC["stand"])
    sign, mag = direction(pose, facing, variant), min(1.0, max(abs(facing), spec.turn))
    return sign * (math.pi - mag * math.pi / 4 if back else mag * math.pi / 2)


def _jitter(spec: _Pose, rng: random.Random) -> _Pose:
    w = spec.wiggle
    j = lambda v: tuple(a + rng.uniform(-w, w) for a in v)
    tilt = spec.tilt + rng.uniform(-2, 2) * (0 < abs(spec.tilt) < 90)  # lying stays flat
    return replace(spec, lean=spec.lean + rng.uniform(-w, w) / 2, tilt=tilt,
                   nod=spec.nod + rng.uniform(-w, w) * 0.75, arm_a=j(spec.arm_a), arm_b=j(spec.arm_b),
                   leg_a=j(spec.leg_a), leg_b=j(spec.leg_b))


def _ray(pitch: float, splay: float, side: int) -> tuple[float, float, float]:
    p, q = math.radians(pitch), math.radians(splay)
    return math.sin(p) * math.cos(q), side * math.sin(q), math.cos(p) * math.cos(q)


def _add(p, v, k=1.0):
    return tuple(a + b * k for a, b in zip(p, v))


def _person_3d(spec: _Pose, near: str) -> dict[str, tuple[float, float, float]]:
    """Joints in the body frame (f, s, y) about the hip."""
    lean = math.radians(spec.lean)
    up = (math.sin(lean), 0.0, -math.cos(lean))
    hip = (0.0, 0.0, 0.0)
    neck = _add(hip, up, SPINE)
    nod = math.radians(spec.lean + spec.nod * 0.5)
    j = {"hip": hip, "neck": neck, "chest": _add(hip, up, 1.9),
         "head": _add(neck, (math.sin(nod), 0.0, -math.cos(nod)), NECK)}
    centre = _add(hip, up, SPINE - SHOULDER_DOWN - spec.drop)
    for name, side in (("l", 1), ("r", -1)):
        arm, leg = (spec.arm_a, spec.leg_a) if name == near else (spec.arm_b, spec.leg_b)
        j[f"shoulder_{name}"] = shoulder = _add(centre, (0.0, side * SHOULDER_W * (1 - spec.drop), 0.0))
        j[f"elbow_{name}"] = elbow = _add(shoulder, _ray(arm[0], arm[1], side), UPPER)
        j[f"hand_{name}"] = _add(elbow, _ray(arm[2], arm[3], side), FORE)
        j[f"hip_{name}"] = top = (0.0, side * HIP_W, 0.0)
        j[f"knee_{name}"] = knee = _add(top, _ray(leg[0], leg[1], side), THIGH)
        j[f"foot_{name}"] = _add(knee, _ray(leg[2], leg[1] * 0.5, side), SHIN)
    if spec.tilt:
        t = math.radians(spec.tilt)
        c, s = math.cos(t), math.sin(t)
        j = {k: (f * c - y * s, sd, f * s + y * c) for k, (f, sd, y) in j.items()}
    return j


def _solve(pose: str, facing: float, variant: int, view: str, back: bool = False):
    """(joints 2D about the head centre, depth per joint toward the camera, yaw)."""
    spec = _SPEC.get(pose, _SPEC["stand"])
    rng = _rng(pose, variant)
    theta = yaw(pose, facing, variant, back)
    near = "r" if theta >= 0 else "l"
    if pose in _SWAPS and rng.random() < 0.5:
        near = "l" if near == "r" else "r"
    body = _person_3d(_jitter(spec, rng), near)
    st, ct = math.sin(theta), math.cos(theta)
    hx, hy = body["head"][0] * st + body["head"][1] * ct, body["head"][2]
    joints, depth = {}, {}
    for k, (f, s, y) in body.items():
        joints[k] = (f * st + s * ct - hx, y - hy)
        depth[k] = f * ct - s * st
    pivot = joints["neck" if view == "high" else "hip"][1]
    return _view(joints, view, pivot), depth, theta


def _view(joints: dict, view: str, pivot: float) -> dict:
    """The camera angle: looked down on, the body below `pivot` shortens; looked up at, it lengthens."""
    k = VIEW_BODY.get(view, 1.0)
    if k == 1.0:
        return joints
    return {n: (x, pivot + (y - pivot) * k if y > pivot else y) for n, (x, y) in joints.items()}


def skeleton(pose: str, facing: float = 0.0, variant: int = 0, kind: str = "person",
             view: str = "eye level") -> dict[str, tuple[float, float]]:
    """Joints in head units about the head centre for an adult (see JOINTS; animals: the module docstring)."""
    if kind != "person":
        return _beast(kind, pose, facing, variant, view)[0]
    return _solve(pose, facing, variant, view)[0]


def _capsule(a, b, radii, z, role) -> Part:
    return Part("capsule", (a, b), radii, z, role)


def person_parts(pose: str, facing: float = 0.0, variant: int = 0, view: str = "eye level", back: bool = False,
                 coat: bool = False) -> tuple[list[Part], dict, float]:
    """The body as parts (limbs, torso, neck, head), its joints and yaw. Far limbs get role "far"."""
    j, depth, theta = _solve(pose, facing, variant, view, back)
    parts = []
    for side in ("l", "r"):
        far = (depth[f"hand_{side}"] + depth[f"elbow_{side}"]) / 2
        role = "far" if far < -0.1 else "arm"
        z = far - 0.2 if pose not in ("hold", "hug") else 0.5
        parts.append(_capsule(j[f"shoulder_{side}"], j[f"elbow_{side}"], RADII["upper"], z, role))
        parts.append(_capsule(j[f"elbow_{side}"], j[f"hand_{side}"], RADII["fore"], z + 0.01, role))
        leg = depth[f"knee_{side}"] + depth[f"foot_{side}"]
        role, z = ("far" if leg < -0.2 else "leg"), -3 + leg * 0.1
        foot = j[f"foot_{side}"]
        fx, fy = _toe(pose, theta, side)
        parts.append(_capsule(foot, (foot[0] + fx * SHOE, foot[1] + fy * SHOE), RADII["shoe"], z - 0.02, role))
        parts.append(_capsule(j[f"hip_{side}"], j[f"knee_{side}"], RADII["thigh"], z, role))
        parts.append(_capsule(j[f"knee_{side}"], foot, RADII["shin"], z + 0.01, role))
    parts.append(_torso(j, theta, _SPEC.get(pose, _SPEC["stand"]).drop, coat))
    neck = j["neck"]
    parts.append(_capsule(neck, (neck[0] * 0.3, neck[1] * 0.3), (0.17, 0.17), 0.9, "torso"))
    axis = math.degrees(math.atan2(-neck[0], neck[1])) if neck != (0.0, 0.0) else 0.0
    parts.append(Part("ellipse", ((0.0, 0.0),), (HEAD_RX, HEAD_RY, axis), 10.0, "head"))
    return parts, j, theta


def _toe(pose: str, theta: float, side: str) -> tuple[float, float]:
    """Where the shoe points on screen: forward, turned by the whole-body tilt (a lying figure's toes up)."""
    t = math.radians(_SPEC.get(pose, _SPEC["stand"]).tilt)
    fx, fy = math.cos(t) * math.sin(theta), math.sin(t)
    if abs(fx) < 0.35 and abs(fy) < 0.5:  # seen from the front: toes splay a little outward
        fx = (0.35 if side == "l" else -0.35) * (1 if math.cos(theta) >= 0 else -1)
    return fx, fy


def _torso(j: dict, theta: float, drop: float, coat: bool) -> Part:
    hip, top = j["hip"], ((j["shoulder_l"][0] + j["shoulder_r"][0]) / 2, (j["shoulder_l"][1] + j["shoulder_r"][1]) / 2)
    ux, uy = top[0] - hip[0], top[1] - hip[1]
    n = math.hypot(ux, uy) or 1.0
    ux, uy = ux / n, uy / n
    nx, ny = -uy, ux
    c, s = abs(math.cos(theta)), abs(math.sin(theta))
    ws, ww, wh = (0.86 * c + 0.42 * s) * (1 - drop), 0.62 * c + 0.38 * s, 0.66 * c + 0.42 * s
    waist = (hip[0] + ux * n * 0.45, hip[1] + uy * n * 0.45)
    low, flare = (0.25, 1.0) if not coat else (0.25 + THIGH * 0.85, 1.35)
    base = (hip[0] - ux * low, hip[1] - uy * low)
    cap = (top[0] + ux * 0.12, top[1] + uy * 0.12)
    pts = [(cap[0] - nx * ws * 0.8, cap[1] - ny * ws * 0.8), (cap[0] + nx * ws * 0.8, cap[1] + ny * ws * 0.8),
           (top[0] + nx * ws, top[1] + ny * ws), (waist[0] + nx * ww, waist[1] + ny * ww),
           (base[0] + nx * wh * flare, base[1] + ny * wh * flare),
           (base[0] - nx * wh * flare, base[1] - ny * wh * flare),
           (waist[0] - nx * ww, waist[1] - ny * ww), (top[0] - nx * ws, top[1] - ny * ws)]
    return Part("poly", tuple(pts), (), 0.0, "coat" if coat else "torso")


def bounds(parts: list[Part], pad: float = 0.02) -> tuple[float, float, float, float]:
    """The box (x0, y0, x1, y1) around parts."""
    x0 = y0 = math.inf
    x1 = y1 = -math.inf
    for p in parts:
        if p.shape == "capsule":
            for (x, y), r in zip(p.points, p.size):
                x0, y0, x1, y1 = min(x0, x - r), min(y0, y - r), max(x1, x + r), max(y1, y + r)
        elif p.shape == "ellipse":
            (x, y), (rx, ry, a) = p.points[0], p.size
            c, s = math.cos(math.radians(a)), math.sin(math.radians(a))
            ex, ey = math.hypot(rx * c, ry * s), math.hypot(rx * s, ry * c)
            x0, y0, x1, y1 = min(x0, x - ex), min(y0, y - ey), max(x1, x + ex), max(y1, y + ey)
        else:
            for x, y in p.points:
                x0, y0, x1, y1 = min(x0, x), min(y0, y), max(x1, x), max(y1, y)
    return x0 - pad, y0 - pad, x1 + pad, y1 + pad


def parts(pose: str, facing: float = 0.0, variant: int = 0, kind: str = "person", view: str = "eye level",
          back: bool = False, coat: bool = False) -> list[Part]:
    if kind != "person":
        return _beast(kind, pose, facing, variant, view)[1]
    return person_parts(pose, facing, variant, view, back, coat)[0]


def extent(pose: str, facing: float = 0.0, variant: int = 0, kind: str = "person",
           view: str = "eye level") -> tuple[float, float, float, float]:
    """(x0, y0, x1, y1) of the whole adult figure in head units about the head centre, thickness included."""
    return bounds(parts(pose, facing, variant, kind, view))


def scales(build: Build, view: str = "eye level") -> tuple[float, float]:
    """(head scale, body scale) of a build: a child (height 0.65) keeps a 0.85 head and a shorter body so
    the whole figure is `height` of an adult's; animals scale evenly by height."""
    h = max(0.2, build.height)
    if build.kind != "person":
        return h, h
    hs = h ** 0.38
    top = HEAD_RY + NECK  # head top to neck
    return hs * VIEW_HEAD.get(view, 1.0), max(0.1, (h * (FEET + HEAD_RY) - hs * top) / (FEET + HEAD_RY - top))


def grow(points, hs: float, bs: float, neck: tuple[float, float]):
    """Scale points about the head centre: the head by hs, the body below the neck by bs."""
    nx, ny = neck[0] * hs, neck[1] * hs
    return tuple((nx + (x - neck[0]) * bs, ny + (y - neck[1]) * bs) for x, y in points)


@lru_cache(maxsize=256)
def _ground(kind: str, pose: str, facing: float, variant: int, view: str) -> float:
    return extent(pose, facing, variant, kind, view)[3]


def ground_offset(build: Build, pose: str = "stand", facing: float = 0.0, variant: int = 0,
                  view: str = "eye level") -> float:
    """Head units (of the layout's adult head) to move the head centre down so this figure's lowest point
    (feet, knee, back, paws) lands where a standing adult's soles would be in the same view."""
    hs, bs = scales(build, view)
    adult = _ground("person", "stand", 0.0, 0, view)
    low = _ground(build.kind, pose, round(facing, 3), variant, view)
    if build.kind != "person":
        return adult - low * hs
    neck = skeleton(pose, facing, variant, "person", view)["neck"][1]
    return adult - (neck * hs + (low - neck) * bs)


# -- animals -------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Beast:
    leg: tuple  # upper, lower length
    leg_r: tuple  # radii top, knee, foot
    body: tuple  # hip to chest length, radius
    neck: tuple  # chest to head (dx, dy)
    head: tuple  # rx, ry
    snout: tuple  # from the head centre (dx, dy), radius
    tail: tuple  # from the rump (dx, dy), radius
    ear: str  # "flop", "point" or ""
    legs: int = 4


_BEASTS = {
    "dog": _Beast((0.85, 0.85), (0.24, 0.16, 0.13), (2.5, 0.6), (0.85, -1.15), (0.4, 0.33), (0.55, 0.08, 0.17),
                  (-0.8, -0.7, 0.09), "flop"),
    "cat": _Beast((0.46, 0.46), (0.14, 0.1, 0.08), (1.4, 0.34), (0.45, -0.6), (0.26, 0.23), (0.18, 0.05, 0.09),
                  (-0.15, -1.2, 0.06), "point"),
    "horse": _Beast((2.0, 1.9), (0.5, 0.28, 0.26), (5.0, 1.35), (1.6, -2.6), (0.7, 0.5), (1.0, 0.9, 0.36),
                    (-0.7, 2.4, 0.28), "point"),
    "bird": _Beast((0.22, 0.2), (0.04, 0.03, 0.03), (0.5, 0.27), (0.3, -0.28), (0.17, 0.16), (0.22, 0.02, 0.04),
                   (-0.45, 0.05, 0.07), "", legs=2),
}
# per pose: body tilt (+ front up), legs (upper, lower pitch; + forward) for fn, ff, hn, hf, head (kx, ky)
_GAITS = {
    "stand": (0, ((2, -2), (-2, 2), (-6, 8), (4, 4)), (1, 1)),
    "walk": (0, ((20, 5), (-15, -15), (-18, -5), (15, 8)), (1.05, 0.95)),
    "run": (-4, ((55, 25), (35, 70), (-50, -35), (-30, -15)), (1.3, 0.55)),
    "sit": (28, ((-6, 0), (-2, 2), (70, -95), (66, -95)), (0.85, 1.15)),
    "lie": (0, ((85, 90), (80, 90), (75, -100), (70, -100)), (1.1, 0.75)),
}


def _beast(kind: str, pose: str, facing: float, variant: int, view: str):
    """(joints, parts) of an animal seen from the side, about its head centre."""
    b = _BEASTS.get(kind, _BEASTS["dog"])
    if (kind, pose) in (("bird", "lie"), ("horse", "sit")):  # a bird sits down; a horse lies down
        pose = "sit" if kind == "bird" else "lie"
    tilt, legs, (kx, ky) = _GAITS.get(pose, _GAITS["stand"])
    rng = _rng(kind + pose, variant)
    t = math.radians(tilt + rng.uniform(-2, 2))
    length, r = b.body
    hip, chest = (0.0, 0.0), (length * math.cos(t), -length * math.sin(t))
    head = (chest[0] + b.neck[0] * kx, chest[1] + b.neck[1] * ky)
    j = {"hip": hip, "chest": chest, "head": head, "neck": (chest[0] + r * 0.4, chest[1] - r * 0.5),
         "snout": (head[0] + b.snout[0], head[1] + b.snout[1]),
         "ear": (head[0] - b.head[0] * 0.4, head[1] - b.head[1] * (1.5 if b.ear == "point" else 0.6)),
         "tail": (hip[0] - r * 0.7 + b.tail[0], hip[1] + b.tail[1] * (0.3 if pose == "lie" else 1))}
    names = ("fn", "ff", "hn", "hf") if b.legs == 4 else ("hn", "hf")
    for name, (up, low) in zip(names, legs if b.legs == 4 else legs[2:]):
        top = chest if name[0] == "f" and b.legs == 4 else hip if b.legs == 4 else ((hip[0] + chest[0]) / 2, 0.0)
        top = (top[0] + (0.15 * r if name[1] == "f" else 0.0), top[1] + r * 0.3)
        up, low = math.radians(up + rng.uniform(-4, 4)), math.radians(low + rng.uniform(-4, 4))
        knee = (top[0] + b.leg[0] * math.sin(up), top[1] + b.leg[0] * math.cos(up))
        j[f"top_{name}"] = top
        j[f"knee_{name}"] = knee
        j[f"foot_{name}"] = (knee[0] + b.leg[1] * math.sin(low), knee[1] + b.leg[1] * math.cos(low))
    sign = direction(pose, facing, variant)
    j = {k: ((x - head[0]) * sign, y - head[1]) for k, (x, y) in j.items()}
    j = _view(j, view, 0.0)
    parts = []
    for name in names:
        role = "far" if name[1] == "f" else "leg"
        z = -2 if role == "far" else 2
        parts.append(_capsule(j[f"top_{name}"], j[f"knee_{name}"], b.leg_r[:2], z, role))
        parts.append(_capsule(j[f"knee_{name}"], j[f"foot_{name}"], b.leg_r[1:], z + 0.01, role))
    parts.append(_capsule(j["hip"], j["tail"], (b.tail[2], b.tail[2] * 0.6), -1, "torso"))
    parts.append(_capsule(j["hip"], j["chest"], (r, r * 0.95), 0, "torso"))
    parts.append(_capsule(j["neck"], j["head"], (r * 0.45, b.head[1] * 0.8), 0.5, "torso"))
    parts.append(_capsule(j["head"], j["snout"], (b.head[1] * 0.8, b.snout[2]), 0.9, "head"))
    parts.append(Part("ellipse", ((0.0, 0.0),), (b.head[0], b.head[1], 0.0), 1.0, "head"))
    if b.ear:  # pointed: the joint is the tip; floppy: the joint is the root and the ear hangs
        (ex, ey), w, ry = j["ear"], b.head[0] * 0.45 * sign, b.head[1]
        base, tip = (ey + ry, ey) if b.ear == "point" else (ey, ey + ry * 1.4)
        pts = ((ex - w, base), (ex + w, base), (ex - w * 0.3, tip))
        parts.append(Part("poly", pts, (), 1.1, "hair"))
    joints = {k: v for k, v in j.items() if not k.startswith("top_")}
    return joints, parts
