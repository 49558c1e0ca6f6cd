"""Editorial timelines: every file is read back with OpenTimelineIO (and the FCPXML also as XML)."""

from __future__ import annotations

import logging
import os
import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from urllib.parse import unquote, urlparse

import opentimelineio as otio
import pytest
from PIL import Image

from storyboard.errors import Cancelled, ExportError
from storyboard.export import timeline as tl
from storyboard.export.timeline import (
    build_timeline,
    cut_points,
    export_timelines,
    frame_size,
    media_names,
    reel_names,
    timeline_warnings,
)
from storyboard.progress import CancelToken
from storyboard.project import DialogueLine, Project, Scene

from .conftest import make_board

ALL = ["otio", "fcpxml", "xml", "edl"]
# Awkward durations: thirds, 0.37 s, a shot shorter than a frame and an empty one (left out).
AWKWARD = [0.37, 2.5, 1 / 3, 0.0, 1.16, 0.01, 2.28]
LINE_2 = "Zoë (whispering): Who's there? 👋"
LINE_2B = "Дмитрий: Кто там? Это я."
LINE_2A = "李明 (V.O.): 我在这里。"


@pytest.fixture(autouse=True)
def small_frames(monkeypatch):
    """Stills at 192x108 (16:9) keep the tests fast; one test checks the real 1920x1080."""
    monkeypatch.setattr(tl, "LONG_SIDE", 192)
    monkeypatch.setattr(tl, "SHORT_SIDE", 108)


def read(path: Path, fps: int):
    return otio.adapters.read_from_file(str(path), **({"rate": fps} if path.suffix == ".edl" else {}))


def clips(timeline) -> list:
    return list(timeline.find_clips())


def local_path(url: str) -> Path:
    parsed = urlparse(url)
    assert parsed.scheme == "file"
    return Path(unquote(parsed.path))


def expected_frames(durations: list[float], fps: int) -> list[int]:
    """Reference: cut k at round(exact decimal sum of the first k durations * fps); per-shot frame counts."""
    points, total = [0], Decimal(0)
    for seconds in durations:
        total += Decimal(str(seconds))
        points.append(round(total * fps))
    return [b - a for a, b in zip(points, points[1:])]


def fcpxml_frames(path: Path, fps: int) -> list[tuple[str, int]]:
    """(name, frames) of the spine's clips, from the rational times FCP reads."""
    root = ET.parse(path).getroot()
    out = []
    for clip in root.iter("clip"):
        seconds = Fraction(clip.get("duration").rstrip("s"))
        assert (seconds * fps).denominator == 1, clip.get("duration")  # on the frame grid
        out.append((clip.get("name"), int(seconds * fps)))
    return out


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# -- planning -----------------------------------------------------------------------


def test_cut_points_round_the_cuts_not_the_durations():
    points = cut_points([0.37] * 100, 24)
    assert points[-1] == round(37 * 24) == 888  # rounding each 8.88-frame shot to 9 would give 900
    assert {b - a for a, b in zip(points, points[1:])} == {8, 9}
    assert cut_points([1 / 3] * 3, 30) == [0, 10, 20, 30]
    assert cut_points([0.5, 0.5], 25) == [0, 12, 25]  # exact halves round to even, and never drift


@pytest.mark.parametrize(
    ("aspect", "size"),
    [("16:9", (1920, 1080)), ("2.39:1", (1920, 804)), ("1.85:1", (1920, 1038)), ("4:3", (1440, 1080)),
     ("1:1", (1080, 1080)), ("9:16", (1080, 1920))],
)
def test_frame_size(monkeypatch, aspect, size):
    monkeypatch.setattr(tl, "LONG_SIDE", 1920)
    monkeypatch.setattr(tl, "SHORT_SIDE", 1080)
    assert frame_size(aspect) == size


def test_media_and_reel_names_are_safe_and_unique(board):
    board.scenes[3].number = "../../etc/passwd"
    board.scenes[4].number = "CON"
    board.scenes[5].number = "2a"  # the same slug as "2A"
    names = list(media_names(board).values())
    assert len(set(names)) == len(names)
    assert all(re.fullmatch(r"[a-z0-9-]+\.png", name) for name in names), names
    assert names[3] == "etc-passwd.png" and names[4].startswith("con-")
    reels = reel_names(["12a-1", "12a1", "abcdefghijk", "", "abcdefghxyz", "con-1a2b3c"])
    assert reels[0] == "12A1" and reels[2] == "ABCDEFGH" and reels[3] == "SHOT"
    assert len(set(reels)) == len(reels)
    assert all(re.fullmatch(r"[A-Z0-9]{1,8}", reel) for reel in reels), reels


# -- every format read back -----------------------------------------------------------


@pytest.mark.parametrize("fps", [24, 25, 30])
def test_round_trip_clips_durations_and_media(board, folder, tmp_path, fps):
    for scene, seconds in zip(board.scenes, AWKWARD):
        scene.duration_s = seconds
    frames = expected_frames(AWKWARD, fps)
    numbers = board.shot_numbers()
    kept = [(number, n) for number, n in zip(numbers, frames) if n > 0]
    assert "3" not in dict(kept)  # the 0-second shot is left out
    total = round(sum(AWKWARD) * fps)
    assert sum(n for _, n in kept) == total

    out = export_timelines(board, folder, tmp_path / "out", ALL, fps=fps)
    assert set(out) == {*ALL, "media"}
    assert out["media"] == (tmp_path / "out" / "the-lighthouse-media").resolve()
    for kind in ALL:
        timeline = read(out[kind], fps)
        found = clips(timeline)
        assert [clip.name for clip in found] == [number for number, _ in kept], kind
        got = [round(clip.duration().rescaled_to(fps).value) for clip in found]
        if kind == "fcpxml":
            # The FCPXML reader truncates n/fps seconds to whole frames (29/25*25 = 28.999… → 28), so
            # its frames may be one short; the file itself holds the exact times, checked below.
            assert all(0 <= want - n <= 1 for want, n in zip([n for _, n in kept], got)), got
        else:
            assert got == [n for _, n in kept], kind
            assert round(timeline.duration().rescaled_to(fps).value) == total, kind
        for clip in found:
            path = local_path(clip.media_reference.target_url)
            assert path.parent == out["media"] and path.is_file(), kind
            with Image.open(path) as image:
                assert image.format == "PNG" and image.size == (192, 108)
    assert fcpxml_frames(out["fcpxml"], fps) == kept
    assert sorted(p.name for p in out["media"].iterdir()) == sorted(f"{n.lower()}.png" for n, _ in kept)


def test_start_timecode_and_frame_size(board, folder, tmp_path, monkeypatch):
    monkeypatch.setattr(tl, "LONG_SIDE", 1920)
    monkeypatch.setattr(tl, "SHORT_SIDE", 1080)
    out = export_timelines(board, folder, tmp_path, ALL, fps=25)
    hour = otio.opentime.RationalTime(3600 * 25, 25)
    assert read(out["otio"], 25).global_start_time == hour
    assert read(out["xml"], 25).global_start_time == hour
    first_event = next(line for line in out["edl"].read_text().splitlines() if line[:3].isdigit())
    assert first_event.split()[6] == "01:00:00:00"  # record in
    with Image.open(out["media"] / "1.png") as image:
        assert image.size == (1920, 1080)
    fmt = ET.parse(out["fcpxml"]).getroot().find("./resources/format")
    assert (fmt.get("width"), fmt.get("height"), fmt.get("name")) == ("1920", "1080", "FFVideoFormat1080p25")
    sequence = ET.parse(out["xml"]).getroot().find(".//sequence/media/video/format/samplecharacteristics")
    assert (sequence.findtext("width"), sequence.findtext("height")) == ("1920", "1080")


def test_dialogue_markers_and_notes_per_format(board, folder, tmp_path):
    out = export_timelines(board, folder, tmp_path, ALL, fps=24)
    second = {kind: clips(read(out[kind], 24))[1] for kind in ALL}
    third = {kind: clips(read(out[kind], 24))[2] for kind in ALL}

    # Markers survive every format, one per line, spread over the clip (2.5 s = 60 frames, two lines).
    for kind in ("otio", "xml", "fcpxml"):
        assert [m.name for m in second[kind].markers] == [LINE_2, LINE_2B], kind
        assert [m.name for m in third[kind].markers] == [LINE_2A], kind
        starts = [m.marked_range.start_time.rescaled_to(24).value for m in second[kind].markers]
        assert starts == [0, 30], kind
    edl_names = [m.name for m in second["edl"].markers]
    assert edl_names == ["ZOE (WHISPERING): WHO'S THERE?", "DMITRII: KTO TAM? ETO IA."]
    # EDL locators sit at their record timecode (shot 2 starts at 01:00:03:00); OTIO reads that back as is.
    assert [otio.opentime.to_timecode(m.marked_range.start_time, 24) for m in second["edl"].markers] == [
        "01:00:03:00", "01:00:04:06"]
    assert second["otio"].markers[0].comment == LINE_2
    assert second["xml"].markers[0].metadata["fcp_xml"]["comment"] == LINE_2

    # Action and notes: OTIO metadata, FCP 7 logging info, the FCPXML browser clip, EDL comments.
    info = second["otio"].metadata["storyboard"]
    assert info["notes"] == "Keep the lantern in frame" and info["action"] == "Zoë hears footsteps on the stairs."
    assert list(info["dialogue"]) == [LINE_2, LINE_2B] and list(info["characters"]) == ["Zoë", "Дмитрий"]
    logging_info = second["xml"].metadata["fcp_xml"]["logginginfo"]
    assert logging_info["lognote"] == "Keep the lantern in frame"
    assert logging_info["description"] == "Zoë hears footsteps on the stairs."
    fcpx = second["fcpxml"].media_reference.metadata["fcpx"]
    assert fcpx["note"] == "Keep the lantern in frame"
    assert {"com.apple.proapps.studio.shot": "2"} in list(fcpx["metadata"])
    assert list(second["edl"].metadata["cmx_3600"]["comments"]) == [
        "SHOT: close-up, low, dolly in", "ACTION: Zoe hears footsteps on the stairs.",
        "NOTE: Keep the lantern in frame"]


def test_unicode_is_kept_except_in_the_edl(board, folder, tmp_path):
    board.title = "Zoë и 李明 🐉"
    board.scenes[0].number = "1Ä"
    out = export_timelines(board, folder, tmp_path, ALL, fps=24)
    for kind in ("otio", "xml", "fcpxml"):
        timeline = read(out[kind], 24)
        assert timeline.name == "Zoë и 李明 🐉", kind
        assert clips(timeline)[0].name == "1Ä", kind
    assert out["otio"].name == "zoe.otio"  # file names come from the title's slug
    raw = out["edl"].read_bytes()
    raw.decode("ascii")  # raises if not
    text = raw.decode("ascii")
    assert text.startswith("TITLE: Zoe i Li Ming\n")
    assert "* FROM CLIP NAME:  1A" in text
    assert all(len(line) <= 80 for line in text.splitlines() if not line.startswith("* FROM CLIP:"))


def test_long_text_fits_edl_lines_and_control_characters_never_reach_xml(board, folder, tmp_path):
    scene = board.scenes[1]
    scene.dialogue = [DialogueLine("Zoë", "word " * 200)]
    scene.action = "A\x00B\x0bC\ud800D" + " long" * 100
    scene.notes = "bell\x07"
    out = export_timelines(board, folder, tmp_path, ALL, fps=24)
    for kind in ("xml", "fcpxml"):
        ET.parse(out[kind])  # well-formed
    second = clips(read(out["otio"], 24))[1]
    assert second.metadata["storyboard"]["action"].startswith("ABCD long")
    assert second.metadata["storyboard"]["notes"] == "bell"
    assert len(second.markers[0].name) == tl.MARKER_CHARS and second.markers[0].comment.startswith("Zoë: word")
    lines = out["edl"].read_text(encoding="ascii").splitlines()
    assert all(len(line) <= 80 for line in lines if not line.startswith("* FROM CLIP:")), max(lines, key=len)
    assert any(line.startswith("* LOC: 01:00:03:00 YELLOW  ZOE: WORD") and line.endswith("...") for line in lines)


def test_zero_second_shots_are_left_out_with_a_warning(board, folder, tmp_path, caplog):
    board.scenes[4].duration_s = 0
    assert timeline_warnings(board, 24) == [
        "shot 4 lasts 0 s: left out of the timeline (editors reject empty clips)"]
    board.scenes[5].duration_s = 0.01  # 14.5 s → frame 348, 14.51 s → frame 348: no frame of its own
    assert timeline_warnings(board, 24)[1] == ("shot 5 lasts 0.01 s, less than a frame at 24 fps: left out of the "
                                               "timeline (its time went to the shots beside it)")
    board.scenes[5].duration_s = 3.0
    with caplog.at_level(logging.WARNING, logger="storyboard.export.timeline"):
        out = export_timelines(board, folder, tmp_path, ["otio", "edl"], fps=24)
    assert "shot 4 lasts 0 s" in caplog.text
    for kind in ("otio", "edl"):
        assert [clip.name for clip in clips(read(out[kind], 24))] == ["1", "2", "2A", "3", "5", "6"]
    timeline = read(out["otio"], 24)
    assert list(timeline.metadata["storyboard"]["left_out"]) == timeline_warnings(board, 24)
    for scene in board.scenes:
        scene.duration_s = 0
    with pytest.raises(ExportError, match="no shot lasts a frame"):
        export_timelines(board, folder, tmp_path, ["otio"])


def test_dashed_numbers_progress_and_build_timeline(board, folder, tmp_path):
    board.shot_numbering = "dashes"
    calls = []
    out = export_timelines(board, folder, tmp_path, ["otio"], fps=30, progress=lambda *a: calls.append(a))
    numbers = board.shot_numbers()
    assert [clip.name for clip in clips(read(out["otio"], 30))] == numbers
    assert calls == [(i + 1, 7, f"Timeline: shot {n}") for i, n in enumerate(numbers)]
    # build_timeline alone: a scene without a still gets a MissingReference.
    media = {scene.id: tmp_path / f"{scene.id}.png" for scene in board.scenes[1:]}
    timeline = build_timeline(board, media, 30)
    assert isinstance(clips(timeline)[0].media_reference, otio.schema.MissingReference)
    assert clips(timeline)[1].media_reference.target_url == (tmp_path / "s0002.png").resolve().as_uri()


# -- safety -----------------------------------------------------------------------------


def test_cancel_and_failure_leave_the_previous_export_intact(board, folder, tmp_path, monkeypatch):
    out_dir = tmp_path / "out"
    export_timelines(board, folder, out_dir, ALL, fps=24)
    before = snapshot(out_dir)
    board.scenes[0].duration_s = 7.0
    board.scenes[1].action = "Changed"

    token = CancelToken()

    def cancel_at_three(done, total, message):
        if done == 3:
            token.cancel()

    with pytest.raises(Cancelled):
        export_timelines(board, folder, out_dir, ALL, fps=24, progress=cancel_at_three, cancel=token)
    assert snapshot(out_dir) == before
    assert [p.name for p in out_dir.iterdir() if p.name.startswith(".")] == []

    calls = []

    def failing(*args):
        calls.append(args)
        if len(calls) == 4:
            raise OSError("disk full")
        return real(*args)

    real = tl.panel_image
    monkeypatch.setattr(tl, "panel_image", failing)
    with pytest.raises(OSError, match="disk full"):
        export_timelines(board, folder, out_dir, ALL, fps=24)
    monkeypatch.setattr(tl, "panel_image", real)

    def broken(timeline, kind, fps):
        raise ExportError(f"OpenTimelineIO could not write the {kind} timeline: boom")

    monkeypatch.setattr(tl, "serialize", broken)
    with pytest.raises(ExportError, match="boom"):
        export_timelines(board, folder, out_dir, ALL, fps=24)
    assert snapshot(out_dir) == before
    assert [p.name for p in out_dir.iterdir() if p.name.startswith(".")] == []


def test_re_export_replaces_the_media_folder(board, folder, tmp_path):
    out = export_timelines(board, folder, tmp_path, ["otio"], fps=24)
    assert (out["media"] / "6.png").is_file()
    del board.scenes[5:]
    out = export_timelines(board, folder, tmp_path, ["otio"], fps=24)
    assert sorted(p.name for p in out["media"].iterdir()) == ["1.png", "2.png", "2a.png", "3.png", "4.png"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project", "the-lighthouse-media", "the-lighthouse.otio"]


def test_hostile_title_and_numbers_stay_inside_out_dir(folder, tmp_path):
    board = make_board(folder, 6)
    board.title = "../../x"
    for scene, number in zip(board.scenes, ["../../evil", "CON", "a/b\\c", "..", "4'B", "/etc/passwd"]):
        scene.number = number
    out_dir = tmp_path / "deep" / "out"
    outside = {p for p in tmp_path.rglob("*")}
    out = export_timelines(board, folder, out_dir, ALL, fps=24)
    created = {p for p in tmp_path.rglob("*")} - outside
    assert all(p == out_dir or p.is_relative_to(out_dir) or p == out_dir.parent for p in created), created
    assert sorted(p.name for p in out_dir.iterdir()) == ["x-media", "x.edl", "x.fcpxml", "x.otio", "x.xml"]
    names = sorted(p.name for p in out["media"].iterdir())
    assert all(re.fullmatch(r"[a-z0-9-]+\.png", name) for name in names) and len(names) == 6
    assert [clip.name for clip in clips(read(out["otio"], 24))] == [s.number for s in board.scenes]
    # The FCPXML writer looks clips up by name in an XPath a ' breaks: it gets a typographic apostrophe.
    assert clips(read(out["fcpxml"], 24))[4].name == "4\u2019B"
    reels = [line.split()[1] for line in out["edl"].read_text().splitlines() if line[:3].isdigit()]
    assert len(set(reels)) == 6 and all(re.fullmatch(r"[A-Z0-9]{1,8}", reel) for reel in reels), reels


def test_a_media_link_is_replaced_not_followed(board, folder, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("mine")
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    os.symlink(elsewhere, out_dir / "the-lighthouse-media")
    out = export_timelines(board, folder, out_dir, ["xml"], fps=24)
    assert not out["media"].is_symlink() and (out["media"] / "1.png").is_file()
    assert sorted(p.name for p in elsewhere.iterdir()) == ["keep.txt"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kinds": ["mp4"]}, "unknown timeline format 'mp4'"),
        ({"kinds": []}, "choose at least one timeline format"),
        ({"kinds": ["otio"], "fps": 23}, "frame rate must be one of 24, 25, 30, 50, 60"),
        ({"kinds": ["otio"], "fps": True}, "frame rate"),
        ({"kinds": ["otio"], "fps": 24.0}, "frame rate"),
    ],
)
def test_bad_options(board, folder, tmp_path, kwargs, message):
    with pytest.raises(ExportError, match=message):
        export_timelines(board, folder, tmp_path / "out", **kwargs)
    assert not (tmp_path / "out").exists()


def test_edl_limits_are_checked_before_anything_is_written(folder, tmp_path):
    many = Project(title="Long", scenes=[Scene(number=str(i + 1), id=f"s{i:04d}", duration_s=1) for i in range(1000)])
    with pytest.raises(ExportError, match="at most 999 events"):
        export_timelines(many, folder, tmp_path / "out", ["otio", "edl"])
    day = Project(title="Day", scenes=[Scene(number=str(i + 1), id=f"s{i:04d}", duration_s=3600) for i in range(23)])
    with pytest.raises(ExportError, match="24:00:00:00"):
        export_timelines(day, folder, tmp_path / "out", ["edl"])
    assert list((tmp_path / "out").iterdir()) == []


def test_a_missing_adapter_names_its_package(board, folder, tmp_path, monkeypatch):
    monkeypatch.setattr(otio.adapters, "available_adapter_names", lambda: ["otio_json"])
    with pytest.raises(ExportError, match="needs OpenTimelineIO's fcpx_xml adapter: pip install otio-fcpx-xml-adapter"):
        export_timelines(board, folder, tmp_path / "out", ["otio", "fcpxml"])
    assert not (tmp_path / "out").exists()


def test_bad_destinations(board, folder, tmp_path):
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    with pytest.raises(ExportError, match="is a file; give a folder"):
        export_timelines(board, folder, a_file, ["otio"])
    (tmp_path / "out" / "the-lighthouse.edl").mkdir(parents=True)
    with pytest.raises(ExportError, match="is a folder"):
        export_timelines(board, folder, tmp_path / "out", ["otio", ".EDL"])
    (tmp_path / "out2").mkdir()
    (tmp_path / "out2" / "the-lighthouse-media").write_text("x")
    with pytest.raises(ExportError, match="the-lighthouse-media is a file"):
        export_timelines(board, folder, tmp_path / "out2", ["otio"])
    assert sorted(p.name for p in (tmp_path / "out2").iterdir()) == ["the-lighthouse-media"]
