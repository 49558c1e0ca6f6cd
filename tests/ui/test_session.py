"""Session folders: signed tokens, several tabs on one board, and when a folder may be deleted."""

from __future__ import annotations

import os
import stat
import time

import pytest

from storyboard import store
from storyboard.errors import StoryboardError
from storyboard.ui import session


@pytest.fixture(autouse=True)
def sessions(tmp_path, monkeypatch):
    monkeypatch.setenv("STORYBOARD_SESSIONS", str(tmp_path / "sessions"))
    monkeypatch.delenv(session.SECRET_ENV, raising=False)
    monkeypatch.setattr(session, "_secrets", {})
    monkeypatch.setattr(session, "_holders", {})
    monkeypatch.setattr(session, "_unheld", set())
    monkeypatch.setattr(session, "_active", {})
    return tmp_path / "sessions"


def with_project(folder: str) -> str:
    (session.check(folder) / store.PROJECT_FILE).write_text("{}", encoding="utf-8")
    return folder


def make_idle(folder: str, seconds: float) -> None:
    """Pretend nothing touched the folder for `seconds`."""
    past = time.time() - seconds
    for path in (session.check(folder), session.check(folder) / store.PROJECT_FILE):
        if path.exists():
            os.utime(path, (past, past))
    session._active[folder] = past


def test_a_token_resumes_its_own_session_only(sessions):
    folder, token = session.open_session(None)
    other, other_token = session.open_session(None)
    assert folder != other and session.open_session(other_token)[0] == other
    assert session.open_session(token) == (folder, token)
    assert os.path.basename(folder) not in token  # the token does not carry the folder name
    for forged in (os.path.basename(folder), "", "x" * 500, token + "0", token.replace(".", "..")):
        assert session.open_session(forged)[0] not in (folder, other)


def test_a_token_signed_with_another_secret_gives_a_new_session(sessions, monkeypatch):
    monkeypatch.setenv(session.SECRET_ENV, "another server's secret")
    foreign_folder, foreign = session.open_session(None)
    monkeypatch.setenv(session.SECRET_ENV, "this server's secret")
    assert session.verify(foreign) is None
    folder, token = session.open_session(foreign)
    assert folder != foreign_folder and token != foreign


def test_the_secret_is_kept_so_tokens_survive_a_restart(sessions, monkeypatch):
    folder, token = session.open_session(None)
    secret_file = sessions / session.SECRET_FILE
    assert stat.S_IMODE(secret_file.stat().st_mode) == 0o600
    monkeypatch.setattr(session, "_secrets", {})  # a new server process
    assert session.open_session(token) == (folder, token)
    assert session.sweep() == 0 and secret_file.exists()  # the sweep leaves the secret alone


def test_a_second_tab_closing_keeps_the_board(sessions):
    folder = with_project(session.new_session())
    session.claim(folder)
    second = session.claim(folder)  # another tab (or a reload) on the same board
    session.release(second)  # the newer tab is closed and Gradio drops its state
    assert (session.check(folder) / store.PROJECT_FILE).exists()
    make_idle(folder, 2 * session.IDLE_S)
    session.release((folder, "a claim nobody made"))  # changes nothing either
    assert session.reap() == []  # the first tab still holds it, however idle
    assert (session.check(folder) / store.PROJECT_FILE).exists()


def test_a_folder_goes_only_when_no_tab_holds_it_and_it_is_idle(sessions):
    folder = with_project(session.new_session())
    tab = session.claim(folder)
    session.release(tab)
    assert os.path.isdir(folder)  # just used: kept, although no tab holds it
    make_idle(folder, 2 * session.IDLE_S)
    assert session.reap() == [folder]
    assert not os.path.exists(folder)
    assert not any(p.name.startswith(session.TRASH_PREFIX) for p in sessions.iterdir())


def test_a_reload_before_the_folder_goes_keeps_it(sessions):
    folder, token = session.open_session(None)
    with_project(folder)
    session.release(session.claim(folder))
    make_idle(folder, 2 * session.IDLE_S)
    assert session.open_session(token)[0] == folder  # the page was reloaded in time
    session.claim(folder)
    assert session.reap() == [] and os.path.isdir(folder)


def test_sweep_removes_day_old_folders_no_tab_holds(sessions):
    old, held, fresh = (with_project(session.new_session()) for _ in range(3))
    session.claim(held)
    for folder in (old, held):
        make_idle(folder, session.MAX_AGE_S + 60)
    assert session.sweep() == 1
    assert not os.path.exists(old) and os.path.isdir(held) and os.path.isdir(fresh)


def test_check_refuses_anything_but_a_session_folder(sessions):
    session.new_session()
    for bad in (None, "", str(sessions), str(sessions / session.SECRET_FILE), str(sessions.parent / "x"),
                str(sessions / ".trash-abc")):
        with pytest.raises(StoryboardError, match="expired"):
            session.check(bad)
