"""The PDF board, read back with pypdf."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from storyboard.errors import Cancelled, ExportError
from storyboard.export import PdfOptions, export_pdf
from storyboard.export.pdf import layout_cells, page_dimensions
from storyboard.export.pdf_layout import GAP_Y
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
        assert f"Shot {number}" in text
    assert "CU · low · dolly in" in text
    assert "Zoë (whispering): Who's there?" in text
    assert "Дмитрий: Edited: кто там, Zoë?" in text
    assert "我在这里" in text
    assert "2.5 s" in text and "3.0 s" in text
    assert "not rendered" in text  # scene 3 has no panel


def test_switched_off_fields_are_absent(board, folder, tmp_path):
    options = PdfOptions(show_number=False, show_action=False, show_dialogue=False, show_duration=False)
    text = text_of(export_pdf(board, folder, tmp_path / "board.pdf", options))
    assert "Shot 2A" not in text
    assert "Zoë hears footsteps" not in text
    assert "Who's there" not in text
    assert "2.5 s" not in text
    assert "CU · low · dolly in" in text  # the shot is still on
    assert "The Lighthouse" in text


def test_notes_location_and_transition_print_and_switch_off(board, folder, tmp_path):
    board.scenes[1].interior, board.scenes[1].location, board.scenes[1].time_of_day = "EXT", "Cliff path", "DUSK"
    board.scenes[1].transition = "DISSOLVE TO:"
    text = text_of(export_pdf(board, folder, tmp_path / "a.pdf"))
    assert "Notes: Keep the lantern in frame" in text
    assert "EXT. CLIFF PATH — DUSK" in text
    assert "INT. LIGHTHOUSE - NIGHT 4" in text  # no parts: the heading as written
    assert "DISSOLVE TO:" in text
    options = PdfOptions.hiding(["notes", "location", "transition"])
    text = text_of(export_pdf(board, folder, tmp_path / "b.pdf", options))
    assert "Keep the lantern" not in text and "CLIFF PATH" not in text and "DISSOLVE" not in text
    assert "Zoë hears footsteps" in text
    with pytest.raises(ExportError, match="unknown caption field 'colour'"):
        PdfOptions.hiding(["colour"])


def test_title_override_and_metadata(board, folder, tmp_path):
    board.author = "Harbour Lights Studio"
    options = PdfOptions(title_override="Director's cut")
    out = export_pdf(board, folder, tmp_path / "b.pdf", options)
    text = text_of(out)
    assert "Director's cut" in text and "The Lighthouse" not in text
    meta = PdfReader(out).metadata
    assert meta.title == "Director's cut"
    assert meta.author == "Harbour Lights Studio"
    assert meta.creator == "Storyboard Studio"


def test_dash_numbering_prints_scene_and_shot(board, folder, tmp_path):
    board.shot_numbering = "dashes"
    text = text_of(export_pdf(board, folder, tmp_path / "b.pdf"))
    for number in ("1-1", "2-1", "2-2", "3-1", "4-1"):
        assert f"Shot {number}" in text
    assert "Shot 2A" not in text


def test_cover_page_has_title_author_counts_running_time_and_synopsis(board, folder, tmp_path):
    board.author = "Harbour Lights Studio"
    board.synopsis = "The Lighthouse\n\nZoë keeps the light through the storm.\n\nДмитрий comes home."
    out = export_pdf(board, folder, tmp_path / "b.pdf", PdfOptions(cover=True))
    reader = PdfReader(out)
    assert len(reader.pages) == 1 + math.ceil(7 / 6)
    cover = reader.pages[0].extract_text()
    assert "The Lighthouse" in cover and "Harbour Lights Studio" in cover
    assert date.today().isoformat() in cover
    assert "7 shots · 6 scenes · running time 0:20 · 16:9" in cover  # 2 and 2A are one scene; 6×3 s + 2.5 s
    assert "Zoë keeps the light" in cover and "Дмитрий comes home" in cover
    assert cover.count("The Lighthouse") == 1  # the synopsis's own title line is not printed twice
    assert len(reader.pages[0].images) == 4  # the first four panels along its foot
    assert "Page 1/2" in reader.pages[1].extract_text()  # the cover is not counted
    board.source_format = "screenplay"
    cover = PdfReader(export_pdf(board, folder, tmp_path / "s.pdf", PdfOptions(cover=True))).pages[0].extract_text()
    assert "Zoë keeps the light" not in cover  # a screenplay's source is not a synopsis


@pytest.mark.parametrize("per_page", [2, 3])
def test_two_or_three_per_landscape_page_fill_the_page_with_text_beside(board, folder, tmp_path, per_page):
    options = PdfOptions(per_page=per_page)
    page = page_dimensions(options)
    cells = layout_cells(page, options, 16 / 9)
    assert cells[-1].frame[1] < page[1] * 0.25  # the last panel reaches the lower quarter of the page
    for cell in cells:
        x, y, w, h = cell.frame
        assert cell.text[0] > x + w  # the text is beside its panel
        assert cell.text[1] == pytest.approx(y + h)  # top-aligned with it
    grid = layout_cells(page, PdfOptions(per_page=per_page, layout="grid"), 16 / 9)
    assert grid[0].frame[1] > page[1] * 0.5  # the old grid left the lower half empty
    out = export_pdf(board, folder, tmp_path / "b.pdf", options)
    assert "Zoë (whispering): Who's there?" in text_of(out)


@pytest.mark.parametrize(("per_page", "orientation"), [(3, "portrait"), (6, "landscape"), (9, "portrait")])
def test_grid_captions_align_with_their_panel(per_page, orientation):
    options = PdfOptions(per_page=per_page, orientation=orientation, layout="grid")
    for cell in layout_cells(page_dimensions(options), options, 16 / 9):
        x, y, w, _ = cell.frame
        assert cell.text[0] == pytest.approx(x) and cell.text[2] == pytest.approx(w)
        assert cell.text[1] < y


def test_beside_layout_on_every_page_shape(board, folder, tmp_path):
    for orientation in ("landscape", "portrait"):
        for per_page in (1, 2, 3, 6, 9):
            options = PdfOptions(per_page=per_page, orientation=orientation, layout="beside")
            page = page_dimensions(options)
            cells = layout_cells(page, options, 16 / 9)
            assert len(cells) == per_page
            for cell in cells:
                assert cell.text[2] > 0.3 * (cell.text[0] + cell.text[2] - cell.frame[0])  # room to write
                assert cell.text[0] + cell.text[2] <= page[0] - 27  # inside the margins
                assert cell.bottom >= 27
    text = text_of(export_pdf(board, folder, tmp_path / "b.pdf", PdfOptions(per_page=6, layout="beside")))
    assert "Shot 2" in text and "Zoë hears footsteps" in text


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
        (PdfOptions(layout="columns"), "layout must be auto, grid or beside"),
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
        if text.strip() and first.text[0] <= x < first.text[0] + first.text[2] and y > cell_bottom - 20:
            baselines.append(y)

    text = PdfReader(out).pages[0].extract_text(visitor_text=visit)
    assert "FINALWORD" not in text
    assert "…" in text
    assert "Zoë (whispering)" in text  # dialogue keeps a line even when the action is cut
    assert baselines and min(baselines) >= cell_bottom
