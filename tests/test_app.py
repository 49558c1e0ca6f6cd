"""The first app page: its handler runs the real stages; importing the app stays light."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import gradio as gr
import pytest
from pypdf import PdfReader

from storyboard.ui import make_board

ROOT = Path(__file__).resolve().parents[1]


def test_make_board_handler_returns_panels_pdf_and_strip(lighthouse_text, nlp):
    gallery, pdf, strip, status = make_board(lighthouse_text, "", "4:3")
    assert len(gallery) >= 6 and all(Path(path).is_file() for path, _ in gallery)
    assert Path(strip).is_file()
    assert "The Keeper's Letter" in PdfReader(pdf).pages[0].extract_text()
    assert "Mara" in status


def test_empty_story_gives_a_clear_message():
    with pytest.raises(gr.Error, match="empty"):
        make_board("   ", "", "16:9")


def test_importing_the_app_loads_no_heavy_library():
    code = ("import sys; sys.argv=['app.py']; import app, storyboard.ui, storyboard.cli, storyboard.studio; "
            "heavy = [m for m in ('spacy', 'torch', 'diffusers', 'transformers') if m in sys.modules]; "
            "print(','.join(heavy))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
