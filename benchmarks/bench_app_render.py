"""Time the app's render path (handlers.render on a session folder) for boards of 100, 300 and 600 scenes.

    python benchmarks/bench_app_render.py [--sizes 100 300 600] [--compare]

Prints one row per size: seconds for the app's render (finished panels merged into
the saved project in batches, edits made meanwhile kept) and for the CLI's render
of the same board. --compare adds the app with one merge-and-save per panel (how
it was before batching: quadratic). Sketch renderer; the view the app shows after
the render is included.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from storyboard import store, studio  # noqa: E402
from storyboard.planning import plan_text  # noqa: E402
from storyboard.ui import handlers, session  # noqa: E402


def board(scenes: int):
    """The example story's plan, its scenes repeated to `scenes` (fresh ids and numbers, no panels)."""
    project = plan_text(handlers.example_text(), title="Benchmark Board")
    base = project.scenes
    project.scenes = [dataclasses.replace(base[i % len(base)], id=f"b{i:05d}", number=str(i + 1), panel=None)
                      for i in range(scenes)]
    return project


def app_seconds(project, per_panel: bool = False) -> float:
    folder = session.new_session()
    store.save(project, folder)
    batch = handlers.PanelBatch.SAVE_EVERY_PANELS
    handlers.PanelBatch.SAVE_EVERY_PANELS = 1 if per_panel else batch
    try:
        start = time.perf_counter()
        _, drawn = handlers.render(folder)
        seconds = time.perf_counter() - start
    finally:
        handlers.PanelBatch.SAVE_EVERY_PANELS = batch
        session.close_session(folder)
    assert len(drawn) == len(project.scenes)
    return seconds


def cli_seconds(project) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        store.save(project, tmp)
        start = time.perf_counter()
        studio.render(tmp)
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 300, 600])
    parser.add_argument("--compare", action="store_true", help="also time one save per panel (before batching)")
    args = parser.parse_args()
    os.environ.setdefault("STORYBOARD_SESSIONS", tempfile.mkdtemp(prefix="bench-sessions-"))

    header = f"{'scenes':>7} {'app s':>8} {'CLI s':>8}" + (f" {'per-panel s':>12}" if args.compare else "")
    print(header)
    print("-" * len(header))
    for size in args.sizes:
        project = board(size)
        row = f"{size:>7} {app_seconds(project):>8.1f} {cli_seconds(project):>8.1f}"
        if args.compare:
            row += f" {app_seconds(project, per_panel=True):>12.1f}"
        print(row, flush=True)


if __name__ == "__main__":
    main()
