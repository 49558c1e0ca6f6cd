"""Scene → Blueprint: where each character stands in the frame.

Everything is in frame units: x from 0 (left) to 1 (right), y from 0 (top) to
1 (bottom), lengths relative to the frame height. The blueprint depends only
on the scene and the cast order, so the same project gives the same layout;
the sketch renderer draws it and the diffusion engine conditions on it.

Rules: the shot size sets the head height (a standing figure is 7.5 heads;
the frame shows `body_heads` of them below a little headroom); one character
sits on a third with lead room in the direction they face; two face each
other on the thirds with their eyes on one line; more spread evenly; over the
shoulder puts the listener's back large in the foreground. The camera angle
sets the horizon: at eye level it passes through the eyes, high puts it near
the top, low near the bottom, bird's eye has none, dutch tilts the frame.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field

from . import film
from .project import Project, Scene

FIGURE_HEADS = 7.5
HEADROOM = {
    "ECU": -0.15,
    "CU": 0.06,
    "MCU": 0.08,
    "MS": 0.1,
    "OTS": 0.1,
    "two-shot": 0.1,
    "POV": 0.12,
    "MLS": 0.1,
    "LS": 0.08,
}
CLOSE = frozenset(("ECU", "CU", "MCU"))


@dataclass
class Figure:
    name: str
    tone: int  # grey level kept across the whole board
    x: float  # centre of the head
    head_y: float  # centre of the head
    head: float  # head height
    facing: float  # -1 looks left, 0 at camera, 1 right
    back: bool = False  # seen from behind (over-the-shoulder foreground)
    from_above: bool = False  # bird's eye

    @property
    def box(self) -> tuple[float, float, float, float]:
        """The whole figure (x0, y0, x1, y1), maybe beyond the frame; x in frame widths ± half-widths
        in frame heights (see `pixel_box` for pixels)."""
        half = self.head * 1.1
        top = self.head_y - self.head / 2
        return (self.x - half, top, self.x + half, top + self.head * FIGURE_HEADS)

    def pixel_box(self, width: int, height: int) -> tuple[float, float, float, float]:
        """The figure's box in pixels of a width × height frame, clipped to the frame."""
        half = self.head * 1.1 * height
        top = (self.head_y - self.head / 2) * height
        cx = self.x * width
        return (max(0.0, cx - half), max(0.0, top), min(float(width), cx + half),
                min(float(height), top + self.head * FIGURE_HEADS * height))


@dataclass
class Blueprint:
    aspect: str
    shot: str
    angle: str
    move: str
    label: str
    number: str = ""  # the printed shot number (4B, or 4-2: the project's numbering)
    figures: list[Figure] = field(default_factory=list)
    horizon: float | None = 0.5
    vanishing_x: float = 0.5
    tilt_deg: float = 0.0
    interior: bool = False
    insert_label: str = ""
    pov_of: str = ""
    move_direction: int = 1  # +1 right/up/in, -1 left/down/out

    @property
    def ratio(self) -> float:
        return film.ASPECT_RATIOS[self.aspect]


def _hash(text: str) -> int:
    return zlib.crc32(text.encode("utf-8"))


def blueprint(scene: Scene, project: Project) -> Blueprint:
    """The layout of one scene in the project's aspect ratio."""
    shot, ratio = scene.shot, film.ASPECT_RATIOS[project.aspect_ratio]
    number = project.shot_number(scene)
    plan = Blueprint(
        aspect=project.aspect_ratio,
        shot=shot,
        angle=scene.angle,
        move=scene.move,
        label=f"{number} · {shot} · {scene.angle} · {scene.move}",
        number=number,
        interior=scene.interior == "INT",
    )
    names = list(dict.fromkeys(scene.characters))
    speakers = [line.character for line in scene.dialogue if line.character in names]
    if speakers:  # whoever speaks first is the one the camera favours
        names.remove(speakers[0])
        names.insert(0, speakers[0])
    if shot == "POV" and names:
        plan.pov_of, names = names[0], names[1:]
    if shot == "insert":
        from .planning.lexicon import object_word

        plan.insert_label = object_word(scene.action) or "detail"
        names = []
    elif shot in CLOSE:
        names = names[:1]
    # 1. size: head height from the shot size
    body = film.SHOT_SIZES[shot].body_heads or 3.6
    headroom = HEADROOM.get(shot, 0.1)
    head = (1 - headroom) / body
    # 2. placement across the frame; side by side, shoulders (1.7 heads wide) must not overlap
    side = 1 if _hash(f"{scene.id or scene.number}:{scene.seed}") % 2 else -1  # a re-roll may flip it
    xs, facings = _columns(len(names), side, ratio)
    if len(xs) > 1:
        head = min(head, (xs[1] - xs[0]) * ratio / 1.8)
    top = headroom + head / 2
    if shot == "EWS":
        top = 0.62 - head * FIGURE_HEADS * 0.5  # small figures standing in the landscape
    figures = [
        Figure(name=n, tone=project.tone(n), x=x, head_y=top, head=head, facing=f)
        for n, x, f in zip(names, xs, facings)
    ]
    if shot == "OTS" and len(figures) >= 2:
        _over_the_shoulder(figures, side)
    # 3. camera angle: horizon and tilt
    eye = top if figures else 0.45
    plan.horizon = {
        "eye level": min(max(eye, 0.2), 0.8),
        "high": 0.12,
        "low": 0.86,
        "worm's eye": 0.96,
        "bird's eye": None,
        "dutch": min(max(eye, 0.2), 0.8),
    }[scene.angle]
    plan.tilt_deg = 12.0 if scene.angle == "dutch" else 0.0
    if scene.angle == "bird's eye":
        for fig in figures:
            fig.from_above = True
    plan.vanishing_x = 0.5 - 0.15 * side if figures else 0.5
    plan.move_direction = side if scene.move in ("pan", "truck") else 1
    if scene.move == "dolly out":
        plan.move_direction = -1
    plan.figures = sorted(figures, key=lambda f: f.head)  # draw far (small) figures first
    return plan


def _columns(count: int, side: int, ratio: float) -> tuple[list[float], list[float]]:
    """x positions and facings: thirds for one or two, even spread for more."""
    if count == 0:
        return [], []
    if count == 1:
        x = 0.5 + side * (1 / 6)
        return [x], [-side * 0.6]  # look into the open side of the frame
    if count == 2:
        return [1 / 3, 2 / 3], [0.8, -0.8]
    margin = 0.16 if ratio >= 1 else 0.2
    step = (1 - 2 * margin) / (count - 1)
    xs = [margin + i * step for i in range(count)]
    return xs, [0.5 - x for x in xs]


def _over_the_shoulder(figures: list[Figure], side: int) -> None:
    """The listener (second name) large, back to camera, at one edge; the speaker on the far third."""
    speaker, listener = figures[0], figures[1]
    listener.back = True
    listener.head *= 1.6
    listener.x = 0.5 - side * 0.4
    listener.head_y = 0.16 + listener.head / 2
    listener.facing = side
    speaker.x = 0.5 + side * 0.17
    speaker.facing = -side * 0.7
    for extra in figures[2:]:
        extra.x = speaker.x + side * 0.15
