"""The board's handlers: a pick reads one scene, a move goes anywhere, panels stream in, the cast merges."""

from __future__ import annotations

import dataclasses

import pytest

from storyboard import store
from storyboard.errors import Cancelled, InputError
from storyboard.ui import handlers, session
from storyboard.ui.board import board_html


def test_a_pick_gives_the_form_of_that_scene_only(board):
    view = handlers.view(board)
    sid = view.scene_choices[3][1]
    form = handlers.scene_form(board, sid)
    assert form.id == sid and form.heading.startswith(f"Shot {view.cards[3].number}")
    with pytest.raises(InputError, match="no longer on the board"):
        handlers.scene_form(board, "s9999")


def test_a_move_keeps_the_selection_and_undo_puts_it_back(board):
    view = handlers.view(board)
    first, third = view.cards[0].id, view.cards[2].id
    moved = handlers.move_scene_to(board, first, 2, selected=third)
    assert [c.id for c in moved.cards][:3] == [view.cards[1].id, view.cards[2].id, first]
    assert moved.selected == third  # the selected card stays selected
    handlers.undo(board)
    assert [c.id for c in handlers.view(board).cards] == [c.id for c in view.cards]
    before = (session.check(board) / "project.json").read_text(encoding="utf-8")
    for bad in ("two", None, 99):
        with pytest.raises(InputError, match="place on the board|places 1 to"):
            handlers.move_scene_to(board, first, bad)
    assert (session.check(board) / "project.json").read_text(encoding="utf-8") == before


def test_panels_stream_in_as_they_are_saved(board, monkeypatch):
    monkeypatch.setattr(handlers.PanelBatch, "SAVE_EVERY_S", 0.0)  # save each panel as it comes (a slow renderer)
    updates = list(handlers.render_live(board, "sketch"))
    *streamed, (last, drawn) = updates
    assert all(drawn is None for _, drawn in streamed) and len(streamed) >= 3  # the board grew before the end
    counts = [len(view.gallery) for view, _ in streamed]
    assert counts == sorted(counts) and counts[0] < len(last.cards)
    assert len(drawn) == len(last.cards) == len(last.gallery)


def test_a_cancelled_stream_keeps_the_panels_drawn_so_far(board, monkeypatch):
    monkeypatch.setattr(handlers.PanelBatch, "SAVE_EVERY_S", 0.0)

    def cancel_at_three(done, total, message):
        if done == 3:
            handlers.cancel(board)

    with pytest.raises(Cancelled):
        list(handlers.render_live(board, progress=cancel_at_three))
    drawn = [s for s in store.load(session.check(board)).scenes if s.panel]
    assert 3 <= len(drawn) < len(handlers.view(board).cards)


def test_a_streamed_board_keeps_the_users_pick(board):
    view = handlers.view(board, handlers.view(board).cards[2].id)
    assert "data-keep='1'" in board_html(view, keep_selection=True)
    assert "data-keep" not in board_html(view)


def test_merging_two_characters_from_the_studio_can_be_undone(board):
    handlers.save_character(board, None, "The Stranger", "a man in a wet coat")
    sid = handlers.view(board).cards[1].id
    form = handlers.view(board, sid).form.values
    handlers.save_scene(board, sid, dataclasses.replace(form, characters=["The Stranger"],
                                                        dialogue="THE STRANGER: Evening."))
    view = handlers.merge_characters(board, "The Stranger", "Tom")
    assert "The Stranger" not in view.cast_names
    merged = next(c for c in view.cards if c.id == sid)
    assert merged.characters == ["Tom"] and merged.dialogue == ["TOM: Evening."]
    assert any(name == "Tom" and "shot" in label for label, name in view.cast_choices)
    handlers.undo(board)
    assert "The Stranger" in handlers.view(board).cast_names


def test_a_view_is_computed_once_per_version_of_the_board(board):
    first = handlers.view(board)
    assert handlers.view(board) is first  # nothing changed: the same view (an edit compares against it)
    sid = first.cards[0].id
    changed = handlers.save_scene(board, sid, dataclasses.replace(first.form.values, action="A new action."))
    again = handlers.view(board)
    assert again is not first and again.cards[0].action == "A new action." == changed.cards[0].action
    assert first.cards[0].action != "A new action."  # the old view was not changed under its holder
