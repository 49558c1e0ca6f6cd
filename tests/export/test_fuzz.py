"""Property-based fuzzing of the CSV, PDF and contact-sheet exporters with hostile scene text.

Control characters, lone surrogates (JSON allows them), bidi overrides, huge
strings and formula-like cells: every board either exports or raises an
ExportError (one line), and nothing is written outside the project folder.
"""

from __future__ import annotations

import csv
import math
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from storyboard.errors import ExportError
from storyboard.export import export_csv, export_grid, export_pdf
from storyboard.export.fonts import clean
from storyboard.export.shotlist import COLUMNS, MAX_CELL, safe_cell
from storyboard.project import DialogueLine, Panel, Project, Scene
from tests.fixtures.tree import outside_tree, snapshot

ODD = ["", " ", "=1+1", "+cmd|' /C calc'!A0", "-2", "@SUM(A1)", "\t=x", "\r\n\r\n", "\x00", "a\x00b", "\u202eevil",
       "\ufeff", "a\ud800b", "\udfff", "\U0010ffff", "\u0301" * 50, "👋🏽" * 20, "李明" * 30, "\x1b[31mred", "\u2028"]
any_text = st.text(alphabet=st.characters(exclude_categories=()), max_size=120)  # every code point, surrogates too
huge_text = st.builds(lambda unit, n: unit * n, st.text(alphabet=st.characters(exclude_categories=()), min_size=1,
                                                        max_size=4), st.integers(1_000, 300_000))
texts = st.one_of(any_text, any_text, any_text, st.sampled_from(ODD), huge_text)
lines = st.builds(DialogueLine, texts, texts, parenthetical=texts, extension=st.sampled_from(["", "V.O.", "\x00"]))
scenes = st.builds(
    Scene,
    number=st.one_of(st.sampled_from(["1", "2A", "10"]), texts),
    id=st.one_of(st.just("s0001"), texts),
    heading=texts, action=texts, notes=texts, transition=texts,
    characters=st.lists(texts, max_size=3),
    dialogue=st.lists(lines, max_size=3),
    shot=st.sampled_from(["MS", "CU", "XYZ", ""]),
    duration_s=st.floats(0, 3600),
    panel=st.one_of(st.none(), st.builds(lambda p: Panel(path=p, backend="sketch"), texts)),
)
boards = st.builds(lambda title, s: Project(title=title, scenes=s), texts, st.lists(scenes, min_size=1, max_size=4))


def _in_sandbox(export):
    """Run `export(project folder)` with a sibling folder beside it, and check the sibling is untouched."""
    with tempfile.TemporaryDirectory() as tmp:
        folder, sibling = outside_tree(Path(tmp))
        before = snapshot(sibling)
        try:
            export(folder)
        finally:
            assert snapshot(sibling) == before


@settings(max_examples=120, deadline=None)
@given(board=boards)
def test_csv_exports_any_text_and_reads_back(board):
    def export(folder):
        out = export_csv(board, folder / "shots.csv")
        with open(out, encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
        assert len(rows) == len(board.scenes) + 1
        action, duration = COLUMNS.index("action"), COLUMNS.index("duration_s")
        assert [row[action] for row in rows[1:]] == [safe_cell(s.action.strip()) for s in board.scenes]
        assert all(len(cell) <= MAX_CELL for row in rows for cell in row)
        texts = [cell for row in rows[1:] for i, cell in enumerate(row) if i != duration]
        assert all(not cell.startswith(("=", "+", "-", "@")) for cell in texts)

    _in_sandbox(export)


@settings(max_examples=25, deadline=None)
@given(board=boards, per_page=st.sampled_from([1, 6, 9]))
def test_pdf_exports_any_text(board, per_page):
    from storyboard.export import PdfOptions

    def export(folder):
        out = export_pdf(board, folder, folder / "board.pdf", PdfOptions(per_page=per_page, show_notes=True))
        assert len(PdfReader(out).pages) == math.ceil(len(board.scenes) / per_page)

    _in_sandbox(export)


@settings(max_examples=25, deadline=None)
@given(board=boards, columns=st.integers(1, 4), cell_width=st.sampled_from([64, 200]))
def test_contact_sheets_export_any_text(board, columns, cell_width):
    def export(folder):
        try:
            out = export_grid(board, folder, folder / "grid.png", columns=columns, cell_width=cell_width)
        except ExportError as err:
            assert "\n" not in str(err)
        else:
            assert out.is_file()

    _in_sandbox(export)


def test_clean_turns_only_lone_surrogates_into_replacement_characters():
    assert clean("a\ud800b\U0001f44b\udfff") == "a\ufffdb\U0001f44b\ufffd" and clean("plain") == "plain"
