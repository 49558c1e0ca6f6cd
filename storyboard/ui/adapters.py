"""How a handler becomes a gradio event: user errors as toasts or field messages, progress, the GPU decorator."""

from __future__ import annotations

import functools
import importlib.util
import inspect
from collections.abc import Callable

import gradio as gr

from ..errors import StoryboardError

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


def offer_undo(what: str) -> None:
    gr.Info(f"{what} — ↶ Undo (Ctrl+Z) brings it back.")
