"""The studio app: tabs Story → Scenes → Characters → Render → Export.

Every event is a short adapter: it calls a handler (handlers.py, project_files.py), turns a
StoryboardError into gr.Error (or, where the outputs are the whole page, a toast that changes nothing),
and shows the returned View through `show`, the one place that maps a View onto components.
Plan plans, saves, sketches every panel and lands on the board (the Render tab's panels).
Each browser session has its own folder (a gr.State, never sent to the page); the browser
keeps only a server-signed token to resume it (session.py). Files reach the page through
Gradio's cache (serving.py); the sessions root itself is not served. Rendering
shares one queue (concurrency_id "gpu"); planning and editing stay responsive
meanwhile, and a render refreshes only the board, never the selection or the form.
"""

from __future__ import annotations

import functools
import importlib.util
import inspect
from collections.abc import Callable

import gradio as gr

from .. import editing
from ..errors import Cancelled, StoryboardError
from . import handlers, project_files, session
from .policy import ModelPolicy, is_shared
from .serving import served, served_all
from .tabs import characters_tab, export_tab, render_tab, scenes_tab, settings_of, story_tab
from .view import View

PAGES = ("story", "scenes", "characters", "render", "export")
GPU_QUEUE = "gpu"
GPU_LIMIT = 1


def gpu(fn):
    """On Hugging Face ZeroGPU Spaces, ask for a GPU for this call; elsewhere a no-op."""
    if importlib.util.find_spec("spaces") is None:
        return fn
    import spaces

    return spaces.GPU(fn)


def guard(fn):
    """A user error is one toast, and no component changes: the session's project is untouched, and nothing on the
    page is marked failed or blocked (gr.Error would put an error badge over every output of the event and block
    it until another event succeeds). Generators too."""
    if inspect.isgeneratorfunction(fn):

        @functools.wraps(fn)
        def streaming(*args, **kwargs):
            try:
                yield from fn(*args, **kwargs)
            except StoryboardError as err:
                gr.Warning(str(err))

        return streaming

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except StoryboardError as err:
            gr.Warning(str(err))
            return gr.skip()

    return wrapper


def reporter(progress: gr.Progress):
    return lambda done, total, message: progress(done / total if total else None, desc=message)


def field_validator(inputs: list, checks: dict[gr.components.Component, Callable[[object, dict], None]]):
    """A gradio validator: each check(value, values by component) that raises StoryboardError puts its message
    on that field, and the event does not run (nothing else on the page changes)."""

    def validate(*values):
        by_component = dict(zip(inputs, values))
        results = []
        for component, value in by_component.items():
            try:
                if component in checks:
                    checks[component](value, by_component)
                results.append(gr.validate(True, ""))
            except StoryboardError as err:
                results.append(gr.validate(False, str(err)))
        return results

    return validate


def build_app(shared: bool | None = None) -> gr.Blocks:
    """The studio. `shared`: strangers can reach it (default: is_shared()), so model boxes take the host's list."""
    session.sweep()
    policy = ModelPolicy.from_env(is_shared() if shared is None else shared)
    # Gradio's own cache of served files is swept hourly of anything a day old.
    with gr.Blocks(title="Storyboard Studio", delete_cache=(3600, 24 * 3600)) as demo:
        folder = gr.State(None)  # the session folder's path: server-side only
        # Gradio drops this state about an hour after its tab closed; the folder is deleted only when no other
        # tab holds it and it has been idle (session.release).
        owner = gr.State(None, delete_callback=session.release)
        # The browser keeps a server-signed session token (never the folder name) to resume after a reload.
        remembered = gr.BrowserState(None, storage_key="storyboard-session", secret=session.browser_secret())
        # Where the user was (the open tab, the selected scene): restored after a reload. Not a secret.
        place = gr.BrowserState({"tab": "story", "scene": ""}, storage_key="storyboard-place")
        selected = gr.State("")
        gallery_ids = gr.State([])
        gr.Markdown("# Storyboard Studio\nFrom a synopsis or a screenplay to a printed storyboard.")
        with gr.Row(equal_height=True):
            status = gr.Markdown(View().status, elem_id="status")
            undo = gr.Button("↶ Undo", size="sm", scale=0, min_width=90, elem_id="undo")
            redo = gr.Button("↷ Redo", size="sm", scale=0, min_width=90, elem_id="redo")
        with gr.Tabs() as tabs:
            with gr.Tab("1 · Story", id="story") as story_page:
                story = story_tab()
            with gr.Tab("2 · Scenes", id="scenes") as scenes_page:
                scenes = scenes_tab()
            with gr.Tab("3 · Characters", id="characters") as characters_page:
                chars = characters_tab(policy.offer())
            with gr.Tab("4 · Render", id="render") as render_page:
                rend = render_tab(policy)
            with gr.Tab("5 · Export", id="export") as export_page:
                exp = export_tab()

        form = scenes.form_fields()
        views = [status, selected, gallery_ids, scenes.table, scenes.pick, scenes.heading, scenes.thumb, *form.values(),
                 chars.table, chars.pick, rend.scenes, rend.gallery, rend.selected, rend.lock]

        def board(view: View) -> dict:
            """What a render or training changes: the board (table, gallery, cast), not the selection or form."""
            return {status: view.status, gallery_ids: view.gallery_ids, scenes.table: view.table or None,
                    rend.gallery: [(served(path), caption) for path, caption in view.gallery],
                    chars.table: view.cast_table or None}

        def show(view: View) -> dict:
            f = view.form
            choices = [(label, sid) for label, sid in view.scene_choices]
            return {
                **board(view), selected: view.selected,
                scenes.pick: gr.update(choices=choices, value=view.selected or None),
                scenes.heading: f"### {f.heading}" + (" · 🔒 locked" if f.locked else ""),
                scenes.thumb: served(view.selected_panel()),
                **{component: getattr(f.values, name) for name, component in form.items() if name != "characters"},
                form["characters"]: gr.update(choices=view.cast_names, value=f.values.characters),
                chars.pick: gr.update(choices=view.cast_choices), rend.scenes: gr.update(choices=choices),
                rend.selected: selection_note(f), rend.lock: f.locked,
            }

        def selection_note(f) -> str:
            return f"Selected: **{f.heading}**" + (f" · seed {f.seed}" if f.id else "")

        board_outputs = [status, gallery_ids, scenes.table, rend.gallery, chars.table, scenes.thumb, rend.selected]

        def selected_panel(view: View) -> dict:
            return {scenes.thumb: served(view.selected_panel()), rend.selected: selection_note(view.form)}

        @guard
        def refresh_board(folder_path, sid):
            """After a GPU job (done, cancelled or failed): the board and the selected scene's panel, as they are
            now; the selection itself, the form and the lock box are left as the user has them."""
            view = handlers.view(folder_path, sid)
            return {**board(view), **selected_panel(view)}

        def after_gpu_job(event) -> None:
            event.then(refresh_board, [folder, selected], board_outputs, show_progress="hidden")

        @guard
        def refresh_selected(folder_path, sid):
            """After Plan's sketch pass: the panel of the scene selected now (perhaps while the panels came)."""
            return selected_panel(handlers.view(folder_path, sid))

        # -- session ----------------------------------------------------------------
        def start(token, where, typed):
            """Resume the session's board where the user was: the story text it was planned from (unless the user
            has already typed one), the open tab, the selected scene."""
            folder_path, token = session.open_session(token)
            where = where if isinstance(where, dict) else {}
            view = handlers.view(folder_path, str(where.get("scene") or ""))
            if not view.has_project:
                return {folder: folder_path, owner: session.claim(folder_path), remembered: token, **show(view)}
            tab = where.get("tab") if where.get("tab") in PAGES else "render"
            return {folder: folder_path, owner: session.claim(folder_path), remembered: token,
                    **({} if (typed or "").strip() else {story.text: view.synopsis}), tabs: gr.Tabs(selected=tab),
                    **show(view)}

        demo.load(start, [remembered, place, story.text], [folder, owner, remembered, story.text, tabs, *views])
        for page, tab_id in ((story_page, "story"), (scenes_page, "scenes"), (characters_page, "characters"),
                             (render_page, "render"), (export_page, "export")):
            page.select(lambda where, tab_id=tab_id: {**(where or {}), "tab": tab_id}, place, place,
                        queue=False, show_progress="hidden")
        selected.change(lambda sid, where: {**(where or {}), "scene": sid}, [selected, place], place, queue=False,
                        show_progress="hidden")

        # -- undo / redo (Ctrl+Z / Ctrl+Shift+Z outside text boxes: launch_options' SHORTCUTS) ---------------
        def on_history(step):
            @guard
            def run(folder_path, sid):
                view, label = step(folder_path, sid)
                gr.Info(f"{'Undid' if step is handlers.undo else 'Redid'}: {label}.")
                return show(view)

            return run

        undo.click(on_history(handlers.undo), [folder, selected], views)
        redo.click(on_history(handlers.redo), [folder, selected], views)

        def offer_undo(what: str) -> None:
            gr.Info(f"{what} — ↶ Undo (Ctrl+Z) brings it back.")

        # -- story ------------------------------------------------------------------
        story.upload.upload(guard(handlers.read_story_upload), story.upload, story.text)

        def on_plan(folder_path, text, title, style, aspect, form_kind, coverage,
                    progress=gr.Progress()):  # noqa: B008
            """Plan, then sketch every panel on the board. The outputs are the whole page, so a user error is a
            toast that changes nothing; a cancel keeps the old board, or the new one with the panels drawn so far."""
            replaced = handlers.view(folder_path).has_project
            try:
                view = handlers.plan(folder_path, text, title, style, aspect, form_kind, coverage,
                                     progress=reporter(progress))
            except Cancelled:
                gr.Info("Planning cancelled; the board is as it was.")
                return
            except StoryboardError as err:
                gr.Warning(str(err))
                return
            if replaced:
                offer_undo("A new board replaced the one you had")
            planned = f"**{len(view.table)} shots** at {coverage} coverage"
            yield {**show(view), tabs: gr.Tabs(selected="render"), place: {"tab": "render", "scene": view.selected},
                   story.note: planned, rend.result: ""}  # the board
            try:
                view, note = handlers.sketch(folder_path, reporter(progress))
            except StoryboardError as err:  # the planned board stands; Render can draw its panels
                view, note = handlers.view(folder_path), f"The board is planned, but sketching failed: {err}"
            yield {**board(view), story.note: f"{planned} · {note}", rend.result: note}

        plan_inputs = [folder, story.text, story.title, story.style, story.aspect, story.form, story.coverage]
        plan_outputs = [*views, tabs, place, story.note, rend.result]
        plan_progress = {"show_progress_on": [status, story.note, rend.gallery]}  # where the user is, step by step
        story_check = {story.text: lambda text, _: handlers.check_story(text)}

        def after_plan(event) -> None:
            event.then(refresh_selected, [folder, selected], [scenes.thumb, rend.selected], show_progress="hidden")

        after_plan(story.plan.click(on_plan, plan_inputs, plan_outputs, **plan_progress,
                                    validator=field_validator(plan_inputs, story_check)))
        story.cancel.click(guard(handlers.cancel), folder, None, queue=False)
        story.apply.click(guard(lambda f, t, s, a: show(handlers.update_settings(f, t, s, a))),
                          [folder, story.title, story.style, story.aspect], views)

        @guard
        def on_open(folder_path, upload):
            view, warnings = project_files.open_project(folder_path, upload)
            for warning in warnings[:5]:
                gr.Warning(warning)
            return show(view)

        story.open_file.upload(on_open, [folder, story.open_file], views)
        story.save_zip.click(guard(lambda f: served(project_files.project_zip(f))), folder, story.zip_file)
        # An example is one click from a sketched board: load it, then Plan as the button does.
        for button, name in ((story.example, "lighthouse.txt"), (story.example_script, "last_light.fountain")):
            after_plan(button.click(lambda name=name: handlers.example_text(name), None, story.text)
                       .success(on_plan, plan_inputs, plan_outputs, **plan_progress))

        # -- scenes -----------------------------------------------------------------
        def on_row(folder_path, evt: gr.SelectData):
            view = handlers.view(folder_path)
            row = evt.index[0] if isinstance(evt.index, (list, tuple)) else evt.index
            sid = view.scene_choices[row][1] if 0 <= row < len(view.scene_choices) else ""
            return show(handlers.view(folder_path, sid))

        scenes.table.select(guard(on_row), folder, views)
        scenes.pick.input(guard(lambda f, sid: show(handlers.view(f, sid))), [folder, scenes.pick], views)

        @guard
        def on_save(data: dict):
            edit = editing.SceneEdit(**{name: data[component] for name, component in form.items()})
            return show(handlers.save_scene(data[folder], data[selected], edit))

        form_checks = {component: (lambda value, _, check=editing.FIELD_CHECKS[name]: check(value))
                       for name, component in form.items()}
        save_inputs = [folder, selected, *form.values()]

        def on_save_list(folder_path, sid, *values):
            return on_save({folder: folder_path, selected: sid, **dict(zip(form.values(), values))})

        # Each field is checked on its own first: a bad value puts its message on that field and nothing else changes.
        scenes.save.click(on_save_list, save_inputs, views, validator=field_validator(save_inputs, form_checks))
        for button, op in ((scenes.add, lambda f, s: handlers.add_scene(f, None)),
                           (scenes.insert, handlers.add_scene),
                           (scenes.duplicate, handlers.duplicate_scene),
                           (scenes.up, lambda f, s: handlers.move_scene(f, s, -1)),
                           (scenes.down, lambda f, s: handlers.move_scene(f, s, 1)),
                           (scenes.renumber, handlers.renumber)):
            button.click(guard(lambda f, s, op=op: show(op(f, s))), [folder, selected], views)

        @guard
        def on_delete_scene(folder_path, sid):
            view = handlers.delete_scene(folder_path, sid)
            offer_undo("Scene deleted")
            return show(view)

        scenes.delete.click(on_delete_scene, [folder, selected], views)

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

        def gpu_event(button, fn, inputs, outputs=None):
            """A click on the GPU queue, its model boxes checked first, the board refreshed after."""
            after_gpu_job(button.click(fn, inputs, outputs, concurrency_id=GPU_QUEUE, concurrency_limit=GPU_LIMIT,
                                       validator=field_validator(inputs, model_checks)))

        @gpu
        @guard
        def on_render_one(folder_path, sid, *choices, progress=gr.Progress()):  # noqa: B008
            if not sid:
                raise StoryboardError("select a scene first")
            handlers.require_unlocked(folder_path, sid, "redraw")
            backend, settings, size = renderer_settings(*choices)
            handlers.render(folder_path, backend, [sid], force=True, progress=reporter(progress),
                            settings=settings, long_side=size)

        gpu_event(scenes.rerender, on_render_one, [folder, selected, *renderer])

        # -- characters -------------------------------------------------------------
        def on_pick_character(folder_path, name):
            view = handlers.view(folder_path)
            row = next((r for r in view.cast_table if r[0] == name), [name, "", 0])
            return row[0], row[1]

        chars.pick.input(guard(on_pick_character), [folder, chars.pick], [chars.name, chars.description])
        chars.save.click(guard(lambda f, old, n, d: show(handlers.save_character(f, old or n, n, d))),
                         [folder, chars.pick, chars.name, chars.description], views)
        chars.add.click(guard(lambda f, n, d: show(handlers.save_character(f, None, n, d))),
                        [folder, chars.name, chars.description], views)
        @guard
        def on_delete_character(folder_path, name):
            view = handlers.delete_character(folder_path, name)
            offer_undo(f"{name} deleted")
            return show(view)

        chars.delete.click(on_delete_character, [folder, chars.pick], views)

        @guard
        def on_check_pictures(folder_path, name, files, class_word, steps):
            crops, captions, prepared = handlers.prepare_character(folder_path, name, files, class_word)
            for line in prepared.rejected[:5]:
                gr.Warning(line)
            info = (f"Trigger word **{prepared.trigger}**, class **{prepared.class_word}** · {prepared.face_note} · "
                    f"{handlers.training_estimate(steps)}")
            return crops, captions, info

        chars.check.click(on_check_pictures, [folder, chars.pick, chars.pictures, chars.class_word, chars.steps],
                          [chars.crops, chars.captions, chars.summary])

        @gpu
        @guard
        def on_train(folder_path, name, files, class_word, captions, model, steps, rank, resolution,
                     progress=gr.Progress()):  # noqa: B008
            model = policy.check(model, "model")
            for previews, view, summary in handlers.train_character_live(
                    folder_path, name, files, class_word, captions, model, steps, rank, resolution,
                    reporter(progress)):
                if view is None:  # still training: show the previews so far
                    yield {chars.previews: previews}
                else:
                    yield {**board(view), chars.previews: previews, chars.summary: summary}

        train_inputs = [folder, chars.pick, chars.pictures, chars.class_word, chars.captions, chars.model, chars.steps,
                        chars.rank, chars.resolution]
        chars.train.click(on_train, train_inputs, [status, gallery_ids, scenes.table, rend.gallery, chars.table,
                                                   chars.previews, chars.summary],
                          concurrency_id=GPU_QUEUE, concurrency_limit=GPU_LIMIT,
                          validator=field_validator(train_inputs, {chars.model: lambda v, _: policy.check(v)}))
        chars.cancel.click(guard(handlers.cancel), folder, None, queue=False)
        chars.import_lora.click(guard(lambda f, n, file: show(handlers.import_character_lora(f, n, file))),
                                [folder, chars.pick, chars.lora_file], views)

        # -- render -----------------------------------------------------------------
        @gpu
        @guard
        def on_render(folder_path, scene_ids, force, *choices, progress=gr.Progress()):  # noqa: B008
            backend, settings, size = renderer_settings(*choices)
            view, drawn = handlers.render(folder_path, backend, scene_ids or None, force, reporter(progress),
                                          settings=settings, long_side=size)
            kept = view.locked_kept(scene_ids or None)
            return f"Rendered {len(drawn)} panel(s)" + (
                f"; {kept} locked panel(s) kept as they are (unlock to redraw)." if kept else
                "; the others were up to date.")

        gpu_event(rend.run, on_render, [folder, rend.scenes, rend.force, *renderer], rend.result)
        rend.cancel.click(guard(handlers.cancel), folder, None, queue=False)

        def on_panel(folder_path, ids, evt: gr.SelectData):
            sid = ids[evt.index] if isinstance(evt.index, int) and 0 <= evt.index < len(ids) else ""
            return show(handlers.view(folder_path, sid))

        rend.gallery.select(guard(on_panel), [folder, gallery_ids], views)

        @gpu
        @guard
        def on_reroll(folder_path, sid, *choices):
            backend, settings, size = renderer_settings(*choices)
            handlers.reroll(folder_path, sid, backend, settings, size)

        gpu_event(rend.reroll, on_reroll, [folder, selected, *renderer])
        rend.lock.input(guard(lambda f, s, locked: show(handlers.set_locked(f, s, locked))),
                        [folder, selected, rend.lock], views)

        # -- coherence --------------------------------------------------------------
        @guard
        def on_check(folder_path, threshold, style_threshold):
            rows, heat, summary = handlers.check_coherence(folder_path, threshold, style_threshold)
            return rows, served(heat), summary

        rend.check.click(on_check, [folder, rend.threshold, rend.style_threshold],
                         [rend.check_table, rend.heatmap, rend.check_summary])

        @gpu
        @guard
        def on_reroll_flagged(folder_path, tries, threshold, style_threshold, *choices,
                              progress=gr.Progress()):  # noqa: B008
            backend, settings, size = renderer_settings(*choices)
            _, summary = handlers.reroll_flagged(folder_path, tries, threshold, style_threshold, backend,
                                                 settings, size, reporter(progress))
            return summary

        gpu_event(rend.reroll_flagged, on_reroll_flagged,
                  [folder, rend.tries, rend.threshold, rend.style_threshold, *renderer], rend.check_summary)

        # -- export -----------------------------------------------------------------
        @guard
        def on_export(folder_path, kinds, per_page, orientation, hidden, appendix,
                      progress=gr.Progress()):  # noqa: B008
            files, preview = project_files.export(folder_path, kinds, per_page, orientation, hidden,
                                                  reporter(progress), appendix)
            return served_all(files), served(preview)

        exp.run.click(on_export, [folder, exp.kinds, exp.per_page, exp.orientation, exp.hidden, exp.appendix],
                      [exp.files, exp.preview])
    return demo


# Ctrl+Z / Ctrl+Shift+Z (⌘ on a Mac) press Undo / Redo — except in a text box, where they undo the typing.
SHORTCUTS = """<script>
document.addEventListener("keydown", (event) => {
  if (!(event.ctrlKey || event.metaKey) || event.key.toLowerCase() !== "z") return;
  const target = event.target;
  if (target && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName))) return;
  const button = document.getElementById(event.shiftKey ? "redo" : "undo");
  if (button) { event.preventDefault(); button.click(); }
});
</script>"""


def launch_options() -> dict:
    """Settings `launch()` needs: cap uploads, the keyboard shortcuts. No folder is served as is (files go through
    Gradio's cache)."""
    return {"max_file_size": "600mb", "head": SHORTCUTS}
