"""Storyboarder export, checked against the .storyboarder format as Storyboarder's own source describes it.

The format below was read from wonderunit/storyboarder (src/js/models/board.js, src/js/window/main-window.js,
src/js/main.js, src/js/exporters/common.js and the .storyboarder files under test/fixtures/); it is written out
here as data, not copied.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest
from PIL import Image

from storyboard import film
from storyboard.dialogue import format_line
from storyboard.errors import Cancelled, ExportError
from storyboard.export import storyboarder
from storyboard.export.storyboarder import MARKER, export_storyboarder
from storyboard.progress import CancelToken
from storyboard.project import DialogueLine, Project, Scene

from .conftest import make_board, write_panel

# -- the format ------------------------------------------------------------------------------------------------

NUMBER = (int, float)
# Keys a scene file has, and their JSON types (main.js writes these for a new scene; the fixtures all have them).
FILE_KEYS = {"version": str, "aspectRatio": NUMBER, "fps": NUMBER, "defaultBoardTiming": NUMBER, "boards": list}
# Keys every board has once Storyboarder has shown it (main-window.js makes the first five, recomputes the rest).
BOARD_KEYS = {
    "uid": str,
    "url": str,
    "newShot": bool,
    "lastEdited": int,
    "layers": dict,
    "number": int,
    "shot": str,
    "time": NUMBER,
}
# Keys a board may have; a board without `duration` lasts the file's defaultBoardTiming.
OPTIONAL_BOARD_KEYS = {"duration": NUMBER, "dialogue": str, "action": str, "notes": str, "lineMileage": NUMBER,
                       "link": str, "audio": dict, "sg": dict}
# Layers bottom to top; the artist draws on "fill" (selected on open) and above.
LAYER_NAMES = ("shot-generator", "reference", "fill", "tone", "pencil", "ink", "notes")
UID = re.compile(r"[0-9A-Z]{5}")
URL = re.compile(r"board-(\d+)-([0-9A-Z]{5})\.png")  # board-<position from 1>-<uid>.png


def layer_name(url: str, layer: str) -> str:
    return url.replace(".png", f"-{layer}.png")


def thumbnail_name(url: str) -> str:
    return url.replace(".png", "-thumbnail.png")


def posterframe_name(url: str) -> str:
    return url.replace(".png", "-posterframe.jpg")


def board_pixels(ratio: float) -> tuple[int, int]:
    """900 high, or 900 wide when taller than wide."""
    return (round(900 * ratio), 900) if ratio >= 1 else (900, round(900 / ratio))


def thumbnail_pixels(ratio: float) -> tuple[int, int]:
    """The timeline shows thumbnails 60 px high and floor(60 x ratio) wide; the file is twice that."""
    return math.floor(60 * ratio) * 2, 120


def derived_numbering(boards: list[dict], default_timing: float) -> list[tuple[int, str, float]]:
    """(number, shot, time) as Storyboarder recomputes them each time it shows a scene.

    Boards are numbered from 1. When any board starts a new shot, shots count up at each newShot board (and at
    the first board) and the boards within a shot get letters A, B, C …; with no newShot at all, board n is
    shot "nA". A board starts where the one before it ends; a board without a duration lasts the default.
    """
    has_shots = any(board["newShot"] for board in boards)
    out, shot, sub, clock = [], 0, 0, 0.0
    for number, board in enumerate(boards, start=1):
        if has_shots:
            if board["newShot"] or shot == 0:
                shot, sub = shot + 1, 0
            else:
                sub += 1
            letters = chr(ord("A") + sub % 26) + (str(math.ceil(sub / 25)) if math.ceil(sub / 25) - 1 > 0 else "")
            label = f"{shot}{letters}"
        else:
            label = f"{number}A"
        out.append((number, label, clock))
        clock += float(board["duration"]) if board.get("duration") is not None else float(default_timing)
    return out


def check_scene_file(path: Path, ratio: float) -> dict:
    """Load a .storyboarder file and check it against the format; returns its data."""
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")  # JSON.parse does not skip a byte-order mark
    data = json.loads(raw.decode("utf-8"))
    for key, kind in FILE_KEYS.items():
        assert isinstance(data[key], kind), (key, data[key])
    assert data["aspectRatio"] == pytest.approx(ratio)
    assert data["fps"] == 24
    assert data["boards"]
    images = path.parent / "images"
    assert path.stem == path.parent.name and images.is_dir()
    uids = [board["uid"] for board in data["boards"]]
    assert len(set(uids)) == len(uids)
    for position, board in enumerate(data["boards"], start=1):
        for key, kind in BOARD_KEYS.items():
            assert isinstance(board[key], kind) and not (kind is int and isinstance(board[key], bool)), (key, board)
        for key, kind in OPTIONAL_BOARD_KEYS.items():
            assert key not in board or isinstance(board[key], kind), (key, board)
        assert UID.fullmatch(board["uid"])
        match = URL.fullmatch(board["url"])
        assert match and match.groups() == (str(position), board["uid"])
        assert not (images / board["url"]).exists()  # a file there marks a pre-layers project to migrate
        assert set(board["layers"]) <= set(LAYER_NAMES) and board["layers"]
        for name, layer in board["layers"].items():
            assert layer["url"] == layer_name(board["url"], name)
            check_image(images / layer["url"], "PNG", board_pixels(ratio))
        check_image(images / thumbnail_name(board["url"]), "PNG", thumbnail_pixels(ratio))
        check_image(images / posterframe_name(board["url"]), "JPEG", board_pixels(ratio))
    expected = derived_numbering(data["boards"], data["defaultBoardTiming"])
    assert [(b["number"], b["shot"], b["time"]) for b in data["boards"]] == expected
    return data


def check_image(path: Path, kind: str, size: tuple[int, int]) -> None:
    assert path.is_file(), path
    with Image.open(path) as image:
        assert (image.format, image.size) == (kind, size), path


def scene_files(out: Path) -> list[Path]:
    return sorted(out.glob("*/*.storyboarder"))


def by_position(out: Path) -> list[dict]:
    """Every scene file's data with its "_path", in folder-name order (board order for these small samples)."""
    return [json.loads(path.read_text("utf-8")) | {"_path": path} for path in scene_files(out)]


# -- one export of the sample board, shared by the read-only tests ----------------------------------------------


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    root = tmp_path_factory.mktemp("storyboarder")
    folder = root / "project"
    board = make_board(folder)
    board.scenes[4].transition = "CUT TO:"
    board.scenes[4].duration_s = 1.25
    calls = []
    out = export_storyboarder(board, folder, folder / "the-lighthouse-storyboarder",
                              progress=lambda done, total, message: calls.append((done, total, message)))
    return board, folder, out, calls


def test_one_scene_file_per_script_scene_in_the_format(exported):
    board, _, out, _ = exported
    assert out.is_dir() and (out / MARKER).is_file()
    files = scene_files(out)
    # 1 | 2, 2A | 3 | 4 | 5 | 6: shots 2 and 2A share script scene 2.
    assert [path.parent.name for path in files] == sorted(
        ["scene-1-int-lighthouse-night-1", "scene-2-int-lighthouse-night-2", "scene-3-int-lighthouse-night-3",
         "scene-4-int-lighthouse-night-4", "scene-5-int-lighthouse-night-5", "scene-6-int-lighthouse-night-6"])
    for path in files:
        check_scene_file(path, 16 / 9)
    assert [len(data["boards"]) for data in by_position(out)] == [1, 2, 1, 1, 1, 1]


def test_boards_keep_order_numbers_and_texts(exported):
    board, _, out, _ = exported
    boards = [b for data in by_position(out) for b in data["boards"]]
    assert len(boards) == len(board.scenes)
    for scene, number, entry in zip(board.scenes, board.shot_numbers(), boards):
        assert entry["newShot"] is True  # each of our shots is its own camera setup
        assert entry["notes"].splitlines()[0].startswith(f"Shot {number} · {scene.shot}")
        assert entry["action"] == scene.action
        if scene.dialogue:
            assert entry["dialogue"] == "\n".join(format_line(line) for line in scene.dialogue)
        else:
            assert "dialogue" not in entry
    second = boards[1]
    assert second["notes"] == "Shot 2 · CU · low · dolly in\nKeep the lantern in frame"
    assert second["dialogue"] == "Zoë (whispering): Who's there? 👋\nДмитрий: Кто там? Это я."
    assert boards[2]["dialogue"] == "李明 (V.O.): 我在这里。"
    assert boards[4]["notes"] == "Shot 4 · MS · eye level · static\nCUT TO:"
    # The file holds the text as UTF-8, not as \u escapes.
    raw = (out / "scene-2-int-lighthouse-night-2" / "scene-2-int-lighthouse-night-2.storyboarder").read_bytes()
    assert "Zoë".encode() in raw and "李明".encode() in raw and "👋".encode() in raw


def test_durations_and_times_in_milliseconds(exported):
    board, _, out, _ = exported
    scenes = iter(board.scenes)
    for data in by_position(out):
        clock = 0
        for entry in data["boards"]:
            scene = next(scenes)
            assert entry["duration"] == round(scene.duration_s * 1000)
            assert entry["time"] == clock
            clock += entry["duration"]
    two = by_position(out)[1]["boards"]
    assert [b["duration"] for b in two] == [2500, 3000] and [b["time"] for b in two] == [0, 2500]
    assert by_position(out)[3]["boards"][0]["duration"] == 1250  # shot 4


def test_images_show_the_panel_on_the_reference_layer(exported):
    board, folder, out, _ = exported
    boards = [(data["_path"].parent / "images", b) for data in by_position(out) for b in data["boards"]]
    for (images, entry), scene in zip(boards, board.scenes):
        assert set(entry["layers"]) == {"reference"}  # the artist draws on the empty fill layer above it
        assert entry["layers"]["reference"]["opacity"] == storyboarder.REFERENCE_OPACITY
        with Image.open(images / entry["layers"]["reference"]["url"]) as reference:
            corner = reference.convert("L").getpixel((8, 8))
        if scene.panel is None:  # scene "3": a light grey placeholder
            assert corner > 200
        else:
            with Image.open(folder / scene.panel.path) as panel:
                assert abs(corner - panel.getpixel((2, 2))) <= 2
        with Image.open(images / posterframe_name(entry["url"])) as poster:
            assert abs(poster.convert("L").getpixel((8, 8)) - corner) <= 4


def test_progress_reports_each_shot(exported):
    board, _, _, calls = exported
    total = len(board.scenes)
    assert calls == [(i + 1, total, f"Storyboarder: shot {n}") for i, n in enumerate(board.shot_numbers())]


# -- other boards -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("aspect", ["2.39:1", "9:16", "4:3"])
def test_board_size_follows_the_aspect_ratio(aspect, folder):
    project = make_board(folder, 2)
    project.aspect_ratio = aspect
    out = export_storyboarder(project, folder, folder / "sb")
    ratio = film.ASPECT_RATIOS[aspect]
    for path in scene_files(out):
        data = check_scene_file(path, ratio)
        assert data["aspectRatio"] == ratio
    assert storyboarder.board_size(ratio) == board_pixels(ratio)


def test_dashed_numbers_fractional_durations_and_html_in_dialogue(folder):
    scenes = [Scene(number=n, id=f"x{i}", heading="EXT. PIER - DAY", duration_s=d)
              for i, (n, d) in enumerate([("4A", 0.1), ("4B", 0.2), ("4C", 0.35), ("5", 0.0)])]
    scenes[0].dialogue = [DialogueLine("Eve", "<img src=x onerror=alert(1)> & <b>hi</b>")]
    scenes[0].panel = write_panel(folder, "x0", grey=90)
    project = Project(title="Pier", shot_numbering="dashes", scenes=scenes)
    out = export_storyboarder(project, folder, folder / "sb")
    files = scene_files(out)
    assert [p.parent.name for p in files] == ["scene-4-ext-pier-day", "scene-5-ext-pier-day"]
    four = check_scene_file(files[0], 16 / 9)["boards"]
    assert [b["notes"].split(" · ")[0] for b in four] == ["Shot 4-1", "Shot 4-2", "Shot 4-3"]
    assert [b["time"] for b in four] == [0, 100, 300]
    assert sum(b["duration"] for b in four) == 650  # the scene's 0.65 s, no rounding drift
    assert "<" not in four[0]["dialogue"] and ">" not in four[0]["dialogue"]  # Storyboarder shows it as HTML
    assert four[0]["dialogue"].startswith("Eve: ＜img src=x onerror=alert(1)＞ & ")
    assert check_scene_file(files[1], 16 / 9)["boards"][0]["duration"] == 0


def test_hostile_headings_stay_inside_the_export(tmp_path):
    folder = tmp_path / "project"
    folder.mkdir()
    headings = ["../../escaped", "/etc/passwd", "a/b\\c/../../d", "..", "李明 🐉", ""]
    scenes = [Scene(number=str(i + 1), id=f"h{i}", heading=h, location="../loc" if not h else "")
              for i, h in enumerate(headings)]
    scenes.append(Scene(number="../7", id="h7", heading="../../../x"))
    before = {p for p in tmp_path.rglob("*")}
    out = export_storyboarder(Project(scenes=scenes), folder, folder / "sb")
    created = {p for p in tmp_path.rglob("*")} - before
    assert created and all(p.resolve().is_relative_to(out.resolve()) or p == out for p in created)
    names = [p.parent.name for p in scene_files(out)]
    assert len(names) == len(set(names)) == len(scenes)
    assert all(re.fullmatch(r"[a-z0-9-]+", name) for name in names)
    for path in scene_files(out):
        check_scene_file(path, 16 / 9)


# -- destination, cancel and failure ----------------------------------------------------------------------------


def snapshot(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def leftovers(parent: Path, out: Path) -> list[str]:
    return [p.name for p in parent.iterdir() if p.name.startswith(f".{out.name}.")]


class CancelAfter(CancelToken):
    """Cancels itself once `count` shots are done."""

    def __init__(self, count: int) -> None:
        super().__init__()
        self.count = count

    def progress(self, done, total, message) -> None:
        if done >= self.count:
            self.cancel()


def test_cancel_midway_keeps_the_previous_export(folder):
    board = make_board(folder, 4)
    out = export_storyboarder(board, folder, folder / "sb")
    before = snapshot(out)
    board.scenes[0].action = "Changed."
    token = CancelAfter(2)
    with pytest.raises(Cancelled):
        export_storyboarder(board, folder, out, progress=token.progress, cancel=token)
    assert snapshot(out) == before
    assert leftovers(folder, out) == []


def test_failure_midway_keeps_the_previous_export(folder, monkeypatch):
    board = make_board(folder, 4)
    out = export_storyboarder(board, folder, folder / "sb")
    before = snapshot(out)
    calls = []

    def failing(*args):
        calls.append(args)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        return Image.new("RGB", args[2], "white")

    monkeypatch.setattr(storyboarder, "panel_image", failing)
    with pytest.raises(OSError):
        export_storyboarder(board, folder, out)
    assert snapshot(out) == before
    assert leftovers(folder, out) == []


def test_a_new_export_replaces_the_old_one(folder):
    board = make_board(folder, 4)
    out = export_storyboarder(board, folder, folder / "sb")
    board.scenes = board.scenes[:2]
    export_storyboarder(board, folder, out)
    assert [p.parent.name for p in scene_files(out)] == ["scene-1-int-lighthouse-night-1",
                                                          "scene-2-int-lighthouse-night-2"]
    assert leftovers(folder, out) == []


def test_a_file_as_destination_is_refused(board, folder):
    target = folder / "sb.storyboarder"
    target.write_text("keep me")
    with pytest.raises(ExportError) as info:
        export_storyboarder(board, folder, target)
    assert "is a file" in str(info.value) and "\n" not in str(info.value)
    assert target.read_text() == "keep me"


def test_folders_that_are_not_an_export_are_left_alone(board, folder, tmp_path):
    other = tmp_path / "documents"
    other.mkdir()
    (other / "novel.txt").write_text("keep me")
    with pytest.raises(ExportError, match="not a Storyboarder export"):
        export_storyboarder(board, folder, other)
    assert (other / "novel.txt").read_text() == "keep me"
    for target in (folder, tmp_path):  # the project itself, or a folder holding it
        (target / MARKER).write_text("")
        with pytest.raises(ExportError, match="holds the project"):
            export_storyboarder(board, folder, target)
    assert (folder / "panels").is_dir()


def test_an_empty_board_is_refused(folder):
    with pytest.raises(ExportError, match="no scenes"):
        export_storyboarder(Project(), folder, folder / "sb")


def test_a_re_export_never_replaces_work_done_in_storyboarder(board, folder, tmp_path):
    out = export_storyboarder(board, folder, tmp_path / "sb")
    export_storyboarder(board, folder, out)  # untouched since: replaced freely
    images = sorted(out.glob("*/images"))[0]
    reference = sorted(images.glob("*-reference.png"))[0]
    drawing = reference.with_name(reference.name.replace("-reference", "-fill"))
    drawing.write_bytes(reference.read_bytes())  # the artist drew on the fill layer
    with pytest.raises(ExportError, match="work done in Storyboarder since it was exported") as info:
        export_storyboarder(board, folder, out)
    assert drawing.name in str(info.value) and "\n" not in str(info.value)
    assert drawing.is_file()
    drawing.unlink()
    scene_file = sorted(out.glob("*/*.storyboarder"))[0]
    scene_file.write_text(scene_file.read_text(encoding="utf-8").replace('"fps": 24', '"fps": 25'), encoding="utf-8")
    with pytest.raises(ExportError, match=scene_file.name):  # the scene was edited and saved there
        export_storyboarder(board, folder, out)
    assert '"fps": 25' in scene_file.read_text(encoding="utf-8")
