"""The studio app: Story → Board → Characters → Render → Export.

`build_app` lays out the page (tabs.py, board.py) and wires each tab's events (events_*.py): every event is a
short adapter that calls a handler (handlers.py, project_files.py), turns a StoryboardError into a toast or a
message on its field (adapters.py), and shows what changed through `Page` (page.py), the one place that maps a
View onto components. Plan plans, saves and lands on the board while the sketches stream in.
Each browser session has its own folder (a gr.State, never sent to the page); the browser keeps only a
server-signed token to resume it (session.py). Files reach the page through Gradio's cache (serving.py); the
sessions root itself is not served. Drawing shares one queue (adapters.GPU_QUEUE); planning and editing stay
responsive meanwhile, and a render refreshes only the board, never the selection or the form.
"""

from __future__ import annotations

import gradio as gr

from . import session
from .board import STYLE
from .events_board import wire_board
from .events_cast import wire_cast
from .events_check import wire_check
from .events_export import wire_export
from .events_story import wire_session, wire_story
from .export_tab import export_tab
from .page import Page
from .policy import ModelPolicy, is_shared
from .tabs import PLANNER_DEFAULTS, board_tab, characters_tab, render_tab, story_tab
from .view import View


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
        # The Story tab's planner settings (planner, model, URL, key variable name; never a key). Not a secret.
        planner_memory = gr.BrowserState(dict(PLANNER_DEFAULTS), storage_key="storyboard-planner",
                                         secret=session.browser_secret())
        selected = gr.State("")
        flagged = gr.State([])
        with gr.Row(equal_height=True):
            gr.Markdown("## Storyboard Studio", elem_id="app-title")
            status = gr.Markdown(View().status, elem_id="status")
            undo = gr.Button("↶ Undo", size="sm", scale=0, min_width=80, elem_id="undo")
            redo = gr.Button("↷ Redo", size="sm", scale=0, min_width=80, elem_id="redo")
        with gr.Tabs() as tabs:
            with gr.Tab("1 · Story", id="story") as story_page:
                story = story_tab(planner_memory)
            with gr.Tab("2 · Board", id="board") as board_page:
                board = board_tab()
            with gr.Tab("3 · Characters", id="characters") as characters_page:
                chars = characters_tab(policy.offer())
            with gr.Tab("4 · Render", id="render") as render_page:
                rend = render_tab(policy)
            with gr.Tab("5 · Export", id="export") as export_page:
                exp = export_tab()
        page = Page(folder, owner, remembered, place, selected, flagged, status, undo, redo, tabs, story, board, chars,
                    rend, exp)
        wire_session(page, demo, {"story": story_page, "board": board_page, "characters": characters_page,
                                  "render": render_page, "export": export_page})
        wire_story(page, demo)
        wire_board(page, policy)
        wire_cast(page, policy, characters_page)
        wire_check(page, policy)
        wire_export(page, policy, export_page)
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


# The board's cards; a problem with a form field is its info line, in the colour of an error.
CSS = STYLE + "#card-form .info-text { color: var(--error-text-color, #b91c1c); font-weight: 600; }"


def launch_options() -> dict:
    """Settings `launch()` needs: cap uploads, the keyboard shortcuts, the page's few styles, and no run history
    (gradio would keep the inputs and outputs of the last 100 events, the whole board each time, in the browser's
    storage and rewrite it after every click: several MB, and most of the time an edit took on a big board). No
    folder is served as is (files go through Gradio's cache)."""
    return {"max_file_size": "600mb", "head": SHORTCUTS, "css": CSS, "run_history": False}
