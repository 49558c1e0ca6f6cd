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


def availability(pack: str = DEFAULT_PACK, root: Path | None = None, show_path: bool = True) -> tuple[bool, str]:
    """(usable, why): whether insightface and its `pack` models are here, in words. `show_path=False` (the studio,
    which strangers may use) names no server folder."""
    if importlib.util.find_spec("insightface") is None or importlib.util.find_spec("onnxruntime") is None:
        return False, "insightface is not installed (pip install insightface onnxruntime)"
    folder = (root or insightface_root()) / "models" / pack
    where = str(folder) if show_path else "insightface's models folder on the server"
    if not any(folder.glob("*.onnx")):
        return False, (f"insightface face models '{pack}' are not in {where} (they cannot be downloaded here; "
                       "copy them there to use them — non-commercial licence)")
    return True, f"insightface {pack}" + (f" from {folder}" if show_path else "")


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


class FaceIdentity:
    """Faces and their ArcFace embeddings (insightface detection + recognition), for the coherence check."""

    def __init__(self, pack: str = DEFAULT_PACK, root: Path | None = None) -> None:
        self.finder = FaceFinder(pack, root)

    def embeddings(self, image) -> list:
        """Unit-length 512-d embeddings of the faces in an RGB image, largest face first."""
        import numpy as np

        app = self.finder._analysis(("detection", "recognition"))
        bgr = np.asarray(image.convert("RGB"))[:, :, ::-1].copy()
        faces = sorted(app.get(bgr), key=lambda f: (f.bbox[2] - f.bbox[0]) * (f.bbox[3] - f.bbox[1]), reverse=True)
        return [np.asarray(f.normed_embedding, dtype=np.float32) for f in faces]


def load_recognizer(model_file: str | Path):
    """An ArcFace recognition model (.onnx, 112×112 → 512-d) through insightface's model_zoo."""
    from insightface.model_zoo import get_model

    model = get_model(str(model_file), providers=["CPUExecutionProvider"])
    if model is None or type(model).__name__ != "ArcFaceONNX":
        raise ValueError(f"{Path(model_file).name} is not an ArcFace recognition model")
    model.prepare(ctx_id=-1)
    return model


def embed_aligned(recognizer, face_rgb):
    """The unit embedding of an already aligned face crop (resized to the model's 112×112 input)."""
    import numpy as np

    size = tuple(recognizer.input_size)
    bgr = np.asarray(face_rgb.convert("RGB").resize(size))[:, :, ::-1].copy()
    vector = recognizer.get_feat(bgr).reshape(-1).astype(np.float32)
    return vector / (np.linalg.norm(vector) + 1e-12)
