"""Session folders for the app's handler tests: a fresh one, and one holding the planned example story."""

from __future__ import annotations

import pytest

from storyboard.ui import handlers, session


@pytest.fixture()
def folder(tmp_path, monkeypatch, nlp):
    monkeypatch.setenv("STORYBOARD_SESSIONS", str(tmp_path / "sessions"))
    return session.new_session()


@pytest.fixture()
def board(folder):
    handlers.plan(folder, handlers.example_text(), "", "", "16:9")
    return folder
