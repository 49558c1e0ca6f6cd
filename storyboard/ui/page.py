"""The studio page: its components, and the one place that maps a View onto them.

Each event sends only what it changed: `cards` (the board and the status) after an edit or a render, `form`
after a pick, `show` (everything) only when the whole board changed (plan, open, undo, a new or deleted scene).
"""

from __future__ import annotations

from dataclasses import dataclass

import gradio as gr

from .board import board_html
from .export_tab import ExportTab
from .tabs import CAST_COLUMNS, BoardTab, CharactersTab, RenderTab, StoryTab
from .view import SceneForm, View

PAGES = ("story", "board", "characters", "render", "export")


@dataclass
class Page:
    folder: gr.State  # the session folder's path: server-side only
    owner: gr.State
    remembered: gr.BrowserState
    place: gr.BrowserState
    selected: gr.State
    flagged: gr.State  # the form fields showing a problem (their message is cleared once the value saves)
    status: gr.Markdown
    undo: gr.Button
    redo: gr.Button
    tabs: gr.Tabs
    story: StoryTab
    board: BoardTab
    chars: CharactersTab
    rend: RenderTab
    exp: ExportTab

    @property
    def form_fields(self) -> dict[str, gr.components.Component]:
        return self.board.form_fields()

    # -- what events send ---------------------------------------------------------

    def cards(self, view: View, keep_selection: bool = False) -> dict:
        """The board and the status: what an edit, a move or a render changes."""
        return {self.status: view.status, self.board.board: board_html(view, keep_selection)}

    def cards_outputs(self) -> list:
        return [self.status, self.board.board]

    def form(self, form: SceneForm, before: SceneForm | None = None) -> dict:
        """The selected scene's form (a pick changes only this); with `before` (the same scene as the page shows
        it), only the parts that differ."""
        if before is not None and before.id != form.id:
            before = None
        update = {self.selected: form.id} if before is None else {}
        if before is None or heading(form) != heading(before):
            update[self.board.heading] = heading(form)
        if before is None or form.locked != before.locked:
            update[self.board.lock] = form.locked
        for name, component in self.form_fields.items():
            value = getattr(form.values, name)
            if before is None or value != getattr(before.values, name):
                update[component] = value
        return update

    def form_outputs(self) -> list:
        return [self.selected, self.board.heading, self.board.lock, *self.form_fields.values()]

    def choices(self, view: View) -> dict:
        """The lists that name scenes or characters (they change when scenes or the cast do); the form's own list
        of characters is `show`'s."""
        scenes = [(label, sid) for label, sid in view.scene_choices]
        return {self.rend.scenes: gr.update(choices=scenes), self.chars.table: cast_table(view),
                self.chars.pick: gr.update(choices=view.cast_choices),
                self.chars.merge_into: gr.update(choices=view.cast_choices)}

    def show(self, view: View, before: View | None = None) -> dict:
        """What `view` changes on a page that shows `before` (None: everything): an edit sends the cards, a form
        only when it changed (so text the user is typing elsewhere stays), the lists only when they changed."""
        update = {}
        if before is None or (view.cards, view.status, view.aspect, view.selected) != (
                before.cards, before.status, before.aspect, before.selected):
            update.update(self.cards(view))
        if before is None or (view.scene_choices, view.cast_table, view.cast_choices) != (
                before.scene_choices, before.cast_table, before.cast_choices):
            update.update(self.choices(view))
        update.update(self.form(view.form, None if before is None else before.form))
        characters = self.form_fields["characters"]
        if before is None or view.cast_names != before.cast_names:  # its choices, and its value with them
            update[characters] = gr.update(choices=view.cast_names, value=view.form.values.characters)
        return update

    def everything(self) -> list:
        return [*self.cards_outputs(), *self.form_outputs(), self.rend.scenes, self.chars.table, self.chars.pick,
                self.chars.merge_into]


def cast_table(view: View) -> dict:
    """The cast table's value with its headers (a bare list loses them in a tab the page has not drawn yet)."""
    return {"headers": CAST_COLUMNS, "data": view.cast_table}


def heading(form: SceneForm) -> str:
    marks = (" · 🔒 locked" if form.locked else "") + (f" · seed {form.seed}" if form.id else "")
    return f"### {form.heading}{marks}"
