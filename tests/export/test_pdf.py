"""The PDF board, read back with pypdf."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from storyboard.errors import Cancelled, ExportError
from storyboard.export import PdfOptions, export_pdf
from storyboard.export.pdf import GAP_Y, layout_cells, page_dimensions
from storyboard.progress import CancelToken
from storyboard.project import Panel, Project

from .conftest import make_board


def text_of(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def font_names(path: Path) -> set[str]:
    names = set()
    for page in PdfReader(path).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


@pytest.mark.parametrize("per_page", [1, 2, 3, 6, 9])
def test_page_count_follows_panels_per_page(board, folder, tmp_path, per_page):
    out = export_pdf(board, folder, tmp_path / "board.pdf", PdfOptions(per_page=per_page))
    assert len(PdfReader(out).pages) == math.ceil(7 / per_page)


def test_text_has_header_captions_and_multilingual_dialogue(board, folder, tmp_path):
    board.scenes[1].dialogue[1].text = "Edited: кто там, Zoë?"
    out = export_pdf(board, folder, tmp_path / "board.pdf")
    text = text_of(out)
    assert "The Lighthouse" in text
    assert "Page 1/2" in text and "Page 2/2" in text
    assert date.today().isoformat() in text
    for number in ("1", "2", "2A", "3", "4", "5", "6"):
        assert f"Scene {number}" in text
    assert "CU · low · dolly in" in text
    assert "Zoë (whispering): Who's there?" in text
    assert "Дмитрий: Edited: кто там, Zoë?" in text
    assert "我在这里" in text
    assert "2.5 s" in text and "3.0 s" in text
    assert "not rendered" in text  # scene 3 has no panel


def test_switched_off_fields_are_absent(board, folder, tmp_path):
    options = PdfOptions(show_number=False, show_action=False, show_dialogue=False, show_duration=False)
    text = text_of(export_pdf(board, folder, tmp_path / "board.pdf", options))
    assert "Scene 2A" not in text
    assert "Zoë hears footsteps" not in text
    assert "Who's there" not in text
    assert "2.5 s" not in text
    assert "CU · low · dolly in" in text  # the shot is still on
    assert "The Lighthouse" in text


def test_notes_only_when_asked_and_title_override(board, folder, tmp_path):
    assert "Keep the lantern" not in text_of(export_pdf(board, folder, tmp_path / "a.pdf"))
    options = PdfOptions(show_notes=True, title_override="Director's cut")
    out = export_pdf(board, folder, tmp_path / "b.pdf", options)
    text = text_of(out)
    assert "Notes: Keep the lantern in frame" in text
    assert "Director's cut" in text and "The Lighthouse" not in text
    meta = PdfReader(out).metadata
    assert meta.title == "Director's cut"
    assert meta.creator == "Storyboard Studio"


@pytest.mark.parametrize(
    ("orientation", "size", "expected"),
    [
        ("landscape", "A4", (842, 595)),
        ("portrait", "A4", (595, 842)),
        ("landscape", "Letter", (792, 612)),
        ("portrait", "letter", (612, 792)),
    ],
)
def test_page_size_and_orientation(board, folder, tmp_path, orientation, size, expected):
    options = PdfOptions(orientation=orientation, page_size=size)
    page = PdfReader(export_pdf(board, folder, tmp_path / "b.pdf", options)).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == expected


def test_fonts_embedded_with_cjk_fallback_only_when_needed(board, folder, tmp_path):
    names = font_names(export_pdf(board, folder, tmp_path / "cjk.pdf"))
    assert any("DejaVuSans" in name for name in names)
    assert any("DejaVuSans-Bold" in name for name in names)
    assert any("DroidSansFallback" in name for name in names)

    board.scenes[2].dialogue = []
    latin = font_names(export_pdf(board, folder, tmp_path / "latin.pdf"))
    assert not any("Droid" in name for name in latin)


def test_panels_are_embedded_as_images(board, folder, tmp_path):
    reader = PdfReader(export_pdf(board, folder, tmp_path / "b.pdf", PdfOptions(per_page=9)))
    images = reader.pages[0].images
    assert len(images) == 6  # seven scenes, scene 3 unrendered
    assert images[0].image.size == (320, 180)


def test_missing_and_corrupt_panels_still_export(board, folder, tmp_path):
    (folder / board.scenes[0].panel.path).unlink()
    (folder / board.scenes[1].panel.path).write_bytes(b"not a png at all")
    board.scenes[2].panel = Panel(path="../outside.png", backend="sketch")  # escapes the folder
    (folder.parent / "outside.png").write_bytes((folder / board.scenes[4].panel.path).read_bytes())
    out = export_pdf(board, folder, tmp_path / "b.pdf", PdfOptions(per_page=9))
    assert out.exists()
    text = text_of(out)
    assert all(text.count(label) == 1 for label in ("panel missing", "panel unreadable", "outside the project"))
    assert len(PdfReader(out).pages[0].images) == 3


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (PdfOptions(per_page=4), "panels per page"),
        (PdfOptions(per_page=True), "panels per page"),
        (PdfOptions(orientation="sideways"), "orientation"),
        (PdfOptions(page_size="A3"), "page size"),
    ],
)
def test_bad_options_raise_export_error(board, folder, tmp_path, options, message):
    with pytest.raises(ExportError, match=message):
        export_pdf(board, folder, tmp_path / "b.pdf", options)
    assert not (tmp_path / "b.pdf").exists()


def test_no_scenes_and_bad_destination(folder, tmp_path):
    with pytest.raises(ExportError, match="the project has no scenes to export"):
        export_pdf(Project(title="Empty"), folder, tmp_path / "b.pdf")
    board = make_board(folder, 2)
    with pytest.raises(ExportError, match="folder"):
        export_pdf(board, folder, tmp_path)
    with pytest.raises(ExportError, match=".pdf"):
        export_pdf(board, folder, tmp_path / "board.txt")


def test_progress_reports_every_scene_and_cancel_leaves_no_file(board, folder, tmp_path):
    calls = []
    export_pdf(board, folder, tmp_path / "b.pdf", progress=lambda d, t, m: calls.append((d, t)))
    assert calls == [(n, 7) for n in range(1, 8)]

    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        export_pdf(board, folder, tmp_path / "c.pdf", cancel=token)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.pdf", "project"]


def test_long_captions_stay_inside_their_cell(folder, tmp_path):
    board = make_board(folder, 6)
    board.scenes[0].action = "The storm rattles the glass. " * 200 + "FINALWORD"
    board.scenes[0].dialogue = [board.scenes[1].dialogue[0]]
    options = PdfOptions(per_page=6)
    out = export_pdf(board, folder, tmp_path / "b.pdf", options)

    cells = layout_cells(page_dimensions(options), options, 16 / 9)
    first, below = cells[0], cells[3]  # landscape 3x2: cell 3 is under cell 0
    cell_bottom = below.frame[1] + below.frame[3] + GAP_Y
    baselines = []

    def visit(text, cm, tm, font, size):
        x, y = tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]
        if text.strip() and first.x <= x < first.x + first.width and y > cell_bottom - 20:
            baselines.append(y)

    text = PdfReader(out).pages[0].extract_text(visitor_text=visit)
    assert "FINALWORD" not in text
    assert "…" in text
    assert "Zoë (whispering)" in text  # dialogue keeps a line even when the action is cut
    assert baselines and min(baselines) >= cell_bottom
