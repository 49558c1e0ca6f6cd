"""A job in a worker thread whose progress a gradio generator can stream (renders, training)."""

from __future__ import annotations

import contextvars
import threading


class Worker:
    """A job in a worker thread, run in a copy of this context (so gradio's progress bar, a context variable, still
    works); `ticks` yields while it runs, `result` gives what it returned or raises what it raised."""

    def __init__(self, job) -> None:
        self._box: dict = {}
        self._thread = threading.Thread(target=contextvars.copy_context().run, args=(self._run, job), daemon=True)
        self._thread.start()

    def _run(self, job) -> None:
        try:
            self._box["done"] = job()
        except BaseException as err:  # handed to the caller's thread by result()
            self._box["error"] = err

    def ticks(self, wake: threading.Event | None = None, every_s: float = 0.5):
        """Yield every `every_s` seconds, or as soon as `wake` is set, while the job runs."""
        while self._thread.is_alive():
            if wake is not None:
                wake.wait(every_s)
            else:
                self._thread.join(every_s)
            yield

    def result(self):
        self._thread.join()
        if "error" in self._box:
            raise self._box["error"]
        return self._box["done"]
