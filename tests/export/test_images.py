"""Strip, contact sheet and project ZIP."""

from __future__ import annotations

import json
import zipfile

import pytest
from PIL import Image

from storyboard.errors import ExportError
from storyboard.export import export_grid, export_strip, export_zip
from storyboard.export.images import PLACEHOLDER, STRIP_MAX_WIDTH, member_name, strip_size
from storyboard.project import Panel
from storyboard.store import from_data

from .conftest import make_board


def test_strip_size_and_pixels(board, folder, tmp_path):
    out = export_strip(board, folder, tmp_path / "strip.png", height=90, gap=10, labels=False)
    with Image.open(out) as image:
        assert image.size == (10 + 7 * (160 + 10), 90 + 2 * 10)
        # Panel 1 is grey 60 around its edge; scene "3" (index 3) is the placeholder.
        assert image.getpixel((10 + 5, 10 + 5)) == (60, 60, 60)
        assert image.getpixel((10 + 3 * 170 + 20, 10 + 5)) == PLACEHOLDER


def test_strip_labels_add_a_row_under_the_panels(board, folder, tmp_path):
    out = export_strip(board, folder, tmp_path / "strip.jpg", height=90, gap=10, labels=True)
    with Image.open(out) as image:
        assert image.format == "JPEG"
        assert image.width == 10 + 7 * 170
        assert image.height > 110
        label_row = image.crop((10, 100, 170, image.height - 4)).convert("L")
        assert label_row.getextrema()[0] < 100  # the number "1" is drawn in dark ink


def test_big_board_strip_is_capped_in_width(folder, tmp_path):
    board = make_board(folder, 300)
    out = export_strip(board, folder, tmp_path / "strip.png")
    height, gap = strip_size(300, 16 / 9, 270, 12)
    assert 48 <= height < 270 and gap < 12
    with Image.open(out) as image:
        assert image.width <= STRIP_MAX_WIDTH
        assert image.width == gap + 300 * (round(height * 16 / 9) + gap)
    assert strip_size(5000, 16 / 9, 270, 12)[0] == 48  # never below 48 px tall
    assert strip_size(3, 16 / 9, 270, 12) == (270, 12)


def test_grid_dimensions(board, folder, tmp_path):
    plain = export_grid(board, folder, tmp_path / "plain.png", columns=3, cell_width=160, captions=False)
    with Image.open(plain) as image:
        pad = 8
        assert image.size == (pad + 3 * (160 + pad), pad + 3 * (90 + pad))
    captioned = export_grid(board, folder, tmp_path / "grid.webp", columns=4, cell_width=240)
    with Image.open(captioned) as image:
        assert image.format == "WEBP"
        assert image.width == 10 + 4 * (240 + 10)
        assert image.height > 10 + 2 * (135 + 10)


def test_missing_and_corrupt_panels_become_placeholders(board, folder, tmp_path):
    (folder / board.scenes[0].panel.path).unlink()
    (folder / board.scenes[1].panel.path).write_bytes(b"\x89PNG broken")
    out = export_strip(board, folder, tmp_path / "strip.png", height=90, gap=10, labels=False)
    with Image.open(out) as image:
        assert image.getpixel((15, 15)) == PLACEHOLDER
        assert image.getpixel((10 + 170 + 5, 15)) == PLACEHOLDER
        assert image.getpixel((10 + 2 * 170 + 5, 15)) == (100, 100, 100)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda b, f, t: export_strip(b, f, t / "s.gif"), "use a"),
        (lambda b, f, t: export_strip(b, f, t / "s.png", height=10), "strip height"),
        (lambda b, f, t: export_grid(b, f, t / "g.png", columns=0), "columns"),
        (lambda b, f, t: export_grid(b, f, t / "g.png", cell_width=4000, columns=1), "smaller panels"),
        (lambda b, f, t: export_strip(b, f, t / "s.webp"), "too large for WEBP; save as PNG"),
        (lambda b, f, t: export_zip(b, f, t / "p.zip", extra=[t / "nope.pdf"]), "no such file"),
    ],
)
def test_bad_image_options_raise_export_error(board, folder, tmp_path, call, message):
    board.scenes.extend(make_board(folder, 40).scenes[7:])
    with pytest.raises(ExportError, match=message):
        call(board, folder, tmp_path)


def test_zip_holds_project_panels_and_extras(board, folder, tmp_path):
    extra = tmp_path / "board.pdf"
    extra.write_bytes(b"%PDF-1.4 fake")
    other = tmp_path / "sub"
    other.mkdir()
    (other / "board.pdf").write_bytes(b"%PDF-1.4 second")
    out = export_zip(board, folder, tmp_path / "out" / "project.zip", extra=[extra, other / "board.pdf"])
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
        loaded = from_data(json.loads(archive.read("project.json").decode("utf-8")))
        assert archive.read("exports/board-2.pdf") == b"%PDF-1.4 second"
    panels = sorted(s.panel.path for s in board.scenes if s.panel)
    assert sorted(n for n in names if n.startswith("panels/")) == panels
    assert "project.json" in names and "exports/board.pdf" in names
    assert [s.number for s in loaded.scenes] == [s.number for s in board.scenes]
    assert loaded.scenes[1].dialogue[1].character == "Дмитрий"
    assert all(not n.startswith(("/", "..")) and ".." not in n.split("/") for n in names)


def test_zip_never_includes_files_outside_the_project(board, folder, tmp_path):
    secret = tmp_path / "secret.png"
    secret.write_bytes((folder / board.scenes[0].panel.path).read_bytes())
    board.scenes[0].panel = Panel(path="../secret.png", backend="sketch")
    board.scenes[1].panel = Panel(path=str(secret), backend="sketch")
    board.scenes[2].panel = Panel(path="panels/../panels/s0005.png", backend="sketch")  # scene 4's file
    out = export_zip(board, folder, tmp_path / "p.zip")
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
    assert sorted(names) == ["panels/s0005.png", "panels/s0006.png", "panels/s0007.png", "project.json"]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("panels/s1.png", "panels/s1.png"),
        ("./panels//s1.png", "panels/s1.png"),
        ("panels\\s1.png", "panels/s1.png"),
        ("../x.png", None),
        ("/etc/passwd", None),
        ("C:/x.png", None),
        ("a/../../x", None),
        ("", None),
    ],
)
def test_member_name(path, expected):
    assert member_name(path) == expected
