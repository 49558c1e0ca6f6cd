"""insightface, when its face models are on this machine: availability, detection.

The models (buffalo_l by default) are never downloaded here: they must be in
the insightface root folder ($STORYBOARD_INSIGHTFACE_ROOT, else
~/.insightface) under models/<pack>/. When they are missing, `availability()`
says so and why, and callers fall back (crops: OpenCV; coherence: style only).
The buffalo_l/antelopev2 models are for non-commercial research use only.
"""

from __future__ import annotations

import importlib.util
import os
import threading
from dataclasses import dataclass
from pathlib import Path

DEFAULT_PACK = "buffalo_l"


def insightface_root() -> Path:
    return Path(os.environ.get("STORYBOARD_INSIGHTFACE_ROOT") or "~/.insightface").expanduser()


def availability(pack: str = DEFAULT_PACK, root: Path | None = None) -> tuple[bool, str]:
    """(usable, why): whether insightface and its `pack` models are here, in words."""
    if importlib.util.find_spec("insightface") is None or importlib.util.find_spec("onnxruntime") is None:
        return False, "insightface is not installed (pip install insightface onnxruntime)"
    folder = (root or insightface_root()) / "models" / pack
    if not any(folder.glob("*.onnx")):
        return False, (f"insightface face models '{pack}' are not in {folder} (they cannot be downloaded here; "
                       "copy them there to use them — non-commercial licence)")
    return True, f"insightface {pack} from {folder}"


@dataclass(frozen=True)
class Face:
    box: tuple[float, float, float, float]  # x0, y0, x1, y1 in pixels
    score: float

    @property
    def area(self) -> float:
        return max(0.0, self.box[2] - self.box[0]) * max(0.0, self.box[3] - self.box[1])


class FaceFinder:
    """Face detection with insightface (models loaded once, on first use)."""

    def __init__(self, pack: str = DEFAULT_PACK, root: Path | None = None) -> None:
        self.pack, self.root = pack, root or insightface_root()
        self._app = None
        self._lock = threading.Lock()

    def _analysis(self, modules: tuple[str, ...] = ("detection",)):
        with self._lock:
            if self._app is None:
                ok, why = availability(self.pack, self.root)
                if not ok:
                    raise RuntimeError(why)
                from insightface.app import FaceAnalysis

                app = FaceAnalysis(name=self.pack, root=str(self.root), allowed_modules=list(modules),
                                   providers=["CPUExecutionProvider"])
                app.prepare(ctx_id=-1, det_size=(640, 640))
                self._app = app
            return self._app

    def detect(self, image) -> list[Face]:
        """Faces in an RGB PIL image, largest first; retried smaller when none is found."""
        import numpy as np

        app = self._analysis()
        bgr = np.asarray(image.convert("RGB"))[:, :, ::-1].copy()
        for size in (640, 320):  # small or blurry faces are sometimes found only at a smaller size
            app.det_model.input_size = (size, size)
            found = [Face(tuple(float(v) for v in f.bbox), float(f.det_score)) for f in app.get(bgr)]
            if found:
                return sorted(found, key=lambda f: f.area, reverse=True)
        return []
