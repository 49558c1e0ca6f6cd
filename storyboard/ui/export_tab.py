"""The Export tab: what to write, the PDF's and the animatic's options, the warning about panels that are not
current (with one click to render them), and the downloads with a preview of the PDF and the animatic."""

from __future__ import annotations

from dataclasses import dataclass

import gradio as gr

from .. import film

KINDS = [
    ("PDF board", "pdf"),
    ("Shot list (CSV)", "csv"),
    ("Strip (PNG)", "strip"),
    ("Contact sheet (PNG)", "grid"),
    ("Animatic (MP4)", "animatic"),
    ("Animatic (GIF)", "gif"),
    ("Storyboarder scenes", "storyboarder"),
    ("OpenTimelineIO (Resolve)", "otio"),
    ("FCPXML (Final Cut, Resolve)", "fcpxml"),
    ("FCP 7 XML (Premiere, Resolve)", "xml"),
    ("EDL (Avid, any editor)", "edl"),
    ("Project ZIP with these files", "zip"),
]
LAYOUTS = [("Auto", "auto"), ("Caption under each panel", "grid"), ("Text beside each panel", "beside")]
WIDTHS = [640, 960, 1280, 1920]


@dataclass
class ExportTab:
    kinds: gr.CheckboxGroup
    per_page: gr.Radio
    orientation: gr.Radio
    page_size: gr.Radio
    layout: gr.Radio
    cover: gr.Checkbox
    hidden: gr.CheckboxGroup
    appendix: gr.Checkbox
    fps: gr.Radio
    width: gr.Dropdown
    captions: gr.Checkbox
    overlay: gr.Checkbox
    moves: gr.Checkbox
    audio: gr.File
    warnings: gr.Markdown
    render_first: gr.Button
    run: gr.Button
    cancel: gr.Button
    result: gr.Markdown
    files: gr.File
    preview: gr.Image
    movie: gr.Video

    def options(self) -> list:
        """The inputs an export reads, in `export_request`'s order."""
        return [self.kinds, self.per_page, self.orientation, self.page_size, self.layout, self.cover, self.hidden,
                self.appendix, self.fps, self.width, self.captions, self.overlay, self.moves, self.audio]


def export_tab() -> ExportTab:
    with gr.Row():
        with gr.Column(scale=3):
            kinds = gr.CheckboxGroup(KINDS, value=["pdf", "strip"], label="What to write", elem_id="export-kinds",
                                     info="named from the board's title: the-ferry-storyboard.pdf …")
            with gr.Accordion("PDF board", open=True):
                with gr.Row():
                    per_page = gr.Radio([1, 2, 3, 6, 9], value=6, label="Panels per page")
                    orientation = gr.Radio(["landscape", "portrait"], value="landscape", label="Orientation")
                    page_size = gr.Radio(["A4", "Letter"], value="A4", label="Paper")
                layout = gr.Radio(LAYOUTS, value="auto", label="Layout", elem_id="pdf-layout",
                                  info="auto: text beside the panel for 2 or 3 per landscape page, else under it")
                hidden = gr.CheckboxGroup(list(film.CAPTION_FIELDS), value=[], label="Leave out of the captions")
                with gr.Row():
                    cover = gr.Checkbox(label="Cover page (title, author, synopsis, running time)", value=False,
                                        elem_id="pdf-cover")
                    appendix = gr.Checkbox(label="Last coherence check as a last page", value=False)
            with gr.Accordion("Animatic and timelines", open=False):
                with gr.Row():
                    fps = gr.Radio([24, 25, 30], value=24, label="Frames per second")
                    width = gr.Dropdown(WIDTHS, value=1280, label="Animatic width (px)")
                with gr.Row():
                    captions = gr.Checkbox(label="Dialogue captions", value=True)
                    overlay = gr.Checkbox(label="Shot number and timecode", value=True)
                    moves = gr.Checkbox(label="Camera moves", value=True)
                audio = gr.File(label="Sound under the animatic (WAV or MP3, cut to its length)",
                                file_types=[".wav", ".mp3"], type="filepath", height=100, elem_id="animatic-audio")
            warnings = gr.Markdown(elem_id="export-warnings")
            render_first = gr.Button("Render them first", size="sm", visible=False, elem_id="render-first")
            with gr.Row():
                run = gr.Button("Export", variant="primary", elem_id="export", scale=3)
                cancel = gr.Button("Cancel", elem_id="export-cancel", scale=1, min_width=80)
            result = gr.Markdown(elem_id="export-result", min_height=40)
            files = gr.File(label="Downloads", file_count="multiple", interactive=False, elem_id="downloads")
        with gr.Column(scale=2):
            preview = gr.Image(label="PDF first page", interactive=False, type="filepath", elem_id="pdf-preview")
            movie = gr.Video(label="Animatic", interactive=False, elem_id="animatic-preview")
    return ExportTab(kinds, per_page, orientation, page_size, layout, cover, hidden, appendix, fps, width, captions,
                     overlay, moves, audio, warnings, render_first, run, cancel, result, files, preview, movie)
