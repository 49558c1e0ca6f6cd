"""The app module: builds, and importing it stays light."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_app_builds_with_every_tab(tmp_path, monkeypatch):
    monkeypatch.setenv("STORYBOARD_SESSIONS", str(tmp_path))
    from storyboard.ui.app import build_app, launch_options

    demo = build_app()
    labels = [block.label for block in demo.blocks.values() if block.__class__.__name__ == "Tab"]
    assert labels == ["1 · Story", "2 · Scenes", "3 · Characters", "4 · Render", "5 · Export"]
    assert launch_options()["allowed_paths"] == [str(tmp_path.resolve())]


def test_importing_the_app_loads_no_heavy_library():
    code = ("import sys; sys.argv=['app.py']; import app, storyboard.ui, storyboard.cli, storyboard.studio; "
            "heavy = [m for m in ('spacy', 'torch', 'diffusers', 'transformers', 'gradio') if m in sys.modules]; "
            "print(','.join(heavy))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
