"""Events of the coherence check (Render tab)."""

from __future__ import annotations

import gradio as gr

from . import checking
from .adapters import GPU_LIMIT, GPU_QUEUE, gpu, guard, reporter
from .page import Page
from .serving import served
from .tabs import settings_of


def wire_check(page: Page, policy) -> None:
    rend = page.rend

    @guard
    def on_check(folder_path, threshold, style_threshold):
        rows, heat, summary = checking.check_coherence(folder_path, threshold, style_threshold)
        return rows, served(heat), summary

    rend.check.click(on_check, [page.folder, rend.threshold, rend.style_threshold],
                     [rend.check_table, rend.heatmap, rend.check_summary])

    @gpu
    @guard
    def on_reroll_flagged(folder_path, tries, threshold, style_threshold, *choices,
                          progress=gr.Progress()):  # noqa: B008
        backend, settings, size = settings_of(*choices)
        view, summary = checking.reroll_flagged(folder_path, tries, threshold, style_threshold, backend,
                                                policy.check_settings(settings), size, reporter(progress))
        return {**page.cards(view, keep_selection=True), rend.check_summary: summary}

    rend.reroll_flagged.click(on_reroll_flagged, [page.folder, rend.tries, rend.threshold, rend.style_threshold,
                                                  *rend.settings_inputs()],
                              [*page.cards_outputs(), rend.check_summary], concurrency_id=GPU_QUEUE,
                              concurrency_limit=GPU_LIMIT, show_progress_on=[rend.check_summary])
