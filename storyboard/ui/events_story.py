"""Events of the session (start, where the user was, undo/redo) and of the Story tab (plan, examples, files)."""

from __future__ import annotations

import gradio as gr

from ..errors import Cancelled, StoryboardError
from . import handlers, project_files, session
from .adapters import field_validator, guard, offer_undo, reporter
from .page import PAGES, Page
from .serving import served
from .tabs import PLANNER_CHOICES, PLANNER_DEFAULTS


def wire_session(page: Page, demo: gr.Blocks, tab_pages: dict) -> None:
    """A reload resumes the board where the user was; tabs and the selection are remembered in the browser."""

    def start(token, where, typed):
        """Resume the session's board: the story text it was planned from (unless the user has already typed
        one), the open tab, the selected scene."""
        folder_path, token = session.open_session(token)
        where = where if isinstance(where, dict) else {}
        view = handlers.view(folder_path, str(where.get("scene") or ""))
        resumed = {page.folder: folder_path, page.owner: session.claim(folder_path), page.remembered: token,
                   **page.show(view)}
        if not view.has_project:
            return resumed
        tab = where.get("tab") if where.get("tab") in PAGES else "board"
        return {**resumed, **({} if (typed or "").strip() else {page.story.text: view.synopsis}),
                page.tabs: gr.Tabs(selected=tab)}

    demo.load(start, [page.remembered, page.place, page.story.text],
                          [page.folder, page.owner, page.remembered, page.story.text, page.tabs, *page.everything()])
    for tab_id, tab in tab_pages.items():
        tab.select(lambda where, tab_id=tab_id: {**(where or {}), "tab": tab_id}, page.place, page.place,
                   queue=False, show_progress="hidden")
    page.selected.change(lambda sid, where: {**(where or {}), "scene": sid}, [page.selected, page.place], page.place,
                         queue=False, show_progress="hidden")

    # Undo / redo (Ctrl+Z / Ctrl+Shift+Z outside text boxes: app.SHORTCUTS). They skip the queue (~100 ms
    # faster), where gradio has no toasts: what was undone, or why nothing was, is said in the status line.
    def on_history(step, word):
        def run(folder_path, sid):
            before = handlers.view(folder_path, sid)
            try:
                view, label = step(folder_path, sid)
            except StoryboardError as err:
                return {page.status: f"⚠ {err} · {before.status}"}
            return {**page.show(view, before), page.status: f"{word}: {label} · {view.status}"}

        return guard(run)

    quick = {"queue": False, "show_progress": "hidden"}
    page.undo.click(on_history(handlers.undo, "↶ Undid"), [page.folder, page.selected], page.everything(), **quick)
    page.redo.click(on_history(handlers.redo, "↷ Redid"), [page.folder, page.selected], page.everything(), **quick)


def wire_story(page: Page, demo: gr.Blocks) -> None:
    story, rend = page.story, page.board
    story.upload.upload(guard(handlers.read_story_upload), story.upload, story.text)

    def on_plan(folder_path, text, title, style, aspect, form_kind, coverage, author, numbering,
                planner="embedded", llm_model="", llm_url="", llm_key_env="", progress=gr.Progress()):  # noqa: B008
        """Plan, then sketch every panel, streaming them onto the board. A user error is a toast that changes
        nothing; a cancel keeps the old board, or the new one with the panels drawn so far."""
        replaced = handlers.view(folder_path).has_project
        notes: list[str] = []
        try:
            model = handlers.model_options(planner, llm_model, llm_url, llm_key_env)
            view = handlers.plan(folder_path, text, title, style, aspect, form_kind, coverage,
                                 progress=reporter(progress), author=author, numbering=numbering, model=model,
                                 notes=notes)
        except Cancelled:
            gr.Info("Planning cancelled; the board is as it was.")
            return
        except StoryboardError as err:
            gr.Warning(str(err))
            return
        if replaced:
            offer_undo("A new board replaced the one you had")
        for line in notes[:3]:
            gr.Warning(line)
        planned = f"**{len(view.cards)} shots** at {coverage} coverage" + (
            f" · ⚠ {len(notes)} part(s) planned by the embedded planner" if notes else "")
        yield {**page.show(view), page.tabs: gr.Tabs(selected="board"),
               page.place: {"tab": "board", "scene": view.selected}, story.note: planned, rend.result: ""}
        try:
            for drawn, note in handlers.sketch_live(folder_path, reporter(progress), view.selected):
                yield {**page.cards(drawn, keep_selection=True),
                       **({story.note: f"{planned} · {note}", rend.result: note} if note else {})}
        except StoryboardError as err:  # the planned board stands; Render can draw its panels
            note = f"The board is planned, but sketching failed: {err}"
            yield {**page.cards(handlers.view(folder_path), keep_selection=True), story.note: f"{planned} · {note}",
                   rend.result: note}

    plan_inputs = [page.folder, story.text, story.title, story.style, story.aspect, story.form, story.coverage,
                   story.author, story.numbering, story.planner, story.llm_model, story.llm_url, story.llm_key_env]
    settings = [story.planner, story.llm_model, story.llm_url, story.llm_key_env]

    def remember(planner, model, url, key_env):
        return {"planner": planner, "model": model, "url": url, "key_env": key_env}

    def recall(memory):
        memory = {**PLANNER_DEFAULTS, **(memory if isinstance(memory, dict) else {})}
        planner = memory["planner"] if memory["planner"] in dict(PLANNER_CHOICES).values() else "embedded"
        return planner, str(memory["model"])[:300], str(memory["url"])[:300], str(memory["key_env"])[:100]

    for field_ in settings:
        field_.change(remember, settings, story.planner_memory, queue=False)
    demo.load(recall, story.planner_memory, settings, queue=False)
    plan_outputs = [*page.everything(), page.tabs, page.place, story.note, rend.result]
    plan_progress = {"show_progress_on": [story.note, rend.result]}  # one indicator where the user is
    story_check = {story.text: lambda text, _: handlers.check_story(text)}
    story.plan.click(on_plan, plan_inputs, plan_outputs, **plan_progress,
                     validator=field_validator(plan_inputs, story_check))
    story.cancel.click(guard(handlers.cancel), page.folder, None, queue=False)
    story.apply.click(guard(lambda f, t, s, a, au, n: page.show(handlers.update_settings(f, t, s, a, au, n))),
                      [page.folder, story.title, story.style, story.aspect, story.author, story.numbering],
                      page.everything())

    @guard
    def on_open(folder_path, upload):
        view, warnings = project_files.open_project(folder_path, upload)
        for warning in warnings[:5]:
            gr.Warning(warning)
        offer_undo("The opened project replaced your board")
        return {**page.show(view), page.tabs: gr.Tabs(selected="board")}

    story.open_file.upload(on_open, [page.folder, story.open_file], [*page.everything(), page.tabs])
    story.save_zip.click(guard(lambda f: served(project_files.project_zip(f))), page.folder, story.zip_file)
    # An example is one click from a sketched board: load it, then Plan as the button does.
    for button, name in ((story.example, "lighthouse.txt"), (story.example_script, "last_light.fountain")):
        button.click(lambda name=name: handlers.example_text(name), None, story.text).success(
            on_plan, plan_inputs, plan_outputs, **plan_progress)
