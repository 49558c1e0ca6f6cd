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
from .poses import Build, ground_offset
from .project import Project, Scene, scene_part

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
    pose: str = "stand"  # one of poses.POSES, read from the action
    build: Build = field(default_factory=Build)  # who is who: child or adult, hair, hat, coat … or a dog
    holds: str = ""  # a prop in the hand (props.PROPS name), "" none
    view: str = "eye level"  # the camera angle as the figure is seen: "eye level", "high" (looked down on), "low"
    variant: int = 0  # from the seed: small pose details change on a re-roll

    @property
    def box(self) -> tuple[float, float, float, float]:
        """The whole figure (x0, y0, x1, y1), maybe beyond the frame; x in frame widths ± half-widths
        in frame heights (see `pixel_box` for pixels)."""
        half = self.head * 1.1
        top = self.head_y - self.head / 2
        return (self.x - half, top, self.x + half, top + self.head * FIGURE_HEADS)

    def pixel_box(self, width: int, height: int) -> tuple[float, float, float, float]:
        """The figure as the sketch draws it (pose, build, animal), in pixels of a width × height frame, clipped."""
        from .render.figures import figure_box

        x0, y0, x1, y1 = figure_box(self, width / height, ground=False)
        return (max(0.0, x0 * width), max(0.0, y0 * height), min(float(width), x1 * width),
                min(float(height), y1 * height))


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
    insert_prop: str = ""  # the object an insert shows, as a props.PROPS name ("" → a labelled card)
    pov_of: str = ""
    move_direction: int = 1  # +1 right/up/in, -1 left/down/out
    set_pieces: list[str] = field(default_factory=list)  # scenery.SET_PIECES from the place and the action
    night: bool = False
    weather: str = ""  # "", "rain", "fog" or "snow"
    seed: int = 0

    @property
    def ratio(self) -> float:
        return film.ASPECT_RATIOS[self.aspect]


def _hash(text: str) -> int:
    return zlib.crc32(text.encode("utf-8"))


def blueprint(scene: Scene, project: Project) -> Blueprint:
    """The layout of one scene in the project's aspect ratio."""
    from .staging import MOVING, build_of, read_staging

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
        seed=scene.seed,
    )
    names = list(dict.fromkeys(scene.characters))
    speakers = [line.character for line in scene.dialogue if line.character in names]
    if speakers:  # whoever speaks first is the one the camera favours
        names.remove(speakers[0])
        names.insert(0, speakers[0])
    staging = read_staging(scene, project, names)
    plan.set_pieces, plan.night, plan.weather = staging.set_pieces, staging.night, staging.weather
    if shot == "POV" and names:
        plan.pov_of, names = names[0], names[1:]
    if shot == "insert":
        from .planning.lexicon import object_word

        plan.insert_prop = staging.props[0] if staging.props else ""
        plan.insert_label = object_word(scene.action) or plan.insert_prop or "detail"
        plan.set_pieces, names = [], []  # the object fills the frame
    elif shot in CLOSE:
        names = names[:1]
    # 1. size: head height from the shot size
    body = film.SHOT_SIZES[shot].body_heads or 3.6
    headroom = HEADROOM.get(shot, 0.1)
    head = (1 - headroom) / body
    # 2. placement: each character keeps their side of the frame through the scene (the 180° rule), movers face
    #    the way the scene travels; side by side, shoulders (1.7 heads wide) must not overlap
    sides, travel = screen_sides(scene, project)
    poses = {n: staging.poses.get(n, "stand") for n in names}
    names.sort(key=lambda n: sides.get(n, 0))
    if any(poses[n] in MOVING for n in names):  # on the move: whoever chases or follows comes behind
        names.sort(key=lambda n: (0 if n in staging.trailing else 1) * travel)
    xs, facings = _columns(names, sides, ratio)
    if len(xs) > 1:
        head = min(head, (xs[1] - xs[0]) * ratio / 1.8)
    top = headroom + head / 2
    if shot == "EWS":
        top = 0.62 - head * FIGURE_HEADS * 0.5  # small figures standing in the landscape
    view = "high" if scene.angle in ("high", "bird's eye") else "low" if scene.angle in ("low", "worm's eye") else (
        "eye level")
    variant = _hash(f"{scene.id or scene.number}:{scene.seed}")  # a re-roll changes pose details, never sides
    builds = {c.name: build_of(c) for c in project.characters}
    figures = []
    for n, x, f in zip(names, xs, facings):
        pose = poses[n]
        if pose in MOVING and len(names) <= 2:
            f = travel * 0.9
        figures.append(Figure(name=n, tone=project.tone(n), x=x, head_y=top, head=head, facing=f, pose=pose,
                              build=builds.get(n, Build()), holds=staging.holds.get(n, ""), view=view,
                              variant=variant))
    if len(figures) == 1 and figures[0].pose in MOVING:  # lead room ahead of a mover
        figures[0].x = 0.5 - travel / 6
    if shot == "OTS" and len(figures) >= 2:
        speaker = next(f for f in figures if f.name == names_favoured(scene, names))
        _over_the_shoulder(speaker, [f for f in figures if f is not speaker], sides)
    if shot != "OTS" and figures:  # on one ground whatever the pose or build: a kneeling head is lower
        drops = [ground_offset(f.build, f.pose, f.facing, f.variant, view) for f in figures]
        if body < FIGURE_HEADS:  # the feet are out of frame: the camera frames the highest head as it would
            drops = [d - min(drops) for d in drops]
        for fig, drop in zip(figures, drops):
            fig.head_y += drop * fig.head
    # 3. camera angle: horizon and tilt
    favoured = next((f for f in figures if f.name == names_favoured(scene, names) and not f.back), None)
    eye = favoured.head_y if favoured else top if figures else 0.45  # eye level: the favoured one's eyes
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
    lead = figures[0].x if figures else 0.5
    plan.vanishing_x = 0.5 + 0.15 * (1 if lead < 0.5 else -1) if figures else 0.5
    movers = any(f.pose in MOVING for f in figures)
    follow = travel if movers or not figures else 1 if lead < 0.5 else -1  # with the movers, else into the frame
    plan.move_direction = follow if scene.move in ("pan", "truck") else 1
    if scene.move == "dolly out":
        plan.move_direction = -1
    plan.figures = sorted(figures, key=lambda f: f.head)  # draw far (small) figures first
    return plan


def names_favoured(scene: Scene, names: list[str]) -> str:
    """The character the camera favours: the first to speak, else the first named."""
    speakers = [line.character for line in scene.dialogue if line.character in names]
    return speakers[0] if speakers else names[0]


def screen_sides(scene: Scene, project: Project) -> tuple[dict[str, int], int]:
    """({character: -1 left / +1 right}, travel ±1) kept through the run of shots of `scene`'s script scene.

    Characters take sides in the order they first appear in the scene (a dialogue keeps its axis: the 180° rule);
    which way round, and which way the scene travels, is fixed per script scene, not per shot or seed.
    """
    run = _scene_run(scene, project)
    order: list[str] = []
    for shot in run:
        order += [n for n in dict.fromkeys(shot.characters) if n not in order]
    key = f"{scene_part(scene.number)}:{run[0].id or run[0].number}"
    flip = -1 if _hash(key) % 2 else 1
    if len(order) == 1:
        sides = {order[0]: flip}
    else:
        step = 2 / max(1, len(order) - 1)
        sides = {n: flip * (-1 if i == 0 else 1 if i == len(order) - 1 else round(-1 + i * step, 3))
                 for i, n in enumerate(order)}
    travel = 1 if _hash(key + ":travel") % 2 else -1
    return sides, travel


def _scene_run(scene: Scene, project: Project) -> list[Scene]:
    """The consecutive shots of the board sharing `scene`'s script scene (just `scene` if it is not on the board)."""
    index = next((i for i, other in enumerate(project.scenes) if other is scene), None)
    if index is None:
        return [scene]
    part = scene_part(scene.number)
    start, end = index, index + 1
    while start > 0 and scene_part(project.scenes[start - 1].number) == part:
        start -= 1
    while end < len(project.scenes) and scene_part(project.scenes[end].number) == part:
        end += 1
    return project.scenes[start:end]


def _columns(names: list[str], sides: dict[str, int], ratio: float) -> tuple[list[float], list[float]]:
    """x positions and facings for `names` (ordered left to right): one on their side's third looking into the
    frame, two on the thirds facing each other, more spread evenly looking to the middle."""
    count = len(names)
    if count == 0:
        return [], []
    if count == 1:
        side = sides.get(names[0], 1) or 1
        side = 1 if side > 0 else -1
        return [0.5 + side * (1 / 6)], [-side * 0.6]  # look into the open side of the frame (toward the others)
    if count == 2:
        return [1 / 3, 2 / 3], [0.8, -0.8]
    margin = 0.16 if ratio >= 1 else 0.2
    step = (1 - 2 * margin) / (count - 1)
    xs = [margin + i * step for i in range(count)]
    return xs, [0.5 - x for x in xs]


def _over_the_shoulder(speaker: Figure, others: list[Figure], sides: dict[str, int]) -> None:
    """The listener large, back to camera, at the edge of their own side; the speaker on the far third facing
    them. The reverse shot (the other one speaking) mirrors it, so each keeps their side of the frame."""
    listener = others[0]
    side = sides.get(listener.name, -1)
    side = -1 if side < 0 else 1  # the listener's side of the frame
    listener.back = True
    listener.head *= 1.6
    listener.x = 0.5 + side * 0.4
    listener.head_y = 0.16 + listener.head / 2
    listener.facing = -side
    listener.pose = "stand"
    speaker.x = 0.5 - side * 0.17
    speaker.facing = side * 0.7
    for extra in others[1:]:
        extra.x = speaker.x - side * 0.15
