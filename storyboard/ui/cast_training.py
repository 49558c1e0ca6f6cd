"""What the Characters tab's training buttons do: check pictures, train a character's LoRA (live previews),
import one trained elsewhere. Plain functions of the session folder, like handlers.py."""

from __future__ import annotations

from ..errors import InputError
from ..progress import ProgressFn, no_progress
from . import session
from .handlers import required, view
from .view import View
from .worker import Worker


def _models():
    """The diffusion renderer's model manager: training and rendering share one loaded pipeline."""
    from ..render import base

    return base.get("diffusion").models


def prepare_character(folder: str, name: str, files: list[str] | None, class_word: str = ""):
    """Check the uploaded pictures and show the crops and captions training would use."""
    from ..training.service import prepare

    path = session.check(folder)
    project = session.load(path)
    if project is None:
        raise InputError("there is no board yet: plan a story first")
    prepared = prepare(project, required(name, "a character"), list(files or []), class_word)
    crops = [(image, method) for image, method in zip(prepared.crops, prepared.methods)]
    return crops, "\n".join(prepared.captions), prepared


def training_estimate(steps: int) -> str:
    """How long training will take here, and whether this hardware can run it (ZeroGPU's per-call limit)."""
    from ..render.device import detect, plan_device
    from ..training.service import check_hardware, estimate_seconds

    device = plan_device(detect()).device
    minutes = estimate_seconds(int(steps), device, "sd15") / 60
    try:
        check_hardware(int(steps), device, "sd15")
    except InputError as err:
        return str(err)
    hint = "" if device == "cuda" else " — slow without a GPU"
    return f"{int(steps)} steps take about {minutes:.0f} min on this {device.upper()}{hint}"


def train_character(folder: str, name: str, files: list[str] | None, class_word: str, captions: str,
                    model: str, steps: int, rank: int, resolution: int,
                    progress: ProgressFn = no_progress, previews: list | None = None) -> tuple[View, list, str]:
    """Train the character's LoRA; the project then points to it. Returns (view, previews, summary).

    Previews are appended to `previews` as they are made (pass a list to watch them from another thread).
    """
    from ..training.service import train_character as train

    path = session.check(folder)
    previews = [] if previews is None else previews
    token = session.cancel_token(path, fresh=True)
    done = train(
        path, required(name, "a character"), list(files or []), models=_models(), model=model or None,
        steps=int(steps), rank=int(rank), resolution=int(resolution), class_word=class_word,
        captions=[c.strip() for c in (captions or "").splitlines() if c.strip()] or None,
        progress=lambda r: progress(r.step, r.steps, f"loss {r.loss:.4f} · about {r.eta_s:.0f} s left"),
        preview=lambda step, image: previews.append((image, f"step {step}")), cancel=token,
        save_project=lambda change: session.transact(path, change),
    )
    summary = (f"Trained **{done.steps} steps** (final loss {done.final_loss:.4f}"
               + (f", resumed from step {done.resumed_from}" if done.resumed_from else "") + f") · trigger word "
               f"**{done.prepared.trigger}** · crops: {', '.join(sorted(set(done.prepared.methods)))}")
    return view(folder), previews, summary


def train_character_live(*args, **kwargs):
    """`train_character` in a worker thread, yielding (previews, view or None, summary) as previews arrive."""
    previews: list = []
    worker = Worker(lambda: train_character(*args, previews=previews, **kwargs))
    shown = 0
    for _ in worker.ticks():
        if len(previews) > shown:
            shown = len(previews)
            yield list(previews), None, ""
    view_after, _, summary = worker.result()
    yield list(previews), view_after, summary


def import_character_lora(folder: str, name: str, file: str | None) -> View:
    from ..training.service import import_lora

    path = session.check(folder)
    if not file:
        raise InputError("no LoRA file was uploaded")
    import_lora(path, required(name, "a character"), file, save_project=lambda change: session.transact(path, change))
    return view(folder)
