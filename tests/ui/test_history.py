"""Undo and redo on real session folders, locked panels that stay frozen, per-field checks and stale panels."""

from __future__ import annotations

import dataclasses

import pytest

from storyboard import editing
from storyboard.errors import InputError
from storyboard.ui import handlers, history, session


@pytest.fixture()
def board(board):
    """The planned example, sketched (the conftest's board has no panels)."""
    handlers.sketch(board)
    return board


def project_text(folder) -> str:
    return (session.check(folder) / "project.json").read_text(encoding="utf-8")


def test_every_edit_can_be_undone_and_redone(board):
    start = project_text(board)
    view = handlers.view(board)
    sid = view.selected
    handlers.save_scene(board, sid, dataclasses.replace(view.form.values, action="Edited once."))
    edited = project_text(board)
    handlers.delete_scene(board, sid)
    assert sid not in [s for _, s in handlers.view(board).scene_choices]

    view, label = handlers.undo(board)
    assert label == "delete scene" and project_text(board) == edited
    view, label = handlers.undo(board)
    assert label == "scene edit" and "Edited once." not in project_text(board)
    view, label = handlers.redo(board)
    assert "Edited once." in project_text(board)
    handlers.undo(board)
    with pytest.raises(InputError, match="nothing to undo"):  # the first Plan had no board before it
        handlers.undo(board)
    assert project_text(board) == start


def test_a_new_change_clears_redo_and_history_is_kept_to_its_limit(board, monkeypatch):
    monkeypatch.setattr(history, "LIMIT", 5)
    sid = handlers.view(board).selected
    for _ in range(8):
        handlers.move_scene(board, sid, 1)
    assert history.counts(session.check(board)) == (5, 0)
    handlers.undo(board)
    assert history.counts(session.check(board)) == (4, 1)
    handlers.move_scene(board, sid, -1)
    assert history.counts(session.check(board)) == (5, 0)
    with pytest.raises(InputError, match="nothing to redo"):
        handlers.redo(board)


def test_undoing_a_plan_brings_back_the_old_board_and_its_panels(board):
    path = session.check(board)
    old = handlers.view(board)
    old_files = sorted(p.name for p in (path / "panels").iterdir())
    handlers.plan(board, "Mara climbs the stairs. Tom waits at the harbour.", "Small", "", "16:9")
    assert handlers.view(board).title == "Small"
    view, _ = handlers.undo(board)
    assert view.title == old.title and len(view.gallery) == len(old.gallery)
    assert sorted(p.name for p in (path / "panels").iterdir()) == old_files
    view, _ = handlers.redo(board)
    assert view.title == "Small"


def test_a_reload_keeps_the_history_and_a_damaged_step_changes_nothing(board):
    sid = handlers.view(board).selected
    handlers.set_locked(board, sid, True)
    before = project_text(board)
    path = session.check(board)
    assert history.counts(path)[0] >= 1  # on disk in the session folder: a reload finds it
    step = sorted((path / "history" / "undo").glob("*.json"))[-1]
    step.write_text('{"scenes": "not a list"}', encoding="utf-8")
    with pytest.raises(Exception, match="scenes"):
        handlers.undo(board)
    assert project_text(board) == before


def test_a_locked_panel_is_frozen(board):
    view = handlers.view(board)
    sid = view.selected
    handlers.set_locked(board, sid, True)
    panel_before = handlers.view(board, sid).selected_panel()
    with pytest.raises(InputError, match="locked: unlock it to re-roll it"):
        handlers.reroll(board, sid)
    with pytest.raises(InputError, match="locked: unlock it to redraw it"):
        handlers.require_unlocked(board, sid, "redraw")
    view, drawn = handlers.render(board, "sketch", [sid], force=True)
    assert drawn == [] and view.locked_kept([sid]) == 1
    assert handlers.view(board, sid).selected_panel() == panel_before


def test_changes_that_alter_a_panel_mark_it_out_of_date(board):
    view = handlers.view(board)
    assert not view.stale_ids and "out of date" not in view.status
    view = handlers.save_scene(board, view.selected, dataclasses.replace(view.form.values, action="A new action."))
    assert view.stale_ids == [view.selected]
    assert "1 panel out of date — **Render** to update" in view.status
    assert any("out of date" in caption for _, caption in view.gallery)
    view = handlers.update_settings(board, "", "", "2.39:1")
    assert len(view.stale_ids) == len(view.gallery)  # every panel was drawn at 16:9
    handlers.render(board, "sketch")
    assert handlers.view(board).stale_ids == []


def test_each_form_field_is_checked_on_its_own():
    with pytest.raises(InputError, match="duration must be a number of seconds, got 'abc'"):
        editing.FIELD_CHECKS["duration_s"]("abc")
    with pytest.raises(InputError, match="shot size"):
        editing.FIELD_CHECKS["shot"]("GIANT")
    assert editing.FIELD_CHECKS["duration_s"]("2.5s") == 2.5
    assert editing.FIELD_CHECKS["interior"]("ext") == "EXT"
