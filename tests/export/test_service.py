"""Every export through one request: names from the title, the ZIP carrying the others, warnings about panels
that are not current, and options checked before anything is written."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from storyboard import store, studio
from storyboard.errors import ExportError
from storyboard.export.images import PLACEHOLDER
from storyboard.export.options import export_stem, panel_warnings
from storyboard.export.service import output_name
from storyboard.render import inputs_digest

from .conftest import make_board

EVERYTHING = ["pdf", "csv", "strip", "grid", "animatic", "gif", "storyboarder", "otio", "fcpxml", "xml", "edl", "zip"]


@pytest.fixture
def saved(folder: Path):
    board = make_board(folder)
    for scene in board.scenes:
        scene.duration_s = 0.5  # a short animatic
    store.save(board, folder)
    return folder


def test_every_export_named_from_the_title_and_carried_by_the_zip(saved):
    request = studio.ExportRequest(kinds=EVERYTHING, width=160, fps=24, cover=True)
    files = studio.export(saved, request)
    assert list(files) == ["pdf", "csv", "strip", "grid", "animatic", "gif", "storyboarder", "otio", "fcpxml", "xml",
                           "edl", "zip"]
    names = {kind: path.relative_to(saved).as_posix() for kind, path in files.items()}
    assert names == {
        "pdf": "the-lighthouse-storyboard.pdf", "csv": "the-lighthouse-shotlist.csv",
        "strip": "the-lighthouse-strip.png", "grid": "the-lighthouse-sheet.png",
        "animatic": "the-lighthouse-animatic.mp4", "gif": "the-lighthouse-animatic.gif",
        "storyboarder": "the-lighthouse-storyboarder",
        **{kind: f"the-lighthouse-timeline/the-lighthouse.{kind}" for kind in ("otio", "fcpxml", "xml", "edl")},
        "zip": "the-lighthouse-storyboard.zip",
    }
    assert all(path.exists() for path in files.values())
    members = zipfile.ZipFile(files["zip"]).namelist()
    assert "project.json" in members
    for name in ("the-lighthouse-storyboard.pdf", "the-lighthouse-animatic.mp4",
                 "the-lighthouse-timeline/the-lighthouse.edl"):
        assert f"exports/{name}" in members
    assert any(m.startswith("exports/the-lighthouse-timeline/the-lighthouse-media/") and m.endswith(".png")
               for m in members)
    assert sum(m.startswith("exports/the-lighthouse-storyboarder/") and m.endswith(".storyboarder")
               for m in members) == 6  # one per script scene: 2 and 2A are one
    plain = studio.export(saved, studio.ExportRequest(kinds=["zip"], zip_exports=False))["zip"]
    assert not any(m.startswith("exports/") for m in zipfile.ZipFile(plain).namelist())


def test_untitled_and_hostile_titles_name_files_safely(saved):
    board = store.load(saved)
    board.title = "Untitled"
    assert export_stem(board) == "storyboard" and output_name(board, "pdf") == "storyboard.pdf"
    assert output_name(board, "strip") == "storyboard-strip.png"
    for title in ("../../etc/passwd", "CON", "a/b\\c:d", "   ", "Zoë 🐉 — Ночь"):
        board.title = title
        name = output_name(board, "pdf")
        assert "/" not in name and "\\" not in name and ".." not in name and name.endswith(".pdf")
    board.title = "../../outside"
    store.save(board, saved)
    files = studio.export(saved, studio.ExportRequest(kinds=["pdf", "csv"]))
    assert all(path.parent == saved for path in files.values())


def test_the_projects_numbering_runs_through_the_export(saved):
    board = store.load(saved)
    board.shot_numbering = "dashes"
    store.save(board, saved)
    files = studio.export(saved, studio.ExportRequest(kinds=["pdf", "csv"]))
    text = "".join(page.extract_text() for page in PdfReader(files["pdf"]).pages)
    assert "Shot 2-2" in text and "Shot 2A" not in text
    assert "2-2" in files["csv"].read_text(encoding="utf-8")


def test_a_bad_option_writes_nothing(saved):
    before = sorted(p.name for p in saved.iterdir())
    for request in (studio.ExportRequest(kinds=["pdf", "animatic"], fps=29),
                    studio.ExportRequest(kinds=["csv", "pdf"], hidden_fields=["colour"]),
                    studio.ExportRequest(kinds=["csv", "animatic"], audio=str(saved / "missing.wav")),
                    studio.ExportRequest(kinds=["csv", "pdf"], layout="columns")):
        with pytest.raises(ExportError) as info:
            studio.export(saved, request)
        assert "\n" not in str(info.value)
        assert sorted(p.name for p in saved.iterdir()) == before
    with pytest.raises(ExportError, match="unknown export mov"):
        studio.export(saved, studio.ExportRequest(kinds=["mov"]))


def test_exports_show_only_current_panels(saved):
    board = store.load(saved)
    board.scenes[1].panel.inputs = "drawn-from-other-inputs"  # shot 2 is out of date
    board.scenes[0].panel.inputs = inputs_digest(board.scenes[0], board)
    board.scenes[0].duration_s = 9.0  # shot 1 only lasts longer: its panel is still current
    store.save(board, saved)
    files = studio.export(saved, studio.ExportRequest(kinds=["pdf", "strip", "otio"]))

    images = sum(len(page.images) for page in PdfReader(files["pdf"]).pages)
    assert images == len(board.scenes) - 2  # neither the stale shot 2 nor the unrendered shot 3
    text = "".join(page.extract_text() for page in PdfReader(files["pdf"]).pages)
    assert "out of date" in text and "not rendered" in text

    with Image.open(files["strip"]) as strip:
        height = strip.height
        first, second = strip.getpixel((12, height // 2)), strip.getpixel((12 + height * 16 // 9, height // 2))
    assert first != PLACEHOLDER and second == PLACEHOLDER

    media = files["otio"].parent / "the-lighthouse-media"
    stills = sorted(media.iterdir())
    with Image.open(stills[0]) as one, Image.open(stills[1]) as two:
        assert one.getpixel((5, 5)) != PLACEHOLDER and two.getpixel((5, 5)) == PLACEHOLDER


def test_warnings_name_missing_and_stale_panels(saved):
    board = store.load(saved)
    assert panel_warnings(board, saved) == ["not rendered: shot 3"]
    board.scenes[1].panel.inputs = "drawn-from-other-inputs"
    (saved / board.scenes[4].panel.path).unlink()
    assert panel_warnings(board, saved) == ["out of date: shot 2", "not rendered: shot 3", "panel missing: shot 4"]
    for scene in board.scenes:
        scene.panel = None
    many = make_board(saved / "big", 30)
    for scene in many.scenes:
        scene.panel = None
    assert panel_warnings(many, saved / "big") == [
        "not rendered: shots 1, 2, 2A, 3, 4, 5, 6, 7, 8, 9, 10, 11 and 18 more"]


def test_temp_files_a_killed_export_left_are_swept_an_hour_later(saved):
    import os
    import time

    old = saved / ".the-lighthouse-storyboard.pdf.0123456789ab.tmp"
    fresh = saved / ".the-lighthouse-storyboard.pdf.ba9876543210.tmp"
    for path in (old, fresh):
        path.write_bytes(b"half a PDF")
    hour_ago = time.time() - 3700
    os.utime(old, (hour_ago, hour_ago))
    studio.export(saved, studio.ExportRequest(kinds=["pdf"]))
    assert not old.exists() and fresh.exists()  # a young one may belong to an export still running
