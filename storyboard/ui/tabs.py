"""The studio's components, tab by tab (layout only; events are wired in app.py)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import gradio as gr

from .. import film
from ..editing import SceneEdit
from ..planning import COVERAGE_LEVELS, DEFAULT_COVERAGE
from ..render import base
from ..render.device import OFFLOADS
from ..render.settings import SCHEDULERS
from .board import board_component
from .policy import ModelPolicy
from .view import ANGLES, MOVES, SHOTS

CAST_COLUMNS = ["name", "description", "shots", "trigger", "LoRA"]


@dataclass
class StoryTab:
    text: gr.Textbox
    upload: gr.File
    example: gr.Button
    example_script: gr.Button
    title: gr.Textbox
    author: gr.Textbox
    numbering: gr.Radio
    style: gr.Textbox
    aspect: gr.Dropdown
    form: gr.Radio
    coverage: gr.Dropdown
    plan: gr.Button
    cancel: gr.Button
    note: gr.Markdown
    apply: gr.Button
    open_file: gr.File
    save_zip: gr.Button
    zip_file: gr.File
    planner: gr.Radio
    llm_model: gr.Textbox
    llm_url: gr.Textbox
    llm_key_env: gr.Textbox
    planner_memory: gr.BrowserState  # the planner settings, kept in this browser


PLANNER_CHOICES = [("Embedded (any machine)", "embedded"), ("Local model (transformers)", "local"),
                   ("Server (OpenAI-compatible)", "server")]
PLANNER_DEFAULTS = {"planner": "embedded", "model": "", "url": "", "key_env": "STORYBOARD_LLM_KEY"}


def story_tab(planner_memory: gr.BrowserState) -> StoryTab:
    """The Story tab; `planner_memory` (made at the page's top level, so it loads whichever tab is open) keeps the
    planner settings in the browser."""
    with gr.Row():
        with gr.Column(scale=3):
            text = gr.Textbox(label="Synopsis or screenplay", lines=16, max_lines=40, elem_id="story-text",
                              placeholder="Paste a synopsis, or a screenplay with INT./EXT. scene headings…")
            with gr.Row():
                upload = gr.File(label="…or upload a .txt / .fountain file", file_types=[".txt", ".fountain", ".md"],
                                 type="filepath", height=130, elem_id="story-upload")
            with gr.Row():
                example = gr.Button("Example story", size="sm", elem_id="example-story")
                example_script = gr.Button("Example screenplay", size="sm")
        with gr.Column(scale=2):
            title = gr.Textbox(label="Title", placeholder="from the text when empty", elem_id="title")
            author = gr.Textbox(label="Author or studio", placeholder="for the PDF's cover page", elem_id="author")
            numbering = gr.Radio([("4, 4A, 4B", "letters"), ("4-1, 4-2", "dashes")], value="letters",
                                 label="Shot numbers", elem_id="numbering")
            style = gr.Textbox(label="Style", placeholder="clean pencil storyboard sketch")
            aspect = gr.Dropdown(list(film.ASPECT_RATIOS), value="16:9", label="Aspect ratio")
            form = gr.Radio(["auto", "prose", "screenplay"], value="auto", label="Read the text as")
            coverage = gr.Dropdown(list(COVERAGE_LEVELS), value=DEFAULT_COVERAGE, label="Coverage",
                                   info="how many shots a scene gets", elem_id="coverage")
            with gr.Accordion("Planner: embedded, or a language model", open=False, elem_id="planner-settings"):
                planner = gr.Radio(PLANNER_CHOICES, value="embedded", label="Planner", elem_id="planner",
                                   info="a model's plan is checked; any part it cannot plan, the embedded one does")
                llm_model = gr.Textbox(label="Model", elem_id="llm-model",
                                       placeholder="local: hub id or folder · server: the model's name")
                llm_url = gr.Textbox(label="Server URL", placeholder="http://127.0.0.1:11434/v1", elem_id="llm-url")
                llm_key_env = gr.Textbox(label="API key: from the environment variable", value="STORYBOARD_LLM_KEY",
                                         elem_id="llm-key-env", info="the key itself is never stored")
            with gr.Row():
                plan = gr.Button("Plan", variant="primary", elem_id="plan", scale=3)
                cancel = gr.Button("Cancel", elem_id="plan-cancel", scale=1, min_width=80)
            note = gr.Markdown(elem_id="plan-note", min_height=48)  # Plan's progress, then what it made
            apply = gr.Button("Apply title, author, numbers, style and aspect to this board", size="sm")
            gr.Markdown("**Project file**")
            open_file = gr.File(label="Open a project (.zip or project.json)", file_types=[".zip", ".json"],
                                type="filepath", height=130)
            save_zip = gr.Button("Download project (.zip)", size="sm")
            zip_file = gr.File(label="Project ZIP", interactive=False, height=80)
    return StoryTab(text, upload, example, example_script, title, author, numbering, style, aspect, form, coverage,
                    plan, cancel, note,
                    apply, open_file, save_zip, zip_file, planner, llm_model, llm_url, llm_key_env, planner_memory)


@dataclass
class BoardTab:
    board: gr.HTML
    run: gr.Button
    cancel: gr.Button
    result: gr.Markdown
    heading: gr.Markdown
    shot: gr.Dropdown
    angle: gr.Dropdown
    move: gr.Dropdown
    duration: gr.Textbox
    characters: gr.Dropdown
    interior: gr.Dropdown
    location: gr.Textbox
    time_of_day: gr.Textbox
    action: gr.Textbox
    dialogue: gr.Textbox
    transition: gr.Textbox
    notes: gr.Textbox
    prompt: gr.Textbox
    save: gr.Button
    rerender: gr.Button
    reroll: gr.Button
    lock: gr.Checkbox
    add: gr.Button
    insert: gr.Button
    duplicate: gr.Button
    delete: gr.Button
    renumber: gr.Button

    def form_fields(self) -> dict[str, gr.components.Component]:
        """The form's inputs by SceneEdit field name."""
        names = [f.name for f in dataclasses.fields(SceneEdit)]
        return {name: getattr(self, "duration" if name == "duration_s" else name) for name in names}


def board_tab() -> BoardTab:
    """The board (cards) with the selected card's form beside it; Render on top (its settings: the Render tab)."""
    with gr.Row(equal_height=True):
        run = gr.Button("Render", variant="primary", elem_id="render", scale=0, min_width=110)
        cancel = gr.Button("Cancel", elem_id="render-cancel", scale=0, min_width=90)
        result = gr.Markdown(elem_id="render-result", min_height=40)
    with gr.Row():
        with gr.Column(scale=3, min_width=440):
            board = board_component()
            gr.Markdown("Click a card to edit it · drag a card, or **Alt + arrow keys**, to move it · arrow keys go "
                        "from card to card", elem_id="board-help")
        with gr.Column(scale=2, min_width=340, elem_id="card-form"):
            with gr.Row(equal_height=True):  # Save at the top of the form: in view at 1280×720
                heading = gr.Markdown("No scene selected", elem_id="scene-heading")
                save = gr.Button("Save", variant="primary", elem_id="save-scene", scale=0, min_width=90)
                lock = gr.Checkbox(label="🔒 Lock", elem_id="lock", scale=0, min_width=90)  # Render keeps it
            with gr.Row():
                shot = gr.Dropdown(SHOTS, label="Shot size", allow_custom_value=True, elem_id="shot", min_width=110)
                angle = gr.Dropdown(ANGLES, label="Angle", allow_custom_value=True, elem_id="angle", min_width=110)
                move = gr.Dropdown(MOVES, label="Camera move", allow_custom_value=True, elem_id="move", min_width=110)
                duration = gr.Textbox(label="Duration (s)", max_lines=1, elem_id="duration", min_width=90)
            characters = gr.Dropdown([], label="Characters in shot", multiselect=True, allow_custom_value=True,
                                     elem_id="characters")
            with gr.Row():
                interior = gr.Dropdown(["", "INT", "EXT", "INT/EXT"], label="INT/EXT", allow_custom_value=True,
                                       min_width=90)
                location = gr.Textbox(label="Location", max_lines=1, min_width=140)
                time_of_day = gr.Textbox(label="Time of day", max_lines=1, min_width=100)
            action = gr.Textbox(label="Action", lines=3, elem_id="action")
            dialogue = gr.Textbox(label="Dialogue — one line each: NAME (V.O.) (whispering): text", lines=3,
                                  elem_id="dialogue")
            with gr.Accordion("Transition, notes, prompt", open=False):
                transition = gr.Textbox(label="Transition", max_lines=1)
                notes = gr.Textbox(label="Notes", max_lines=2)
                prompt = gr.Textbox(label="Prompt (what a renderer draws; follows the scene unless you edit it)",
                                    lines=2)
            with gr.Row():
                rerender = gr.Button("Redraw", size="sm", min_width=80)
                reroll = gr.Button("Re-roll (new seed)", size="sm", min_width=120, elem_id="reroll")
            with gr.Row():
                insert = gr.Button("Insert after", size="sm", min_width=90)
                duplicate = gr.Button("Duplicate", size="sm", min_width=90)
                delete = gr.Button("Delete", size="sm", variant="stop", min_width=70, elem_id="delete-scene")
            with gr.Row():
                add = gr.Button("Add at end", size="sm", min_width=90)
                renumber = gr.Button("Renumber 1, 2, 3…", size="sm", min_width=130)
    return BoardTab(board, run, cancel, result, heading, shot, angle, move, duration, characters, interior, location,
                    time_of_day, action, dialogue, transition, notes, prompt, save, rerender, reroll, lock, add,
                    insert, duplicate, delete, renumber)


@dataclass
class CharactersTab:
    table: gr.Dataframe
    pick: gr.Dropdown
    name: gr.Textbox
    description: gr.Textbox
    save: gr.Button
    add: gr.Button
    delete: gr.Button
    merge_into: gr.Dropdown
    merge: gr.Button
    pictures: gr.File
    class_word: gr.Textbox
    check: gr.Button
    crops: gr.Gallery
    captions: gr.Textbox
    model: gr.Textbox
    steps: gr.Slider
    rank: gr.Dropdown
    resolution: gr.Radio
    train: gr.Button
    cancel: gr.Button
    summary: gr.Markdown
    previews: gr.Gallery
    lora_file: gr.File
    import_lora: gr.Button


def characters_tab(offer: str = "") -> CharactersTab:
    """`offer`: the models this (shared) server allows, shown in the Base model box; "" on a private server."""
    gr.Markdown("Each character keeps one name and one tone across the board. Renaming here renames them in every "
                "scene and line of dialogue.")
    table = gr.Dataframe(headers=CAST_COLUMNS, interactive=False,
                         label="Cast (click a row to edit it)", elem_id="cast-table")
    pick = gr.Dropdown([], label="Character", elem_id="character-pick")
    name = gr.Textbox(label="Name", max_lines=1)
    description = gr.Textbox(label="Description (used in prompts; its class word, e.g. woman or robot, in captions)",
                             lines=2)
    with gr.Row():
        save = gr.Button("Save changes", variant="primary")
        add = gr.Button("Add as new character")
        delete = gr.Button("Remove character", variant="stop")
    with gr.Row(equal_height=True):
        merge_into = gr.Dropdown([], label="The same person as… (merge: shots and lines move to them)", scale=3,
                                 elem_id="merge-into")
        merge = gr.Button("Merge into them", scale=1, elem_id="merge")
    with gr.Accordion("Train a LoRA from 3–20 pictures of this character (diffusion renderer)", open=False):
        with gr.Row():
            pictures = gr.File(label="Pictures (JPEG, PNG, WebP)", file_count="multiple",
                               file_types=[".jpg", ".jpeg", ".png", ".webp"], type="filepath", scale=3,
                               elem_id="train-pictures")
            class_word = gr.Textbox(label="Class word (from the description when empty)", max_lines=1, scale=1)
        check = gr.Button("Check pictures and crops")
        crops = gr.Gallery(label="Training crops (and how each was made)", columns=6, height="auto",
                           allow_preview=False, object_fit="contain", elem_id="train-crops")
        captions = gr.Textbox(label="Captions, one per picture (each must keep the trigger word)", lines=4)
        with gr.Row():
            model = gr.Textbox(label="Base model", scale=3, elem_id="train-model",
                               placeholder=f"on this server: {offer}" if offer else
                               "empty: $STORYBOARD_MODEL, else SD 1.5")
            steps = gr.Slider(10, 2000, value=500, step=10, label="Steps", elem_id="train-steps")
            rank = gr.Dropdown([4, 8, 16], value=8, label="Rank")
            resolution = gr.Radio([256, 512, 768, 1024], value=512, label="Resolution", elem_id="train-resolution")
        with gr.Row():
            train = gr.Button("Train", variant="primary")
            cancel = gr.Button("Cancel training", variant="stop")
        summary = gr.Markdown(elem_id="train-summary")
        previews = gr.Gallery(label="Previews during training", columns=6, height="auto", allow_preview=True)
        with gr.Row():
            lora_file = gr.File(label="…or import a LoRA trained elsewhere (.safetensors only)",
                                file_types=[".safetensors"], type="filepath", scale=3)
            import_lora = gr.Button("Import LoRA", scale=1)
    return CharactersTab(table, pick, name, description, save, add, delete, merge_into, merge, pictures, class_word,
                         check, crops, captions, model, steps, rank, resolution, train, cancel, summary, previews,
                         lora_file, import_lora)


@dataclass
class RenderTab:
    backend: gr.Dropdown
    model: gr.Textbox
    steps: gr.Slider
    guidance: gr.Slider
    scheduler: gr.Dropdown
    size: gr.Slider
    controlnet: gr.Textbox
    ip_adapter: gr.Textbox
    scenes: gr.Dropdown
    force: gr.Checkbox
    check: gr.Button
    threshold: gr.Slider
    style_threshold: gr.Slider
    tries: gr.Slider
    reroll_flagged: gr.Button
    check_table: gr.Dataframe
    heatmap: gr.Image
    check_summary: gr.Markdown
    offload: gr.Dropdown
    plan: gr.Markdown  # what the renderer will do with the chosen model (render_plan.describe)

    def settings_inputs(self) -> list:
        """The inputs `settings_of` reads, in its order."""
        return [self.backend, self.model, self.steps, self.guidance, self.scheduler, self.size, self.controlnet,
                self.ip_adapter, self.offload]

    def plan_inputs(self) -> list:
        """The inputs `render_plan.describe` reads, in its order."""
        return [self.model, self.controlnet, self.ip_adapter, self.size, self.guidance, self.offload]


def settings_of(backend, model, steps, guidance, scheduler, size, controlnet, ip_adapter="", offload="auto") -> tuple[
        str, dict, int | None]:
    """(renderer, its settings, panel long side) from the Render tab's inputs.

    `offload` is in the settings only when it is set (not "auto", the renderer's default): the settings are part of
    each panel's fingerprint, so panels drawn before the setting existed stay up to date."""
    if backend == "sketch":
        return backend, {}, None
    settings = {"model": (model or "").strip(), "steps": int(steps), "guidance": float(guidance),
                "scheduler": scheduler or "default", "controlnet": (controlnet or "").strip(),
                "ip_adapter": (ip_adapter or "").strip()}
    if offload and offload != "auto":
        settings["offload"] = offload
    return backend, settings, int(size)


def render_tab(policy: ModelPolicy | None = None) -> RenderTab:
    """`policy`: on a shared server the model boxes say what the host offers (and only that is accepted)."""
    policy = policy or ModelPolicy()
    offer = {what: f"on this server: {policy.offer(what)}" if policy.shared else ""
             for what in ("model", "ControlNet", "IP-Adapter")}
    with gr.Row():
        backend = gr.Dropdown(list(base.CHOICES), value="sketch", label="Renderer",
                              info="sketch: any machine · diffusion: a diffusers model on your GPU · auto: diffusion "
                                   "when a GPU and model are at hand")
        scenes = gr.Dropdown([], multiselect=True, label="Scenes to render (empty: all)", scale=3)
        force = gr.Checkbox(label="Redraw up-to-date panels", value=False)
    with gr.Accordion("Diffusion settings", open=False):
        with gr.Row():
            # one line each (a long path scrolls in its box rather than wrapping out of sight)
            model = gr.Textbox(label="Model", scale=3, elem_id="render-model", max_lines=1,
                               placeholder=offer["model"] or "hub id, diffusers folder or .safetensors "
                                                             "(empty: $STORYBOARD_MODEL, else SD 1.5)")
            controlnet = gr.Textbox(label="ControlNet on the blueprint (optional)", scale=2, max_lines=1,
                                    elem_id="render-controlnet", placeholder=offer["ControlNet"] or "hub id or folder")
            ip_adapter = gr.Textbox(label="IP-Adapter for reference images (optional)", scale=2, max_lines=1,
                                    elem_id="render-ip-adapter",
                                    placeholder=offer["IP-Adapter"] or ".safetensors, image_encoder/ beside it")
        with gr.Row():  # five across on a laptop; three and two at 800 px
            steps = gr.Slider(1, 100, value=30, step=1, label="Steps", min_width=200)
            guidance = gr.Slider(0, 20, value=7.5, step=0.5, label="Guidance", min_width=200)
            scheduler = gr.Dropdown(list(SCHEDULERS), value="default", label="Scheduler", min_width=200)
            size = gr.Slider(256, 1536, value=768, step=64, label="Panel long side (px)", min_width=200)
            offload = gr.Dropdown(list(OFFLOADS), value="auto", label="Offload", elem_id="render-offload",
                                  info="what stays on the GPU; auto follows the memory plan", min_width=200)
        plan = gr.Markdown(elem_id="render-plan", min_height=48)  # render_plan.describe, as the settings change
    gr.Markdown("**Render** on the board draws the panels with these settings.")
    with gr.Accordion("Check coherence: does everyone look like themselves, in one style?", open=False):
        gr.Markdown("Identity uses insightface's face models when they are installed (non-commercial licence); "
                    "otherwise each character's region and the board's colours are compared.")
        with gr.Row():
            threshold = gr.Slider(0.0, 1.0, value=0.28, step=0.01, label="Identity threshold (ArcFace cosine)")
            style_threshold = gr.Slider(0.0, 1.0, value=0.6, step=0.01, label="Style threshold")
            tries = gr.Slider(1, 8, value=3, step=1, label="Seeds to try per flagged panel")
        with gr.Row():
            check = gr.Button("Check coherence", elem_id="check")
            reroll_flagged = gr.Button("Re-roll flagged panels")
        check_summary = gr.Markdown(elem_id="check-summary")
        with gr.Row():
            check_table = gr.Dataframe(headers=["#", "style", "identity", "verdict"], interactive=False, scale=3)
            heatmap = gr.Image(label="Board heatmap", interactive=False, type="filepath", scale=2)
    return RenderTab(backend, model, steps, guidance, scheduler, size, controlnet, ip_adapter, scenes, force, check,
                     threshold, style_threshold, tries, reroll_flagged, check_table, heatmap, check_summary,
                     offload=offload, plan=plan)
