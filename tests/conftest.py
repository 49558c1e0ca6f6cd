"""Shared fixtures: sample texts and a planned project on disk."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "assets" / "examples"


@pytest.fixture(scope="session")
def lighthouse_text() -> str:
    return (EXAMPLES / "lighthouse.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def nlp():
    from storyboard.planning import nlp as loader

    model = loader.load()
    assert model is not None, "spaCy's English model must be installed for the tests (see requirements.txt)"
    return model


@pytest.fixture()
def planned(tmp_path, lighthouse_text, nlp):
    """A planned (not rendered) project folder and its Project."""
    from storyboard import studio

    folder = tmp_path / "board"
    project = studio.plan(lighthouse_text, folder)
    return folder, project


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory):
    """The tiny SD pipeline (see tests/fixtures/tiny_sd.py), for tests outside tests/render."""
    pytest.importorskip("diffusers")
    from tests.fixtures import tiny_sd

    return tiny_sd.save_pipeline(tmp_path_factory.mktemp("models") / "tiny-sd")
