"""Events of the Export tab: the warning about panels that are not current (and rendering them with one click),
and the export itself with progress, Cancel, the downloads and the previews."""

from __future__ import annotations

import gradio as gr

from .. import studio
from . import handlers, project_files
from .adapters import GPU_LIMIT, GPU_QUEUE, gpu, guard, reporter
from .page import Page
from .serving import served, served_all
from .tabs import settings_of


def export_request(kinds, per_page, orientation, page_size, layout, cover, hidden, appendix, fps, width, captions,
                   overlay, moves, audio) -> studio.ExportRequest:
    """An ExportRequest from the Export tab's inputs (in `ExportTab.options()` order)."""
    return studio.ExportRequest(
        kinds=list(kinds or []), per_page=int(per_page), orientation=orientation, page_size=page_size,
        layout=layout, cover=bool(cover), hidden_fields=list(hidden or []), coherence_appendix=bool(appendix),
        fps=int(fps), width=int(width), captions=bool(captions), overlay=bool(overlay), moves=bool(moves),
        audio=audio or None,
    )


def wire_export(page: Page, policy, tab: gr.Tab) -> None:
    exp, rend = page.exp, page.rend

    def warned(folder_path) -> dict:
        text = project_files.export_warnings(folder_path)
        return {exp.warnings: text, exp.render_first: gr.Button(visible=bool(text))}

    tab.select(guard(warned), page.folder, [exp.warnings, exp.render_first], show_progress="hidden")

    @gpu
    @guard
    def on_render_first(folder_path, sid, *choices, progress=gr.Progress()):  # noqa: B008
        """Render every panel that is missing or out of date (locked ones are kept), with the Render tab's
        settings, streaming the board; then say what is left."""
        backend, settings, size = settings_of(*choices)
        settings = policy.check_settings(settings)
        for view, drawn in handlers.render_live(folder_path, backend, None, False, reporter(progress), settings,
                                                size, sid):
            if drawn is None:
                yield page.cards(view, keep_selection=True)
            else:
                done = f"Rendered {len(drawn)} panel{'' if len(drawn) == 1 else 's'}; export when ready."
                yield {**page.cards(view, keep_selection=True), **warned(folder_path), exp.result: done}

    exp.render_first.click(on_render_first, [page.folder, page.selected, *rend.settings_inputs()],
                           [*page.cards_outputs(), exp.warnings, exp.render_first, exp.result],
                           concurrency_id=GPU_QUEUE, concurrency_limit=GPU_LIMIT, show_progress_on=[exp.result])

    @guard
    def on_export(folder_path, *options, progress=gr.Progress()):  # noqa: B008
        files, preview, movie, message = project_files.export(folder_path, export_request(*options),
                                                              reporter(progress))
        return {exp.files: served_all(files), exp.preview: served(preview), exp.movie: served(movie),
                exp.result: message, **warned(folder_path)}

    exp.run.click(on_export, [page.folder, *exp.options()],
                  [exp.files, exp.preview, exp.movie, exp.result, exp.warnings, exp.render_first],
                  show_progress_on=[exp.result])
    exp.cancel.click(guard(handlers.cancel), page.folder, None, queue=False)
