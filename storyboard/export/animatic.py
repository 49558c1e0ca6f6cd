"""The animatic: the board as a timed video (MP4) or a small looping GIF.

Each panel holds for its shot's duration, with its camera move played as a move over the panel, its
transition into the next shot, its dialogue burned in as subtitles and the shot number and running
timecode in the corners. Frames are made one at a time and streamed to the encoder, so memory does not
grow with the board. The timing maths lives in `motion.py`, the text in `burnin.py`, the encoders in
`video.py`.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .. import film, store
from ..errors import ExportError
from ..layout import blueprint
from ..progress import CancelToken, ProgressFn, no_progress
from ..project import Project, Scene
from . import burnin, motion
from .images import panel_image
from .options import check_destination, check_panel_folder, require_scenes, running_time

log = logging.getLogger(__name__)

FPS = (24, 25, 30)
MIN_WIDTH, MAX_SIDE = 64, 4096
GIF_FPS, GIF_WIDTH = 12, 640
PALETTE_TILE = 48  # width of each panel's sample when choosing the GIF's palette


@dataclass
class AnimaticOptions:
    """What the animatic looks like. Defaults make a 1280-wide, 24 fps MP4 with everything burned in."""

    fps: int = 24  # frames per second: 24, 25 or 30
    width: int = 1280  # frame width in pixels; the height follows the project's aspect ratio (both made even)
    captions: bool = True  # dialogue burned in at the bottom ("SPEAKER: line"), subtitle style
    overlay: bool = True  # shot number top left, running timecode top right
    moves: bool = True  # camera moves as a move over the panel; False holds every panel still
    audio: str | None = None  # a WAV/MP3 laid under the cut, trimmed or padded with silence (MP4 only)

    def validate(self) -> None:
        """Raise ExportError naming the first bad option and its value; "" as audio means none.

        The audio file is opened and its first sound decoded here, so a missing, unreadable or silent file is
        reported before any export is written.
        """
        if isinstance(self.fps, bool) or not isinstance(self.fps, int) or self.fps not in FPS:
            raise ExportError(f"animatic fps must be 24, 25 or 30, got {self.fps!r}")
        if isinstance(self.width, bool) or not isinstance(self.width, int) or not MIN_WIDTH <= self.width <= MAX_SIDE:
            raise ExportError(
                f"animatic width must be a whole number from {MIN_WIDTH} to {MAX_SIDE}, got {self.width!r}"
            )
        for name in ("captions", "overlay", "moves"):
            if not isinstance(getattr(self, name), bool):
                raise ExportError(f"animatic {name} must be true or false, got {getattr(self, name)!r}")
        if self.audio is not None and not isinstance(self.audio, (str, os.PathLike)):
            raise ExportError(f"animatic audio must be a file name, got {self.audio!r}")
        if self.audio is not None and not str(self.audio).strip():
            self.audio = None
        if self.audio is not None:
            from .video import Soundtrack

            Soundtrack(self.audio).close()


def _checked(project: Project, folder, out_path, options: AnimaticOptions | None,
             suffix: str) -> tuple[AnimaticOptions, Path]:
    """The checked options and destination (ExportError for a bad option, board or destination)."""
    options = options or AnimaticOptions()
    options.validate()
    require_scenes(project)
    out = check_destination(out_path, (suffix,))
    check_panel_folder(folder)
    return options, out


def export_animatic(
    project: Project,
    folder: str | os.PathLike,
    out_path: str | os.PathLike,
    options: AnimaticOptions | None = None,
    progress: ProgressFn | None = None,
    cancel: CancelToken | None = None,
) -> Path:
    """Write the board as an H.264 MP4 (with the sound file, if any, laid under it)."""
    from .video import Mp4Writer, Soundtrack

    # 1. Check everything, the sound file included, before any video work.
    options, out = _checked(project, folder, out_path, options, ".mp4")
    size = frame_size(project, options.width)
    reel = Reel(project, folder, size, options.fps, options)
    sound = Soundtrack(options.audio) if options.audio else None

    # 2. Stream the frames into a temp file beside `out`, then rename it over `out`.
    try:
        return _atomic(out, lambda tmp: _encode(reel, Mp4Writer(tmp, size, options.fps, sound), progress, cancel))
    finally:
        if sound is not None:
            sound.close()


def export_animatic_gif(
    project: Project,
    folder: str | os.PathLike,
    out_path: str | os.PathLike,
    options: AnimaticOptions | None = None,
    progress: ProgressFn | None = None,
    cancel: CancelToken | None = None,
) -> Path:
    """Write the board as a looping GIF: at most 12 fps and 640 wide, still exactly as long as the board.

    GIF has no sound, so `options.audio` is not used.
    """
    from .video import GifWriter, gif_palette

    # 1. Check input; GIFs are smaller: fewer frames, fewer pixels.
    options, out = _checked(project, folder, out_path, options, ".gif")
    if options.audio:
        log.info("a GIF has no sound; %s is not used", options.audio)
    fps = min(options.fps, GIF_FPS)
    size = frame_size(project, min(options.width, GIF_WIDTH))
    reel = Reel(project, folder, size, fps, options)

    # 2. One palette for the whole GIF, from a small copy of every panel.
    tile = (PALETTE_TILE, max(2, round(PALETTE_TILE * size[1] / size[0])))
    tiles = []
    for scene in project.scenes:
        if cancel is not None:
            cancel.check()
        tiles.append(np.asarray(panel_image(folder, scene, tile, project)))
    palette = gif_palette(tiles)

    # 3. Stream the frames into a temp file beside `out`, then rename it over `out`.
    total_cs = round(running_time(project) * 100)
    return _atomic(
        out, lambda tmp: _encode(reel, GifWriter(tmp, size, fps, palette, total_cs, reel.frames), progress, cancel)
    )


def frame_size(project: Project, width: int) -> tuple[int, int]:
    """(width, height) of the animatic's frames: both even, the height from the project's aspect ratio."""
    ratio = film.ASPECT_RATIOS.get(project.aspect_ratio, 16 / 9)
    w = _even(width)
    h = _even(w / ratio)
    if h > MAX_SIDE:
        raise ExportError(
            f"animatic width {width} makes {w}x{h} frames at {project.aspect_ratio}; the height can "
            f"be at most {MAX_SIDE} (use a smaller width)"
        )
    return w, h


class Reel:
    """The animatic's frames in order, made one at a time from at most three shots' prepared panels."""

    def __init__(
        self, project: Project, folder: str | os.PathLike, size: tuple[int, int], fps: int, options: AnimaticOptions
    ) -> None:
        self.project, self.folder, self.size, self.fps, self.options = project, folder, size, fps, options
        self.scenes = project.scenes
        self.numbers = project.shot_numbers()
        self.timings = motion.plan_timeline(self.scenes, fps)
        self.frames = self.timings[-1].end
        if self.frames == 0:
            raise ExportError(
                f"the animatic would have no frames: the shots last {running_time(project):g} s "
                "in all; give them durations"
            )
        self.pictures: dict[int, Picture] = {}
        self.timecode = burnin.Timecode(fps, *size) if options.overlay else None

    def play(self, progress: ProgressFn, cancel: CancelToken | None) -> Iterator[np.ndarray]:
        """Yield every frame (RGB uint8), reporting per shot and checking `cancel` at least once a second."""
        total = len(self.scenes)
        for i, timing in enumerate(self.timings):
            message = f"Animatic: shot {self.numbers[i]}"
            if cancel is not None:
                cancel.check()
            progress(i, total, message)
            for key in [k for k in self.pictures if k < i - 1]:
                del self.pictures[key]
            if not timing.frames:
                continue
            stickers = self._stickers(i, timing)
            for frame in range(timing.start, timing.end):
                done = frame - timing.start
                if done and done % self.fps == 0:
                    if cancel is not None:
                        cancel.check()
                    progress(i + done / timing.frames, total, message)
                image = self._picture(i, frame)
                for sticker in stickers(frame):
                    sticker.apply(image)
                yield image
        progress(total, total, f"Animatic: shot {self.numbers[-1]}")

    def _picture(self, i: int, frame: int) -> np.ndarray:
        """Shot i's picture at `frame` with its dissolve or wipe and fades (a new array)."""
        import cv2

        timing = self.timings[i]
        image = self.picture(i).at(timing.t(frame))
        weight = timing.incoming(frame)
        if weight is not None:
            before = self.timings[i - 1]
            image = _blend(self.picture(i - 1).at(before.t(frame)), image, weight, before.blend_kind)
        weight = timing.outgoing(frame)
        if weight is not None:
            image = _blend(image, self.picture(i + 1).at(self.timings[i + 1].t(frame)), weight, timing.blend_kind)
        gain = timing.gain(frame)
        return cv2.convertScaleAbs(image, alpha=gain) if gain < 1 else image

    def picture(self, i: int) -> Picture:
        if i not in self.pictures:
            scene = self.scenes[i]
            move = motion.STILL
            if self.options.moves and scene.move != "static":
                move = motion.camera(scene.move, scene.shot, blueprint(scene, self.project).move_direction)
            self.pictures[i] = Picture(self.folder, self.project, scene, self.numbers[i], self.size, move)
        return self.pictures[i]

    def _stickers(self, i: int, timing: motion.ShotTiming) -> Callable[[int], list[burnin.Sticker]]:
        """What to burn into each frame of shot i: the caption page showing, the number, the timecode."""
        width, height = self.size
        right = self.timecode.x - self.timecode.gap if self.timecode is not None else None
        fixed = [burnin.shot_sticker(self.numbers[i], width, height, right)] if self.options.overlay else []
        pages = burnin.caption_pages(self.scenes[i], width, height) if self.options.captions else []
        spans = motion.caption_spans([weight for weight, _ in pages], timing.start, timing.end)

        def at(frame: int) -> list[burnin.Sticker]:
            shown = [sticker for (first, end), (_, sticker) in zip(spans, pages) if first <= frame < end]
            clock = [self.timecode.sticker(frame)] if self.timecode is not None else []
            return shown + fixed + clock

        return at


class Picture:
    """One shot's panel, prepared once (larger when the camera moves), and its frame at any shot time."""

    def __init__(
        self, folder: str | os.PathLike, project: Project, scene: Scene, number: str, size: tuple[int, int],
        move: motion.Camera,
    ) -> None:
        self.size, self.move = size, move
        scale = move.max_zoom
        prepared = (round(size[0] * scale), round(size[1] * scale))
        # a moving panel is kept as RGBA: OpenCV warps 4 channels about 2.5× faster than 3
        image = panel_image(folder, scene, prepared, project, number)
        self.panel = np.asarray(image.convert("RGB" if move.still else "RGBA"))

    def at(self, t: float) -> np.ndarray:
        """The frame at shot time t (0 first frame … 1 last): the panel seen through the moving window."""
        import cv2

        if self.move.still:
            return self.panel.copy()
        zoom, x, y = self.move.at(t)
        height, width = self.panel.shape[:2]
        kx, ky = width / zoom / self.size[0], height / zoom / self.size[1]  # panel pixels per frame pixel
        left, top = x * width - width / zoom / 2, y * height - height / zoom / 2
        # frame pixel centre (u + 0.5) maps to panel pixel centre left + kx * (u + 0.5), minus 0.5
        matrix = np.array([[kx, 0, left + 0.5 * kx - 0.5], [0, ky, top + 0.5 * ky - 0.5]])
        moved = cv2.warpAffine(
            self.panel,
            matrix,
            self.size,
            flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
            borderMode=cv2.BORDER_REPLICATE,
        )
        return cv2.cvtColor(moved, cv2.COLOR_RGBA2RGB)


def _blend(first: np.ndarray, second: np.ndarray, weight: float, kind: str) -> np.ndarray:
    """`weight` of the way from `first` to `second`: a cross-fade, or a wipe from the left edge."""
    import cv2

    if kind == motion.WIPE:
        edge = round(weight * first.shape[1])
        first[:, :edge] = second[:, :edge]
        return first
    return cv2.addWeighted(first, 1 - weight, second, weight, 0.0)


def _encode(reel: Reel, writer, progress: ProgressFn | None, cancel: CancelToken | None) -> None:
    try:
        for image in reel.play(progress or no_progress, cancel):
            writer.add(image)
        writer.finish()
    except BaseException:
        writer.abandon()
        raise


def _atomic(out: Path, encode: Callable[[Path], None]) -> Path:
    """Run `encode(temp path)` on a temp file beside `out`, then rename it over `out`; on any failure or
    cancellation delete the temp file and leave `out` as it was."""
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = store.new_temp(out)  # held (and locked) until the rename, so a temp sweep never takes it
    try:
        encode(Path(tmp))
        os.fsync(fd)
        os.close(fd)
        fd = -1
        os.replace(tmp, out)
    except BaseException:
        if fd >= 0:
            os.close(fd)
        Path(tmp).unlink(missing_ok=True)
        raise
    return out


def _even(value: float) -> int:
    return max(2, 2 * round(value / 2))
