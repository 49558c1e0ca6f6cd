"""What the coherence check's buttons do: score the board, re-roll the panels that drift. Plain functions of the
session folder, like handlers.py."""

from __future__ import annotations

from ..errors import InputError
from ..progress import ProgressFn, no_progress
from . import session
from .handlers import view
from .view import View


def check_coherence(folder: str, threshold: float = 0.28, style_threshold: float = 0.6):
    """Score the board; returns (table rows, heatmap path, summary)."""
    from .. import coherence

    path = session.check(folder)
    project = session.load(path)
    if project is None:
        raise InputError("there is no board yet: plan and render first")
    model, note = coherence.identity_model(show_path=False)  # no server path
    report = coherence.check(project, path, threshold=float(threshold), style_threshold=float(style_threshold),
                             model=model, note=note)
    if not report.panels:
        raise InputError("no rendered panels to check yet: render first")
    _, heat = coherence.save(report, path)
    rows = [[p.number, f"{p.style:.2f}",
             ", ".join(f"{c.name} {'—' if c.score is None else f'{c.score:.2f}'} ({c.method})" for c in p.identity),
             "⚠ " + "; ".join(p.reasons) if p.flagged else "ok"] for p in report.panels]
    return rows, str(heat), report.summary().replace("\n", "  \n")


def reroll_flagged(folder: str, tries: int, threshold: float, style_threshold: float, backend: str = "sketch",
                   settings: dict | None = None, long_side: int | None = None,
                   progress: ProgressFn = no_progress) -> tuple[View, str]:
    """Try new seeds for the flagged panels and keep the best take of each."""
    from .. import coherence

    path = session.check(folder)
    model, note = coherence.identity_model(show_path=False)  # no server path
    with session.lock(path):
        project = session.load(path)
        if project is None:
            raise InputError("there is no board yet: plan and render first")
        report = coherence.check(project, path, threshold=float(threshold), style_threshold=float(style_threshold),
                                 model=model, note=note)
        if not report.flagged():
            return View.of(project, path), "Nothing is flagged: every panel is coherent."
        changes = coherence.reroll_flagged(project, path, report, tries=int(tries), backend=backend,
                                           settings=settings, long_side=long_side, model=model, progress=progress)
    lines = [f"scene {c['scene']}: {c['before']:.2f} → {c['after']:.2f}"
             + (" (kept the old take)" if c["kept_old"] else "") for c in changes]
    return view(folder), "  \n".join(lines)
