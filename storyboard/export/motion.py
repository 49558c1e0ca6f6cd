"""The animatic's timing maths: cut points, camera moves and transitions, in frames.

Everything here is plain arithmetic on numbers (no pixels), so it is easy to
test and to reuse for other timeline exports.

* Cuts: shot i covers frames [cut[i], cut[i + 1]) with cut[i] = round(start_seconds * fps), so rounding never
  accumulates and the whole cut is round(sum of durations * fps) frames long.
* Moves: a Ken Burns window over the panel. `zoom` 1 shows the whole panel, 1.25 a window 1/1.25 of its size;
  `x`, `y` place the window's centre on the panel (0..1). Pan and truck travel sideways, tilt and crane up
  (crane rising with a slight push in), dolly in and zoom push in, dolly out pulls out; the direction is the
  blueprint's `move_direction`, so the animatic agrees with the arrow drawn on the sketch panel.
* Transitions: a scene's `transition` is how it leads to the NEXT shot, as written in a screenplay (the planner
  puts "DISSOLVE TO:" on the last shot before the cut). Dissolves and wipes straddle the cut without changing the
  running time; fades darken the end (or the start) of a shot.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..project import Scene

# How much of the panel a moving camera crops, by shot size: a wide shot travels further than a close-up.
MOVE_ZOOM = {
    "ECU": 1.06,
    "CU": 1.08,
    "insert": 1.08,
    "MCU": 1.1,
    "MS": 1.12,
    "OTS": 1.12,
    "two-shot": 1.14,
    "POV": 1.14,
    "MLS": 1.17,
    "LS": 1.22,
    "EWS": 1.25,
}
CRANE_PUSH = 0.4  # a crane also pushes in by this share of its zoom's margin
DISSOLVE_S = 0.5  # a dissolve or wipe lasts this long (12 frames at 24 fps), centred on the cut
FADE_S = 1.0  # a fade to or from black lasts this long
CUT, DISSOLVE, WIPE, FADE_OUT, FADE_IN = "cut", "dissolve", "wipe", "fade out", "fade in"


def cut_frames(durations: list[float], fps: int) -> list[int]:
    """Frame where each shot starts, plus the total: [0, c1, c2, …, round(sum * fps)]."""
    cuts, elapsed = [0], 0.0
    for seconds in durations:
        elapsed += max(0.0, float(seconds))
        cuts.append(round(elapsed * fps))
    return cuts


def ease(t: float) -> float:
    """Smoothstep ease-in-out on [0, 1] (clamped): the camera starts and stops gently."""
    t = min(1.0, max(0.0, t))
    return t * t * (3 - 2 * t)


# -- camera moves ---------------------------------------------------------------


@dataclass(frozen=True)
class Camera:
    """A window over the panel at the start and the end of the shot; eased in between."""

    zoom: tuple[float, float] = (1.0, 1.0)
    x: tuple[float, float] = (0.5, 0.5)
    y: tuple[float, float] = (0.5, 0.5)

    @property
    def still(self) -> bool:
        return self.zoom == (1.0, 1.0) and self.x == (0.5, 0.5) and self.y == (0.5, 0.5)

    @property
    def max_zoom(self) -> float:
        return max(self.zoom)

    def at(self, t: float) -> tuple[float, float, float]:
        """(zoom, x, y) at shot time t in [0, 1] (clamped), eased."""
        e = ease(t)
        return tuple(a + (b - a) * e for a, b in (self.zoom, self.x, self.y))


STILL = Camera()


def camera(move: str, shot: str, direction: int = 1) -> Camera:
    """The window path for `move` on a `shot`-sized frame; `direction` +1 is right / up / in, -1 the opposite."""
    z = MOVE_ZOOM.get(shot, 1.12)
    edge = 1 / (2 * z)  # the window centre's nearest position to a panel edge
    forward = direction >= 0
    if move in ("pan", "truck"):
        left_to_right = (edge, 1 - edge)
        return Camera(zoom=(z, z), x=left_to_right if forward else left_to_right[::-1])
    if move in ("tilt", "crane"):
        end_zoom = z + (z - 1) * CRANE_PUSH if move == "crane" else z
        end_edge = 1 / (2 * end_zoom)  # eased together with the zoom, the window stays inside (see tests)
        travel = (1 - edge, end_edge) if forward else (edge, 1 - end_edge)  # bottom to top, or top to bottom
        return Camera(zoom=(z, end_zoom), y=travel)
    if move in ("dolly in", "zoom", "dolly out"):
        inward = forward and move != "dolly out"  # a dolly out pulls out whatever the direction says
        return Camera(zoom=(1.0, z) if inward else (z, 1.0))
    return STILL


# -- transitions ----------------------------------------------------------------


def transition_kind(text: str) -> str:
    """What a transition written on a scene does: cut, dissolve, wipe, fade out or fade in.

    Free text is allowed in the scene form, so this reads keywords: "DISSOLVE TO:" / "CROSSFADE" dissolve,
    "WIPE TO:" wipes, "FADE IN:" fades in, any other fade ("FADE OUT.", "FADE TO BLACK.") fades out; the rest
    (CUT, SMASH CUT, MATCH CUT, JUMP CUT, empty) is a hard cut.
    """
    key = " ".join(str(text).upper().replace("-", " ").split())
    if "DISSOLVE" in key or "CROSS" in key:
        return DISSOLVE
    if "WIPE" in key:
        return WIPE
    if "FADE IN" in key:
        return FADE_IN
    if "FADE" in key:
        return FADE_OUT
    return CUT


@dataclass
class ShotTiming:
    """Where one shot sits in the animatic, in frames: [start, end) plus its transitions."""

    start: int
    end: int
    blend_in: int = 0  # frames of the dissolve/wipe from the shot before, centred on `start`
    blend_out: int = 0  # frames of the dissolve/wipe into the next shot, centred on `end`
    blend_kind: str = DISSOLVE  # of blend_out
    fade_in: int = 0  # frames of fade up from black at the start
    fade_out: int = 0  # frames of fade to black at the end

    @property
    def frames(self) -> int:
        return self.end - self.start

    def t(self, frame: int) -> float:
        """The shot's own time (0 first frame, 1 last) at `frame`, clamped, for moves seen during a dissolve."""
        return min(1.0, max(0.0, (frame - self.start) / max(1, self.frames - 1)))

    def incoming(self, frame: int) -> float | None:
        """During the blend from the previous shot: this shot's weight (0..1); else None."""
        if not self.blend_in:
            return None
        first = self.start - self.blend_in // 2
        return (frame - first + 1) / (self.blend_in + 1) if frame < first + self.blend_in else None

    def outgoing(self, frame: int) -> float | None:
        """During the blend into the next shot: the next shot's weight (0..1); else None."""
        if not self.blend_out:
            return None
        first = self.end - self.blend_out // 2
        return (frame - first + 1) / (self.blend_out + 1) if frame >= first else None

    def gain(self, frame: int) -> float:
        """Brightness at `frame` (1 normal, 0 black) from the fades: the first faded-in frame and the last
        faded-out frame are black."""
        gain = 1.0
        if self.fade_in and frame - self.start < self.fade_in:
            gain = (frame - self.start) / self.fade_in
        if self.fade_out and self.end - 1 - frame < self.fade_out:
            gain = min(gain, (self.end - 1 - frame) / self.fade_out)
        return max(0.0, gain)


def plan_timeline(scenes: list[Scene], fps: int) -> list[ShotTiming]:
    """Frames and transitions of every shot.

    A dissolve or wipe lasts DISSOLVE_S but never more than half of either shot (so a shot's two blends never
    overlap); a fade lasts FADE_S but never more than half its shot. "FADE IN:" on the first shot fades it up
    from black; on a later shot it is a dip through black (that shot fades out, the next fades up), since the
    planner keeps only the last transition written between two scenes ("FADE OUT." then "FADE IN:").
    A dissolve, wipe or dip after the last shot has nothing to go to: the last shot just ends.
    """
    cuts = cut_frames([scene.duration_s for scene in scenes], fps)
    timings = [ShotTiming(start, end) for start, end in zip(cuts, cuts[1:])]
    blend = max(0, round(DISSOLVE_S * fps))
    fade = max(1, round(FADE_S * fps))
    last = len(scenes) - 1
    for i, (scene, shot) in enumerate(zip(scenes, timings)):
        kind = transition_kind(scene.transition)
        following = timings[i + 1] if i < last else None
        if kind in (DISSOLVE, WIPE) and following is not None:
            length = min(blend, shot.frames // 2, following.frames // 2)
            if length >= 2:
                shot.blend_out, shot.blend_kind, following.blend_in = length, kind, length
        elif kind == FADE_OUT or (kind == FADE_IN and 0 < i < last):
            shot.fade_out = _fade_length(fade, shot.frames)
            if kind == FADE_IN:
                following.fade_in = _fade_length(fade, following.frames)
        elif kind == FADE_IN and i == 0:
            shot.fade_in = _fade_length(fade, shot.frames)
    return timings


def _fade_length(fade: int, frames: int) -> int:
    """`fade` frames, at most half the shot, at least one frame (black) if the shot has any."""
    return min(fade, max(1, frames // 2)) if frames else 0


def caption_spans(weights: list[float], start: int, end: int) -> list[tuple[int, int]]:
    """Split frames [start, end) between captions in proportion to `weights` (their text lengths)."""
    total = sum(weights) or 1.0
    spans, done = [], 0.0
    for weight in weights:
        first = start + round((end - start) * done / total)
        done += weight
        spans.append((first, start + round((end - start) * done / total)))
    return spans
