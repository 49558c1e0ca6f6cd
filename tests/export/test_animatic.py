"""The animatic: real MP4s and GIFs written with PyAV and read back (tiny frames, short shots)."""

from __future__ import annotations

import math
import re
import wave
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image, ImageDraw

from storyboard.errors import Cancelled, ExportError
from storyboard.export import motion
from storyboard.export.animatic import AnimaticOptions, export_animatic, export_animatic_gif
from storyboard.layout import blueprint
from storyboard.progress import CancelToken
from storyboard.project import DialogueLine, Panel, Project, Scene

W = 160  # frame width of most tests: 160×90
PLAIN = dict(width=W, captions=False, overlay=False, moves=False)


# -- helpers ----------------------------------------------------------------------


def panel_file(folder: Path, name: str, image: Image.Image) -> Panel:
    path = folder / "panels" / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path)
    return Panel(path=f"panels/{name}.png", backend="sketch", width=image.width, height=image.height)


def flat_board(folder: Path, greys: list[int], durations: list[float], **fields) -> Project:
    """One flat grey panel per shot."""
    scenes = []
    for i, (grey, seconds) in enumerate(zip(greys, durations)):
        scene = Scene(number=str(i + 1), id=f"s{i + 1:04d}", duration_s=seconds, **fields)
        scene.panel = panel_file(folder, scene.id, Image.new("RGB", (320, 180), (grey,) * 3))
        scenes.append(scene)
    return Project(title="Flat", scenes=scenes)


def one_shot(folder: Path, image: Image.Image, seconds: float = 1.0, **fields) -> Project:
    scene = Scene(number="1", id="s0001", duration_s=seconds, **fields)
    scene.panel = panel_file(folder, scene.id, image)
    return Project(title="One", scenes=[scene])


@dataclass
class Facts:
    """What a stream says about itself (read while its file is open)."""

    codec: str
    pix_fmt: str
    size: tuple[int, int]
    rate: Fraction
    frames: int
    duration: Fraction  # seconds


def facts(stream) -> Facts:
    context = stream.codec_context
    video = stream.type == "video"
    return Facts(
        context.name,
        context.pix_fmt if video else context.format.name,
        (stream.width, stream.height) if video else (stream.sample_rate, stream.channels),
        stream.average_rate if video else Fraction(stream.sample_rate),
        stream.frames,
        stream.duration * stream.time_base,
    )


def decode(path: Path) -> tuple[Facts, list[np.ndarray]]:
    """The video stream's facts and every frame as RGB."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        frames = [frame.to_ndarray(format="rgb24") for frame in container.decode(video=0)]
        return facts(stream), frames


def grey(frame: np.ndarray) -> np.ndarray:
    return frame.astype(np.float32).mean(axis=2)


def gif_durations(path: Path) -> list[int]:
    with Image.open(path) as image:
        out = []
        for k in range(image.n_frames):
            image.seek(k)
            out.append(image.info["duration"])
        return out


def write_wav(path: Path, seconds: float, rate: int = 44_100, channels: int = 1) -> Path:
    t = np.arange(round(seconds * rate)) / rate
    tone = (0.5 * 32767 * np.sin(2 * math.pi * 440 * t)).astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(channels)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(np.repeat(tone[:, None], channels, axis=1).tobytes())
    return path


def write_mp3(path: Path, seconds: float, rate: int = 44_100) -> Path:
    with av.open(str(path), "w", format="mp3") as container:
        stream = container.add_stream("mp3", rate=rate)
        stream.layout = "mono"
        t = np.arange(round(seconds * rate)) / rate
        samples = (0.5 * np.sin(2 * math.pi * 330 * t)).astype(np.float32)
        size = stream.codec_context.frame_size or 1152
        for start in range(0, len(samples), size):
            frame = av.AudioFrame.from_ndarray(samples[None, start : start + size], format="fltp", layout="mono")
            frame.sample_rate, frame.pts, frame.time_base = rate, start, Fraction(1, rate)
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return path


def audio_samples(path: Path) -> tuple[Facts, np.ndarray]:
    """The audio stream's facts (size is (sample rate, channels)) and its samples, channels × time."""
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        chunks = [frame.to_ndarray() for frame in container.decode(audio=0)]
        return facts(stream), np.concatenate(chunks, axis=1)


def temps(folder: Path) -> list[Path]:
    return sorted(folder.glob(".*.tmp"))


# -- options and checks -----------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("fps", 29.97),
        ("fps", 60),
        ("fps", True),
        ("width", 63),
        ("width", 5000),
        ("width", "1280"),
        ("captions", "yes"),
        ("moves", None),
        ("audio", 5),
    ],
)
def test_bad_option_names_itself_and_its_value(field, value):
    with pytest.raises(ExportError) as err:
        AnimaticOptions(**{field: value}).validate()
    message = str(err.value)
    assert field in message and repr(value) in message and "\n" not in message


def test_blank_audio_means_none():
    options = AnimaticOptions(audio="  ")
    options.validate()
    assert options.audio is None


def test_bad_destination_empty_board_and_empty_running_time(folder, tmp_path):
    board = flat_board(folder, [100], [1.0])
    with pytest.raises(ExportError, match=r"\.mp4"):
        export_animatic(board, folder, tmp_path / "cut.mov", AnimaticOptions(**PLAIN))
    with pytest.raises(ExportError, match=r"\.gif"):
        export_animatic_gif(board, folder, tmp_path / "cut.mp4", AnimaticOptions(**PLAIN))
    with pytest.raises(ExportError, match="no scenes"):
        export_animatic(Project(), folder, tmp_path / "cut.mp4")
    with pytest.raises(ExportError, match="no frames"):
        export_animatic(flat_board(folder, [100, 50], [0, 0]), folder, tmp_path / "cut.mp4")
    with pytest.raises(ExportError, match="height"):  # 9:16 at 4096 wide would be 7282 tall
        export_animatic(
            Project(aspect_ratio="9:16", scenes=board.scenes), folder, tmp_path / "cut.mp4", AnimaticOptions(width=4096)
        )
    assert not (tmp_path / "cut.mp4").exists() and not temps(tmp_path)


# -- the MP4 ---------------------------------------------------------------------------


def test_mp4_is_browser_ready_h264(board, folder, tmp_path):
    """The conftest board: placeholders, CJK/Cyrillic/emoji dialogue, a dolly in; width made even."""
    out = export_animatic(board, folder, tmp_path / "board.mp4", AnimaticOptions(width=171, fps=25))
    data = out.read_bytes()
    assert data.index(b"moov") < data.index(b"mdat")  # +faststart: the index comes first
    stream, frames = decode(out)
    assert stream.codec == "h264" and stream.pix_fmt == "yuv420p"
    assert stream.size == (172, 96)  # 171 → 172; 172 / (16/9) = 96.75 → 96
    assert stream.rate == 25
    assert len(frames) == stream.frames == round(sum(s.duration_s for s in board.scenes) * 25)
    assert not temps(tmp_path)


@pytest.mark.parametrize("fps", [24, 25, 30])
@pytest.mark.parametrize("durations", [[0.37] * 5, [1.0, 0.0, 0.52, 0.04]])
def test_running_time_is_exact_to_the_frame(folder, tmp_path, fps, durations):
    board = flat_board(folder, [40, 90, 140, 190, 240][: len(durations)], durations)
    out = export_animatic(board, folder, tmp_path / "cut.mp4", AnimaticOptions(fps=fps, **PLAIN))
    stream, frames = decode(out)
    expected = round(sum(durations) * fps)
    assert len(frames) == stream.frames == expected
    assert stream.rate == fps
    assert stream.duration == Fraction(expected, fps)


def test_cuts_land_on_the_rounded_cumulative_frame(folder, tmp_path):
    durations = [0.37, 0.37, 0.0, 0.37, 0.41]
    greys = [30, 90, 250, 150, 210]  # the 0-second shot (250) must never show
    board = flat_board(folder, greys, durations)
    _, frames = decode(export_animatic(board, folder, tmp_path / "cut.mp4", AnimaticOptions(**PLAIN)))
    cuts = motion.cut_frames(durations, 24)
    assert cuts == [0, 9, 18, 18, 27, 36]  # 8.88, 17.76, 17.76, 26.64, 36.48 rounded
    means = [grey(frame).mean() for frame in frames]
    for shot, (start, end) in enumerate(zip(cuts, cuts[1:])):
        for k in range(start, end):
            assert abs(means[k] - greys[shot]) < 3, (k, means[k], greys[shot])
    assert max(means) < 240


# -- camera moves --------------------------------------------------------------------


def bar_panel() -> Image.Image:
    """White with a black vertical bar in the middle and a black horizontal bar across the middle."""
    image = Image.new("RGB", (320, 180), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((155, 0, 164, 179), fill="black")
    draw.rectangle((0, 86, 319, 93), fill="black")
    return image


def bar_position(frame: np.ndarray, axis: int) -> float:
    """Where the dark bar is: the darkest column (axis=0) or row (axis=1), in frame pixels."""
    profile = grey(frame).mean(axis=axis)
    return float(np.argmin(profile))


def test_static_shot_holds_still(folder, tmp_path):
    board = one_shot(folder, bar_panel(), move="static")
    _, frames = decode(export_animatic(board, folder, tmp_path / "still.mp4", AnimaticOptions(width=W, overlay=False)))
    assert np.abs(frames[0].astype(int) - frames[-1]).mean() < 1.0


@pytest.mark.parametrize(("scene_id", "direction"), [("s0001", -1), ("s0002", 1)])  # a way per script scene
def test_pan_travels_the_way_the_sketch_arrow_points(folder, tmp_path, scene_id, direction):
    board = one_shot(folder, bar_panel(), move="pan", shot="LS")
    board.scenes[0].id = scene_id
    assert blueprint(board.scenes[0], board).move_direction == direction
    _, frames = decode(export_animatic(board, folder, tmp_path / "pan.mp4", AnimaticOptions(width=W, overlay=False)))
    first, last = bar_position(frames[0], 0), bar_position(frames[-1], 0)
    # the window travels right (+1) or left (-1), so the picture slides the other way
    assert (last - first) * direction < -10
    middle = bar_position(frames[len(frames) // 2], 0)
    assert abs(middle - (first + last) / 2) < 3  # eased symmetrically: half way at half time
    assert abs(bar_position(frames[1], 0) - first) < abs(middle - first) / 8  # ease-in: a slow start


def test_pan_and_moves_off_hold_still(folder, tmp_path):
    board = one_shot(folder, bar_panel(), move="pan", shot="LS")
    options = AnimaticOptions(width=W, overlay=False, moves=False)
    _, frames = decode(export_animatic(board, folder, tmp_path / "pan.mp4", options))
    assert np.abs(frames[0].astype(int) - frames[-1]).mean() < 1.0


def test_tilt_and_crane_travel_up(folder, tmp_path):
    for move in ("tilt", "crane"):
        board = one_shot(folder, bar_panel(), move=move, shot="EWS")
        out = export_animatic(board, folder, tmp_path / f"{move}.mp4", AnimaticOptions(width=W, overlay=False))
        _, frames = decode(out)
        # the window rises, so the horizontal bar moves down the frame
        assert bar_position(frames[-1], 1) - bar_position(frames[0], 1) > 5, move


def square_width(frame: np.ndarray) -> int:
    row = grey(frame)[frame.shape[0] // 2]
    return int((row < 100).sum())


@pytest.mark.parametrize(("move", "grows"), [("dolly in", True), ("zoom", True), ("dolly out", False)])
def test_dolly_changes_the_size_of_the_centre(folder, tmp_path, move, grows):
    image = Image.new("RGB", (320, 180), "white")
    ImageDraw.Draw(image).rectangle((130, 60, 189, 119), fill="black")  # 60 px square in the centre
    board = one_shot(folder, image, move=move, shot="EWS")
    _, frames = decode(
        export_animatic(board, folder, tmp_path / "dolly.mp4", AnimaticOptions(width=320, overlay=False))
    )
    first, last = square_width(frames[0]), square_width(frames[-1])
    small, large = (first, last) if grows else (last, first)
    assert 55 <= small <= 65 and large >= small * 1.2  # EWS pushes in by 1.25
    centre = grey(frames[-1])[80:100, 150:170]
    assert centre.mean() < 40  # the push stays centred


def test_every_move_keeps_its_window_inside_the_panel():
    for move in ("static", "pan", "tilt", "dolly in", "dolly out", "truck", "crane", "zoom"):
        for shot in motion.MOVE_ZOOM:
            for direction in (1, -1):
                cam = motion.camera(move, shot, direction)
                for t in np.linspace(0, 1, 41):
                    zoom, x, y = cam.at(t)
                    half = 1 / (2 * zoom)
                    assert zoom >= 1
                    assert half - 1e-9 <= x <= 1 - half + 1e-9 and half - 1e-9 <= y <= 1 - half + 1e-9
    assert motion.camera("pan", "EWS").zoom[0] > motion.camera("pan", "CU").zoom[0]  # wide travels further


# -- transitions ----------------------------------------------------------------------


def test_transition_words():
    kinds = {
        text: motion.transition_kind(text)
        for text in (
            "CUT TO:",
            "DISSOLVE TO:",
            "FADE OUT.",
            "FADE TO BLACK.",
            "FADE IN:",
            "SMASH CUT TO:",
            "WIPE TO:",
            "",
            "crossfade to:",
        )
    }
    assert kinds == {
        "CUT TO:": "cut",
        "DISSOLVE TO:": "dissolve",
        "FADE OUT.": "fade out",
        "FADE TO BLACK.": "fade out",
        "FADE IN:": "fade in",
        "SMASH CUT TO:": "cut",
        "WIPE TO:": "wipe",
        "": "cut",
        "crossfade to:": "dissolve",
    }


def test_dissolve_blends_the_greys_across_the_cut_without_changing_the_running_time(folder, tmp_path):
    board = flat_board(folder, [40, 200], [1.0, 1.0])
    board.scenes[0].transition = "DISSOLVE TO:"
    _, frames = decode(export_animatic(board, folder, tmp_path / "dissolve.mp4", AnimaticOptions(**PLAIN)))
    means = [grey(frame).mean() for frame in frames]
    assert len(frames) == 48
    assert abs(means[10] - 40) < 3 and abs(means[40] - 200) < 3
    assert 90 < means[24] < 150  # 12 frames centred on the cut at frame 24: about half of each
    assert all(a <= b + 1 for a, b in zip(means[17:31], means[18:31]))  # rises steadily
    assert abs(means[17] - 40) < 3 and abs(means[30] - 200) < 3  # frames 18-29 blend


def test_dissolve_is_never_longer_than_half_a_short_shot():
    scenes = [Scene("1", duration_s=0.25, transition="DISSOLVE TO:"), Scene("2", duration_s=2.0)]
    first, second = motion.plan_timeline(scenes, 24)
    assert first.blend_out == second.blend_in == 3  # 6 frames: half is 3


def test_fade_out_reaches_black_and_fade_in_rises_from_black(folder, tmp_path):
    board = flat_board(folder, [180, 120], [1.0, 1.0])
    board.scenes[0].transition = "FADE IN:"  # on the first shot: fade up from black
    board.scenes[1].transition = "FADE OUT."
    _, frames = decode(export_animatic(board, folder, tmp_path / "fade.mp4", AnimaticOptions(**PLAIN)))
    means = [grey(frame).mean() for frame in frames]
    assert means[0] < 3 and 60 < means[6] < 120 and abs(means[12] - 180) < 3  # 12-frame fade up
    assert abs(means[24] - 120) < 3 and 30 < means[42] < 90 and means[-1] < 3  # 12-frame fade down
    assert len(frames) == 48


def test_fade_in_between_shots_dips_through_black(folder, tmp_path):
    board = flat_board(folder, [180, 180, 180], [1.0, 1.0, 1.0])
    board.scenes[1].transition = "FADE IN:"  # written between two scenes: fade out, then fade in
    board.scenes[2].transition = "DISSOLVE TO:"  # after the last shot: nothing to dissolve to
    _, frames = decode(export_animatic(board, folder, tmp_path / "dip.mp4", AnimaticOptions(**PLAIN)))
    means = [grey(frame).mean() for frame in frames]
    assert abs(means[0] - 180) < 3 and abs(means[30] - 180) < 3  # shot 1 and the start of shot 2 untouched
    assert means[47] < 3 and means[48] < 3  # black across the cut
    assert abs(means[60] - 180) < 3 and abs(means[-1] - 180) < 3
    assert len(frames) == 72


def test_cut_frames_never_accumulate_rounding():
    rng = np.random.default_rng(7)
    for fps in (12, 24, 25, 30):
        durations = list(rng.choice([0.0, 0.04, 0.37, 0.5, 1.13, 2.0, 3.3], size=200))
        cuts = motion.cut_frames(durations, fps)
        assert cuts[-1] == round(sum(durations) * fps)
        elapsed = np.cumsum(durations)
        assert all(abs(cut - t * fps) <= 0.5 + 1e-9 for cut, t in zip(cuts[1:], elapsed))


def test_wipe_reveals_the_next_shot_from_the_left(folder, tmp_path):
    board = flat_board(folder, [40, 220], [1.0, 1.0])
    board.scenes[0].transition = "WIPE TO:"
    _, frames = decode(export_animatic(board, folder, tmp_path / "wipe.mp4", AnimaticOptions(**PLAIN)))
    columns = grey(frames[24]).mean(axis=0)
    assert columns[5] > 200 and columns[-5] < 60


# -- burned-in text -----------------------------------------------------------------------


def test_captions_draw_in_the_bottom_band_only_when_there_is_dialogue(folder, tmp_path):
    lines = [DialogueLine("Zoë", "Who's there? Кто там?"), DialogueLine("李明", "我在这里。我在这里。")]
    board = flat_board(folder, [120, 120], [1.0, 1.0])
    board.scenes[0].dialogue = lines
    plain = decode(export_animatic(board, folder, tmp_path / "plain.mp4", AnimaticOptions(**PLAIN)))[1]
    options = AnimaticOptions(width=W, captions=True, overlay=False, moves=False)
    captioned = decode(export_animatic(board, folder, tmp_path / "captions.mp4", options))[1]
    band = 90 * 2 // 3
    for k in (3, 20):  # shot 1 shows its two lines one after the other
        diff = np.abs(captioned[k].astype(int) - plain[k])
        assert diff[band:].mean() > 5 and diff[: 90 // 2].mean() < 1
    bottom = lambda k: captioned[k][band:].astype(int)  # noqa: E731
    assert np.abs(bottom(3) - bottom(20)).mean() > 3  # different lines at the start and the end
    assert np.abs(captioned[36].astype(int) - plain[36]).mean() < 1  # shot 2 has no dialogue


def test_long_speech_wraps_to_two_lines_per_caption():
    from storyboard.export.burnin import caption_pages

    scene = Scene("1", dialogue=[DialogueLine("ANNA", "word " * 60)])
    pages = caption_pages(scene, 640, 360)
    assert len(pages) > 1
    heights = {sticker.cover.shape[0] for _, sticker in pages}
    assert max(heights) < 360 * 0.2  # two lines at most
    assert all(sticker.y + sticker.cover.shape[0] <= 360 and sticker.x >= 0 for _, sticker in pages)


def test_overlay_shows_number_and_a_running_timecode(folder, tmp_path):
    board = flat_board(folder, [120], [1.0])
    options = AnimaticOptions(width=W, captions=False, overlay=True, moves=False)
    plain = decode(export_animatic(board, folder, tmp_path / "plain.mp4", AnimaticOptions(**PLAIN)))[1]
    burned = decode(export_animatic(board, folder, tmp_path / "overlay.mp4", options))[1]
    changed = np.abs(burned[5].astype(int) - plain[5]).mean(axis=(0, 2))  # per column
    assert changed[: W // 2].max() < 1  # the top left stays the panel's own (a sketch prints its label there)
    assert changed[W // 2 :].max() > 10  # the number and the timecode, side by side at the top right
    timecode = np.s_[:14, -70:]
    assert np.abs(burned[5][timecode].astype(int) - burned[6][timecode]).mean() > 1  # it ticks
    assert np.abs(burned[5][30:].astype(int) - plain[5][30:]).mean() < 1  # small: only the top


# -- sound ------------------------------------------------------------------------------


@pytest.mark.parametrize("seconds", [0.5, 3.0])  # padded with silence / trimmed
def test_wav_is_laid_under_the_cut(folder, tmp_path, seconds):
    board = flat_board(folder, [60, 160], [0.75, 0.5])
    wav = write_wav(tmp_path / "temp track.wav", seconds)
    out = export_animatic(board, folder, tmp_path / "sound.mp4", AnimaticOptions(**PLAIN, audio=str(wav)))
    video, _ = decode(out)
    audio, samples = audio_samples(out)
    assert audio.codec == "aac" and audio.size == (48_000, 2)
    assert video.duration == Fraction(5, 4)
    assert abs(samples.shape[1] / 48_000 - 1.25) <= 1 / 24
    assert abs(audio.duration - Fraction(5, 4)) <= Fraction(1, 24)
    assert np.abs(samples[:, 4_800:19_200]).mean() > 0.1  # the tone at 0.1-0.4 s
    if seconds < 1.25:
        assert np.abs(samples[:, 33_600:55_000]).max() < 0.01  # silence after the file ends (0.7 s on)


def test_mp3_is_laid_under_the_cut(folder, tmp_path):
    board = flat_board(folder, [60], [1.0])
    mp3 = write_mp3(tmp_path / "track.mp3", 2.0)
    out = export_animatic(board, folder, tmp_path / "sound.mp4", AnimaticOptions(**PLAIN, audio=mp3))
    audio, samples = audio_samples(out)
    assert audio.codec == "aac" and audio.size == (48_000, 2)
    assert abs(samples.shape[1] / 48_000 - 1.0) <= 1 / 24
    assert np.abs(samples[:, 9_600:38_400]).mean() > 0.1


@pytest.mark.parametrize("kind", ["missing", "text", "image", "folder", "playlist"])
def test_bad_audio_file_is_named_before_any_video_work(folder, tmp_path, kind):
    board = flat_board(folder, [60], [1.0])
    target = tmp_path / "sound.mp4"
    target.write_bytes(b"an earlier good cut")
    bad = {
        "missing": tmp_path / "nowhere.wav",
        "text": tmp_path / "notes.wav",
        "image": tmp_path / "still.mp3",
        "folder": tmp_path / "tracks",
        "playlist": tmp_path / "score.wav",  # an HLS playlist posing as sound: FFmpeg would fetch what it names
    }[kind]
    if kind == "text":
        bad.write_text("not a sound at all\n" * 50)
    elif kind == "image":
        Image.new("RGB", (32, 32), "red").save(bad, format="PNG")
    elif kind == "folder":
        bad.mkdir()
    elif kind == "playlist":
        bad.write_text(f"#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\nfile://{folder}/project.json\n#EXT-X-ENDLIST\n")
    with pytest.raises(ExportError) as err:
        export_animatic(board, folder, target, AnimaticOptions(**PLAIN, audio=str(bad)))
    assert str(bad) in str(err.value) and "\n" not in str(err.value)
    if kind in ("text", "image", "playlist"):  # refused by its first bytes: FFmpeg never probes it
        assert "is not a WAV or MP3 file" in str(err.value)
    with pytest.raises(ExportError, match=re.escape(str(bad))):  # checked with the other options, before any export
        AnimaticOptions(audio=bad).validate()
    assert target.read_bytes() == b"an earlier good cut" and not temps(tmp_path)


# -- progress, cancel, atomic output ------------------------------------------------------


def test_progress_reports_each_printed_shot_number(folder, tmp_path):
    board = flat_board(folder, [60, 90, 120], [2.0, 0.0, 0.5])
    board.scenes[1].number, board.scenes[2].number = "1A", "2"
    board.shot_numbering = "dashes"  # 1, 1A, 2 print as 1-1, 1-2, 2-1
    calls = []
    export_animatic(
        board,
        folder,
        tmp_path / "cut.mp4",
        AnimaticOptions(**PLAIN),
        progress=lambda done, total, message: calls.append((done, total, message)),
    )
    messages = [message for _, _, message in calls]
    for number in ("1-1", "1-2", "2-1"):
        assert f"Animatic: shot {number}" in messages
    dones = [done for done, _, _ in calls]
    assert dones == sorted(dones) and dones[-1] == 3 and {total for _, total, _ in calls} == {3}
    assert any(0 < done < 1 for done in dones)  # fractional within the 2-second shot


class CancelAtShot(CancelToken):
    """Cancels when progress reaches shot `index` (used as the progress callback too)."""

    def __init__(self, index: int) -> None:
        super().__init__()
        self.index = index

    def __call__(self, done: float, total: int, message: str) -> None:
        if done >= self.index:
            self.cancel()


@pytest.mark.parametrize(("export", "suffix"), [(export_animatic, ".mp4"), (export_animatic_gif, ".gif")])
def test_cancel_keeps_the_earlier_file_and_leaves_no_temp(folder, tmp_path, export, suffix):
    board = flat_board(folder, [60, 90, 120, 150], [0.5, 0.5, 0.5, 0.5])
    target = tmp_path / f"cut{suffix}"
    export(board, folder, target, AnimaticOptions(**PLAIN))
    before = target.read_bytes()
    board.scenes[0].duration_s = 1.0
    token = CancelAtShot(2)
    with pytest.raises(Cancelled):
        export(board, folder, target, AnimaticOptions(**PLAIN), progress=token, cancel=token)
    assert target.read_bytes() == before and not temps(tmp_path)


def test_failure_mid_way_keeps_the_earlier_file(folder, tmp_path, monkeypatch):
    from storyboard.export import animatic

    board = flat_board(folder, [60, 90], [0.5, 0.5])
    target = tmp_path / "cut.mp4"
    export_animatic(board, folder, target, AnimaticOptions(**PLAIN))
    before = target.read_bytes()
    original = animatic.Picture.__init__

    def fail_on_second(self, folder, project, scene, number, size, move):
        if scene.number == "2":
            raise OSError("disk trouble")
        original(self, folder, project, scene, number, size, move)

    monkeypatch.setattr(animatic.Picture, "__init__", fail_on_second)
    with pytest.raises(OSError, match="disk trouble"):
        export_animatic(board, folder, target, AnimaticOptions(**PLAIN))
    assert target.read_bytes() == before and not temps(tmp_path)


# -- the GIF --------------------------------------------------------------------------------


def test_gif_runs_exactly_as_long_as_the_board_and_is_smaller(board, folder, tmp_path):
    for scene, seconds in zip(board.scenes, (0.37, 1.0, 0.0, 0.5, 0.26, 0.41, 0.53)):
        scene.duration_s = seconds
    board.scenes[0].transition = "DISSOLVE TO:"
    board.scenes[5].transition = "FADE OUT."
    out = export_animatic_gif(board, folder, tmp_path / "board.gif", AnimaticOptions(width=1280, fps=30))
    durations = gif_durations(out)
    total = sum(scene.duration_s for scene in board.scenes)
    assert sum(durations) == round(total * 100) * 10  # GIF counts in 1/100 s
    assert len(durations) == round(total * 12)  # 12 fps
    with Image.open(out) as image:
        assert image.size == (640, 360) and image.info.get("loop") == 0
        image.seek(len(durations) // 2)
        assert image.convert("RGB").getextrema() != ((0, 0), (0, 0), (0, 0))
    assert not temps(tmp_path)


def test_gif_colours_follow_the_panels(folder, tmp_path):
    board = flat_board(folder, [40, 200], [0.5, 0.5])
    out = export_animatic_gif(board, folder, tmp_path / "flat.gif", AnimaticOptions(**PLAIN))
    with Image.open(out) as image:
        assert image.size == (W, 90)
        first = np.asarray(image.convert("RGB"), np.float32).mean()
        image.seek(image.n_frames - 1)
        last = np.asarray(image.convert("RGB"), np.float32).mean()
    assert abs(first - 40) < 4 and abs(last - 200) < 4
