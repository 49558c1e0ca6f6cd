"""Events of the board: pick a card, move it, edit it, add and delete scenes, lock, redraw, render.

A pick answers with the form only (the page has already highlighted the card); a move or an edit with the cards,
the status and the lists that name scenes. Rendering streams the panels onto the board as they are saved, with
one progress indicator (on the render message) and Cancel; it never moves the selection or touches the form.
"""

from __future__ import annotations

import dataclasses

import gradio as gr

from .. import editing
from ..errors import StoryboardError
from . import handlers, render_plan
from .adapters import GPU_LIMIT, GPU_QUEUE, field_validator, gpu, guard, offer_undo, reporter
from .board import event_data
from .page import Page
from .policy import ModelPolicy
from .tabs import settings_of

# A pick, a move or a save: answered directly (not through the queue, whose round trips cost ~100 ms), with no
# spinner; the session's lock keeps two of them from writing at once.
QUICK = {"show_progress": "hidden", "queue": False}


def wire_board(page: Page, policy: ModelPolicy) -> None:
    tab, form = page.board, page.form_fields

    # -- pick and move (the page shows them at once; the server sends only what changed) --------------
    def flag(update: dict, flagged: list | None, problems: dict[str, str] | None = None) -> dict:
        """`update` with each problem's message on its field, and the messages shown before cleared."""
        problems = problems or {}
        for name in set(problems) | set(flagged or []):
            field = form[name]
            value = update.get(field, gr.update())
            value = value if isinstance(value, dict) else gr.update(value=value)
            update[field] = {**value, "info": f"⚠ {problems[name]}" if name in problems else ""}
        return {**update, page.flagged: sorted(problems)}

    # These skip the queue, where gradio has no toasts: a user error is shown in their own outputs.
    def on_pick(folder_path, flagged, where, evt: gr.EventData):
        try:
            form = handlers.scene_form(folder_path, str(event_data(evt).get("id") or ""))
        except StoryboardError as err:
            return flag({tab.heading: f"### ⚠ {err}"}, flagged)
        # where the user is, for a reload (a State changed by an event outside the queue fires no .change)
        return flag({**page.form(form), page.place: {**(where or {}), "tab": "board", "scene": form.id}}, flagged)

    tab.board.pick(guard(on_pick), [page.folder, page.flagged, page.place],
                   [*page.form_outputs(), page.flagged, page.place], trigger_mode="always_last", **QUICK)

    def on_reorder(folder_path, sid, evt: gr.EventData):
        data = event_data(evt)
        try:
            return page.cards(handlers.move_scene_to(folder_path, str(data.get("id") or ""), data.get("to"), sid))
        except StoryboardError as err:  # the board as it is (the page had shown the move), and why
            view = handlers.view(folder_path, sid)
            return {**page.cards(view), page.status: f"⚠ {err} · {view.status}"}

    tab.board.reorder(guard(on_reorder), [page.folder, page.selected], page.cards_outputs(), **QUICK)

    # -- the form ---------------------------------------------------------------------------------
    def changes(op):
        """An edit of the project: the page gets only what it changed (Page.show with the view before it)."""

        @guard
        def run(folder_path, sid, *args):
            before = handlers.view(folder_path, sid)
            return page.show(op(folder_path, sid, *args), before)

        return run

    def on_save(folder_path, sid, flagged, *values):
        """Each field is checked on its own: a bad value gets its message on that field (and nothing is saved,
        nothing else changes); once the values save, those messages go."""
        typed = editing.SceneEdit(**dict(zip(form, values)))
        problems = editing.field_problems(typed)
        update = {}
        if not problems:
            before = handlers.view(folder_path, sid)
            before = dataclasses.replace(before, form=dataclasses.replace(before.form, values=typed))  # as shown
            try:
                update = page.show(handlers.save_scene(folder_path, sid, typed), before)
            except StoryboardError as err:
                return {tab.heading: f"### ⚠ {err}"}
        return flag(update, flagged, problems)

    # Saving skips the queue (~100 ms faster): gradio's validators run only in the queue, so the fields' checks
    # run in on_save and their messages are shown as the field's info line.
    tab.save.click(guard(on_save), [page.folder, page.selected, page.flagged, *form.values()],
                   [*page.everything(), page.flagged], **QUICK)
    tab.lock.input(changes(handlers.set_locked), [page.folder, page.selected, tab.lock], page.everything(),
                   show_progress="hidden")

    def delete(folder_path, sid):
        view = handlers.delete_scene(folder_path, sid)
        offer_undo("Scene deleted")
        return view

    for button, op in ((tab.add, lambda f, s: handlers.add_scene(f, None)),
                       (tab.insert, handlers.add_scene),
                       (tab.duplicate, handlers.duplicate_scene),
                       (tab.renumber, handlers.renumber),
                       (tab.delete, delete)):
        button.click(changes(op), [page.folder, page.selected], page.everything(), show_progress="hidden")

    # -- drawing ----------------------------------------------------------------------------------
    rend = page.rend
    renderer = rend.settings_inputs()  # backend, model, steps, … (see tabs.settings_of)

    def renderer_settings(*choices) -> tuple[str, dict, int | None]:
        backend, settings, size = settings_of(*choices)
        return backend, policy.check_settings(settings), size

    def model_check(what: str):
        def check(value, values) -> None:
            if values.get(rend.backend) != "sketch":
                policy.check(value, what)

        return check

    model_checks = {rend.model: model_check("model"), rend.controlnet: model_check("ControlNet"),
                    rend.ip_adapter: model_check("IP-Adapter")}

    def drawing(button, fn, inputs):
        """A click on the GPU queue, its model boxes checked first, streaming the board and the message."""
        button.click(fn, inputs, [*page.cards_outputs(), tab.result], concurrency_id=GPU_QUEUE,
                     concurrency_limit=GPU_LIMIT, show_progress_on=[tab.result],
                     validator=field_validator(inputs, model_checks))

    def stream(folder_path, sid, backend, scene_ids, force, settings, size, progress, done):
        """The board as panels are saved, then `done(view, drawn)` as the message."""
        for view, drawn in handlers.render_live(folder_path, backend, scene_ids, force, reporter(progress),
                                                settings, size, sid):
            cards = page.cards(view, keep_selection=True)
            yield cards if drawn is None else {**cards, tab.result: done(view, drawn)}

    def rendered(scene_ids):
        def message(view, drawn) -> str:
            kept = view.locked_kept(scene_ids or None)
            return f"Rendered {len(drawn)} panel(s)" + (
                f"; {kept} locked panel(s) kept as they are (unlock to redraw)." if kept else
                "; the others were up to date.")

        return message

    @gpu
    @guard
    def on_render(folder_path, sid, scene_ids, force, *choices, progress=gr.Progress()):  # noqa: B008
        backend, settings, size = renderer_settings(*choices)
        yield from stream(folder_path, sid, backend, scene_ids or None, force, settings, size, progress,
                          rendered(scene_ids))

    drawing(tab.run, on_render, [page.folder, page.selected, rend.scenes, rend.force, *renderer])

    @gpu
    @guard
    def on_redraw(folder_path, sid, *choices, progress=gr.Progress()):  # noqa: B008
        if not sid:
            raise StoryboardError("select a scene first")
        handlers.require_unlocked(folder_path, sid, "redraw")
        backend, settings, size = renderer_settings(*choices)
        yield from stream(folder_path, sid, backend, [sid], True, settings, size, progress,
                          lambda view, drawn: f"Redrew scene {', '.join(drawn)}.")

    drawing(tab.rerender, on_redraw, [page.folder, page.selected, *renderer])

    @gpu
    @guard
    def on_reroll(folder_path, sid, *choices, progress=gr.Progress()):  # noqa: B008
        backend, settings, size = renderer_settings(*choices)
        seed = handlers.new_seed(folder_path, sid)
        yield from stream(folder_path, sid, backend, [sid], False, settings, size, progress,
                          lambda view, drawn: f"Re-rolled scene {', '.join(drawn)}: seed {seed}.")

    drawing(tab.reroll, on_reroll, [page.folder, page.selected, *renderer])
    tab.cancel.click(guard(handlers.cancel), page.folder, None, queue=False)

    # -- the Render tab's plan: what the renderer will do with the chosen model ----------------------
    def show_render_plan(*values) -> str:
        return render_plan.for_page(policy, *values)

    # triggers=None: on page load and on each change of its inputs; it sends only the plan (a bad value is a
    # line in it, never an error), reading configs only, so it skips the queue
    gr.on(None, show_render_plan, rend.plan_inputs(), rend.plan, trigger_mode="always_last", **QUICK)
