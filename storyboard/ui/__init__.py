"""The Gradio app: a first, single-page version of the studio.

Story text → plan → sketch panels → PDF and strip, through the same stage
functions as the CLI (storyboard.studio). The tabbed studio builds on this.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from .. import film
from ..errors import StoryboardError

EXAMPLE = Path(__file__).resolve().parents[2] / "assets" / "examples" / "lighthouse.txt"


def make_board(text: str, title: str, aspect: str, progress=None):
    """Handler: returns (gallery items, pdf path, strip path, status)."""
    import gradio as gr

    from .. import studio

    folder = Path(tempfile.mkdtemp(prefix="storyboard-"))
    try:
        project = studio.plan(text, folder, title=title.strip(), aspect_ratio=aspect)

        def report(done: int, total: int, message: str) -> None:
            if progress is not None and total:
                progress(done / total, desc=message)

        studio.render(folder, progress=report)
        files = studio.export(folder, studio.ExportRequest(kinds=["pdf", "strip"]))
    except StoryboardError as err:
        raise gr.Error(str(err)) from None
    project = studio.store.load(folder)
    gallery = [(str(folder / s.panel.path), f"{s.number} · {s.shot} — {s.action[:80]}") for s in project.scenes
               if s.panel]
    status = f"{len(project.scenes)} scenes · {len(project.characters)} characters: " + ", ".join(
        c.name for c in project.characters)
    return gallery, str(files["pdf"]), str(files["strip"]), status


def build_app():
    import gradio as gr

    with gr.Blocks(title="Storyboard Studio") as demo:
        gr.Markdown("# Storyboard Studio\nPaste a synopsis or a screenplay, then make the board.")
        with gr.Row():
            with gr.Column(scale=2):
                text = gr.Textbox(label="Synopsis or screenplay", lines=12,
                                  value=EXAMPLE.read_text(encoding="utf-8") if EXAMPLE.is_file() else "")
            with gr.Column(scale=1):
                title = gr.Textbox(label="Title (optional)")
                aspect = gr.Dropdown(list(film.ASPECT_RATIOS), value="16:9", label="Aspect ratio")
                run = gr.Button("Make board", variant="primary")
                status = gr.Markdown()
        gallery = gr.Gallery(label="Panels", columns=3, height="auto")
        with gr.Row():
            pdf = gr.File(label="Storyboard PDF")
            strip = gr.Image(label="Strip", type="filepath")

        def on_make(text_value, title_value, aspect_value, progress=gr.Progress()):  # noqa: B008 - gradio injects it
            return make_board(text_value, title_value, aspect_value, progress)

        run.click(on_make, [text, title, aspect], [gallery, pdf, strip, status])
    return demo
