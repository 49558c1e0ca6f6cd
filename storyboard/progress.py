"""Progress reporting and cancellation, decoupled from any UI.

Long stages take a `progress` callable `(done, total, message)` — `done` may
be fractional (2.5 = halfway through the third panel) — and a
`CancelToken`. The CLI adapts the callable to tqdm, the app to gr.Progress.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Protocol

from .errors import Cancelled


class Progress(Protocol):
    def __call__(self, done: float, total: int, message: str) -> None: ...


def no_progress(done: float, total: int, message: str) -> None:
    """The default progress sink: report nothing."""


class CancelToken:
    """A flag a UI sets from another thread; workers check it between steps."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        """Raise `Cancelled` if cancellation was requested."""
        if self._event.is_set():
            raise Cancelled("Cancelled by the user; finished work was kept.")


ProgressFn = Callable[[float, int, str], None]
