"""The board as an editorial timeline of stills: OTIO, FCP 7 XML, FCPXML and CMX 3600 EDL.

One video track, one clip per shot in board order, each a PNG still of its panel
lasting the shot's duration. Every file is written by OpenTimelineIO and its
adapter packages; this module only builds the timeline and the media.

Timing. Cut points are rounded, not durations: the cut after shot k falls on frame
round(sum of the first k durations * fps), computed exactly (decimal seconds as
fractions), so rounding never accumulates and the timeline runs round(total * fps)
frames. A shot that gets no frame (0 s, or shorter than half a frame between its
neighbours) is left out, with a warning: editors reject zero-length clips. The
timeline starts at 01:00:00:00 (the editors' convention) where the format holds
a start: OTIO, FCP 7 XML and the EDL; FCPXML starts at 0 (the adapter writes no
tcStart).

Media. Each panel becomes <out_dir>/<stem>-media/<shot-slug>.png at a standard
frame size for the project's aspect ratio (1920x1080 for 16:9); references are
absolute file URLs, as FCP XML and FCPXML need. The media folder is built in a
temp folder beside it and swapped in only when every file is ready, so a failure
or a cancel leaves the previous export as it was.

What each format keeps (see `export_timelines`): OTIO keeps everything (the scene
fields under metadata["storyboard"]); FCP 7 XML keeps dialogue markers with the
full line as their comment, action / notes / shot in <logginginfo>, the reel
and the frame size; FCPXML keeps markers, notes (<note>), scene / shot / reel /
description (<md>) and keywords; the EDL keeps ASCII markers (LOC lines at their
record timecode, upper case), 8-character reels and shot / action / notes as
comment lines.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from .. import film
from ..dialogue import format_line
from ..errors import ExportError
from ..progress import CancelToken, ProgressFn, no_progress
from ..project import Project, Scene, scene_part
from ..slug import slugify
from ..store import atomic_write_bytes
from .folders import new_temp_folder, remove, swap_in
from .images import panel_image
from .options import check_panel_folder, export_stem, require_scenes, shot_label
from .timeline_formats import (
    EDL_REEL_CHARS,
    LONG_SIDE,
    NAMESPACE,
    SHORT_SIDE,
    START_HOUR,
    TIMELINE_FORMATS,
    check_adapters,
    check_edl,
    cut_text,
    serialize,
    xml_line,
    xml_text,
)

log = logging.getLogger(__name__)

KINDS = tuple(suffix[1:] for suffix in TIMELINE_FORMATS)  # "otio", "fcpxml", "xml", "edl"
FRAME_RATES = (24, 25, 30, 50, 60)  # whole rates every adapter writes (the FCPXML one knows no 48)
MARKER_COLOR = "YELLOW"  # a plain marker everywhere (FCPXML turns RED / GREEN into to-do items)
MARKER_CHARS = 100  # a dialogue marker's name; the whole line stays in its comment
PNG_LEVEL = 3


@dataclass(frozen=True)
class Cut:
    """One shot's place on the timeline, in frames."""

    scene: Scene
    number: str  # the printed shot number ("4B")
    start: int  # first frame, counted from the timeline's start
    frames: int


# -- planning ---------------------------------------------------------------------


def cut_points(durations: list[float], fps: int) -> list[int]:
    """Frame numbers of the cuts: [0, round(d0*fps), round((d0+d1)*fps), …], exact for decimal seconds."""
    points, total = [0], Fraction(0)
    for seconds in durations:
        total += Fraction(str(float(seconds)))  # 0.37 as typed, not its binary neighbour
        points.append(round(total * fps))
    return points


def plan_cuts(project: Project, fps: int) -> tuple[list[Cut], list[str]]:
    """The clips the timeline holds, in board order, and a warning per shot left out."""
    check_fps(fps)
    numbers = project.shot_numbers()
    points = cut_points([scene.duration_s for scene in project.scenes], fps)
    cuts, warnings = [], []
    for i, (scene, number) in enumerate(zip(project.scenes, numbers)):
        frames = points[i + 1] - points[i]
        if frames > 0:
            cuts.append(Cut(scene, number, points[i], frames))
        elif float(scene.duration_s) == 0:
            warnings.append(f"shot {number} lasts 0 s: left out of the timeline (editors reject empty clips)")
        else:
            warnings.append(f"shot {number} lasts {float(scene.duration_s):g} s, less than a frame at {fps} fps: "
                            "left out of the timeline (its time went to the shots beside it)")
    return cuts, warnings


def timeline_warnings(project: Project, fps: int = 24) -> list[str]:
    """What a timeline export would leave out, one line per shot (empty when every shot gets a clip)."""
    return plan_cuts(project, fps)[1]


def check_fps(fps: int) -> None:
    if isinstance(fps, bool) or not isinstance(fps, int) or fps not in FRAME_RATES:
        raise ExportError(f"timeline frame rate must be one of {', '.join(map(str, FRAME_RATES))} fps, got {fps!r}")


def frame_size(aspect_ratio: str) -> tuple[int, int]:
    """A standard HD frame for the aspect ratio, both sides even: wide ones 1920 across, narrower ones 1080 high
    (or 1080 across when taller than wide)."""
    ratio = film.ASPECT_RATIOS.get(aspect_ratio, 16 / 9)

    def even(value: float) -> int:
        return max(2, 2 * round(value / 2))

    if ratio >= LONG_SIDE / SHORT_SIDE:
        return LONG_SIDE, even(LONG_SIDE / ratio)
    if ratio >= 1:
        return even(SHORT_SIDE * ratio), SHORT_SIDE
    return SHORT_SIDE, even(SHORT_SIDE / ratio)


def media_names(project: Project) -> dict[str, str]:
    """scene id → the still's file name: the slug of its printed shot number ("4B" → "4b.png"), unique."""
    names, taken = {}, set()
    for scene, number in zip(project.scenes, project.shot_numbers()):
        stem = base = slugify(number, fallback="shot")
        n = 2
        while stem in taken:
            stem, n = f"{base}-{n}", n + 1
        taken.add(stem)
        names[scene.id] = f"{stem}.png"
    return names


def reel_names(stems: list[str]) -> list[str]:
    """EDL reel names for file stems: upper-case letters and digits, at most 8, unique ("12a-1" → "12A1")."""
    reels, taken = [], set()
    for stem in stems:
        base = re.sub(r"[^A-Z0-9]", "", stem.upper())[:EDL_REEL_CHARS] or "SHOT"
        reel, n = base, 2
        while reel in taken:
            tag = f"X{n}"
            reel, n = base[: EDL_REEL_CHARS - len(tag)] + tag, n + 1
        taken.add(reel)
        reels.append(reel)
    return reels


# -- the timeline -----------------------------------------------------------------


def build_timeline(project: Project, media: Mapping[str, Path], fps: int = 24):
    """The board as an OTIO timeline: one clip per shot (0-frame shots left out, see `plan_cuts`).

    `media` maps scene ids to the still of each shot; a scene without one gets a
    MissingReference. Every adapter-specific field is filled in here, so any
    adapter can write the result as it is (the EDL and FCPXML writers in
    `export_timelines` adjust a copy for their formats' limits).
    """
    import opentimelineio as otio

    # 1. Plan the cuts and the names.
    require_scenes(project)
    cuts, skipped = plan_cuts(project, fps)
    if not cuts:
        raise ExportError("no shot lasts a frame or more; give the shots durations before exporting a timeline")
    width, height = frame_size(project.aspect_ratio)
    paths = {cut.scene.id: Path(media[cut.scene.id]).resolve() for cut in cuts if cut.scene.id in media}
    stems = [paths[cut.scene.id].stem if cut.scene.id in paths else slugify(cut.number, "shot") for cut in cuts]
    reels = reel_names(stems)

    # 2. The timeline: named after the project, starting at 01:00:00:00, one video track.
    def frames(count: int):
        return otio.opentime.RationalTime(count, fps)

    timeline = otio.schema.Timeline(name=xml_line(project.title) or "Untitled")
    timeline.global_start_time = frames(START_HOUR * 3600 * fps)
    timeline.metadata[NAMESPACE] = {
        "title": xml_text(project.title),
        "fps": fps,
        "frame_size": [width, height],
        "aspect_ratio": project.aspect_ratio,
        "left_out": skipped,
    }
    # FCP 7 XML: the sequence's frame size, so Premiere and Resolve make the sequence at the stills' size.
    timeline.metadata["fcp_xml"] = {"media": {"video": {"format": {"samplecharacteristics": {
        "rate": {"timebase": str(fps), "ntsc": "FALSE"},
        "width": str(width), "height": str(height), "anamorphic": "FALSE",
        "pixelaspectratio": "square", "fielddominance": "none",
    }}}}}
    track = otio.schema.Track(name="V1", kind=otio.schema.TrackKind.Video)
    timeline.tracks.append(track)

    # 3. One clip per shot, its still as the media, dialogue as markers.
    for cut, reel in zip(cuts, reels):
        scene = cut.scene
        span = otio.opentime.TimeRange(frames(0), frames(cut.frames))
        path = paths.get(scene.id)
        if path is None:
            reference = otio.schema.MissingReference(name=xml_line(cut.number), available_range=span)
        else:
            reference = otio.schema.ExternalReference(target_url=path.as_uri(), available_range=span)
            reference.name = path.name
            reference.metadata.update(_reference_metadata(scene, cut, reel, (width, height), fps))
        clip = otio.schema.Clip(name=xml_line(cut.number) or "shot", media_reference=reference, source_range=span)
        clip.metadata.update(_clip_metadata(scene, cut, reel))
        for marker in _dialogue_markers(scene, cut.frames, fps):
            clip.markers.append(marker)
        track.append(clip)
    return timeline


def _clip_metadata(scene: Scene, cut: Cut, reel: str) -> dict:
    """Scene fields for OTIO, the reel for the EDL, logging info for FCP 7 XML."""
    action, notes = xml_text(scene.action.strip()), xml_text(scene.notes.strip())
    logging_info = {"description": xml_line(action), "scene": xml_line(scene_part(cut.number)),
                    "shottake": xml_line(cut.number), "lognote": xml_line(notes)}
    fcp = {"logginginfo": {key: value for key, value in logging_info.items() if value},
           "comments": {"mastercomment1": _shot_words(scene)}}
    return {
        NAMESPACE: {
            "shot": xml_text(cut.number),
            "scene_number": xml_text(scene.number),
            "scene_id": scene.id,
            "heading": xml_text(scene.heading),
            "shot_size": scene.shot,
            "shot_label": shot_label(scene.shot),
            "angle": scene.angle,
            "move": scene.move,
            "framing": _shot_words(scene),
            "duration_s": float(scene.duration_s),
            "characters": [xml_text(name) for name in scene.characters],
            "action": action,
            "dialogue": [xml_text(format_line(line)) for line in scene.dialogue],
            "transition": xml_text(scene.transition),
            "notes": notes,
        },
        "cmx_3600": {"reel": reel},
        "fcp_xml": fcp,
    }


def _reference_metadata(scene: Scene, cut: Cut, reel: str, size: tuple[int, int], fps: int) -> dict:
    """FCP 7 XML: the still's frame size (which also keeps the adapter from adding an audio track) and reel.
    FCPXML: the browser clip's note, scene / shot / reel / description fields and keywords."""
    fcpx_fields = [
        ("com.apple.proapps.studio.reel", reel),
        ("com.apple.proapps.studio.scene", xml_line(scene_part(cut.number))),
        ("com.apple.proapps.studio.shot", xml_line(cut.number)),
        ("com.apple.proapps.spotlight.kMDItemDescription", xml_line(scene.action)),
    ]
    words = [shot_label(scene.shot), *scene.characters]
    keywords = ", ".join(xml_line(word).replace(",", " ") for word in words if xml_line(word))
    fcpx: dict = {"metadata": [{key: value} for key, value in fcpx_fields if value]}
    if xml_line(scene.notes):
        fcpx["note"] = xml_text(scene.notes.strip())
    if keywords:
        fcpx["keywords"] = [{"start": "0s", "duration": _seconds(cut.frames, fps), "value": keywords}]
    return {
        "fcp_xml": {
            "media": {"video": {"samplecharacteristics": {"width": str(size[0]), "height": str(size[1])}}},
            "timecode": {"reel": {"name": reel}},
        },
        "fcpx": fcpx,
    }


def _dialogue_markers(scene: Scene, frames: int, fps: int) -> list:
    """One marker per dialogue line, the lines spread evenly over the clip (in clip time)."""
    import opentimelineio as otio

    lines = [(line, xml_line(format_line(line))) for line in scene.dialogue]
    lines = [(line, text) for line, text in lines if text]
    markers = []
    for i, (line, text) in enumerate(lines):
        start = i * frames // len(lines)
        end = max(start + 1, (i + 1) * frames // len(lines))
        markers.append(otio.schema.Marker(
            name=cut_text(text, MARKER_CHARS),
            marked_range=otio.opentime.TimeRange(
                otio.opentime.RationalTime(start, fps), otio.opentime.RationalTime(end - start, fps)),
            color=MARKER_COLOR,
            comment=text,
            metadata={
                NAMESPACE: {"speaker": xml_text(line.character), "text": xml_text(line.text),
                            "parenthetical": xml_text(line.parenthetical), "extension": xml_text(line.extension)},
                "fcp_xml": {"comment": text},
            },
        ))
    return markers


# -- export -----------------------------------------------------------------------


def export_timelines(
    project: Project,
    folder: str | os.PathLike,
    out_dir: str | os.PathLike,
    kinds: list[str],
    fps: int = 24,
    progress: ProgressFn | None = None,
    cancel: CancelToken | None = None,
) -> dict[str, Path]:
    """Write <out_dir>/<stem>.<kind> for each kind and the stills in <out_dir>/<stem>-media/.

    Returns {kind: path} and {"media": folder}. Shots left out (0 frames) are
    logged as warnings; `timeline_warnings` gives the same lines to show.
    """
    # 1. Check input and destinations; names come from the title's slug only.
    kinds = _check_kinds(kinds)
    check_fps(fps)
    check_adapters(kinds)
    require_scenes(project)
    check_panel_folder(folder)
    progress = progress or no_progress
    out = _check_out_dir(out_dir)
    stem = export_stem(project)
    targets = {kind: out / f"{stem}.{kind}" for kind in kinds}
    for path in targets.values():
        if path.is_dir():
            raise ExportError(f"{path} is a folder; move it away to export the {path.suffix} timeline there")
    media_dir = out / f"{stem}-media"
    if media_dir.exists() and not media_dir.is_dir():
        raise ExportError(f"{media_dir} is a file; move it away to export the timeline's stills there")
    cuts, skipped = plan_cuts(project, fps)
    if not cuts:
        raise ExportError("no shot lasts a frame or more; give the shots durations before exporting a timeline")
    if "edl" in kinds:
        check_edl(cuts, fps)
    for line in skipped:
        log.warning("timeline: %s", line)

    # 2. Write the stills into a temp folder beside the media folder (progress and cancel per shot).
    names = media_names(project)
    size = frame_size(project.aspect_ratio)
    temp = new_temp_folder(media_dir)
    try:
        keep = {cut.scene.id for cut in cuts}
        for i, (scene, number) in enumerate(zip(project.scenes, project.shot_numbers())):
            if cancel is not None:
                cancel.check()
            if scene.id in keep:
                _write_png(panel_image(folder, scene, size, project, number), temp / names[scene.id])
            progress(i + 1, len(project.scenes), f"Timeline: shot {number}")

        # 3. Build the timeline (pointing at the final media folder) and write every format to memory.
        media = {cut.scene.id: media_dir / names[cut.scene.id] for cut in cuts}
        timeline = build_timeline(project, media, fps)
        data = {kind: serialize(timeline, kind, fps) for kind in kinds}
        if cancel is not None:
            cancel.check()

        # 4. Swap the media folder in, then write the timeline files (each atomically).
        try:
            swap_in(temp, media_dir)
        except OSError as err:
            raise ExportError(f"cannot replace {media_dir}: {err.strerror or err}") from err
    except BaseException:
        remove(temp)
        raise
    written = {}
    for kind, path in targets.items():
        try:
            atomic_write_bytes(path, data[kind])
        except OSError as err:
            raise ExportError(f"cannot write {path}: {err.strerror or err}") from err
        written[kind] = path
    written["media"] = media_dir
    return written


def _check_kinds(kinds) -> list[str]:
    if isinstance(kinds, str):
        kinds = [kinds]
    wanted: list[str] = []
    for kind in kinds or []:
        key = str(kind).strip().lower().lstrip(".")
        if key not in KINDS:
            raise ExportError(f"unknown timeline format {str(kind)[:40]!r}; use {', '.join(KINDS)}")
        if key not in wanted:
            wanted.append(key)
    if not wanted:
        raise ExportError(f"choose at least one timeline format ({', '.join(KINDS)})")
    return wanted


def _check_out_dir(out_dir: str | os.PathLike) -> Path:
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise ExportError(f"{out} is a file; give a folder to export the timeline into")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise ExportError(f"cannot create the folder {out}: {err.strerror or err}") from err
    return out.resolve()


# -- files ------------------------------------------------------------------------


def _write_png(image, path: Path) -> None:
    try:
        with open(path, "xb") as handle:
            image.save(handle, "PNG", compress_level=PNG_LEVEL)
    except OSError as err:
        raise ExportError(f"cannot write {path.name} into {path.parent.parent}: {err.strerror or err}") from err


# -- text -------------------------------------------------------------------------


def _shot_words(scene: Scene) -> str:
    """"close-up, low, dolly in": the shot's size, angle and move."""
    return xml_line(", ".join(part for part in (shot_label(scene.shot), scene.angle, scene.move) if part))


def _seconds(frames: int, fps: int) -> str:
    """A time as FCPXML writes it: "5/2s", "3s"."""
    value = Fraction(frames, fps)
    return f"{value.numerator}s" if value.denominator == 1 else f"{value.numerator}/{value.denominator}s"
