"""Square training crops: on the largest face with room for the shoulders, else on what stands out.

With insightface's models present the crop centres on the largest face; otherwise
(or when no face is found: cartoons, animals, robots) an OpenCV spectral-residual
saliency map decides where the square goes. Each crop says which method made it.
"""

from __future__ import annotations

from dataclasses import dataclass

FACE_SCALE = 2.6  # the square is this many face heights: head, shoulders and a little air
FACE_DROP = 0.35  # shift the centre down by this many face heights (the shoulders are below)


@dataclass
class Crop:
    image: object  # PIL RGB, size × size
    method: str  # "face (insightface)", "saliency (OpenCV)"
    box: tuple[int, int, int, int]


def square_on(width: int, height: int, cx: float, cy: float, side: float) -> tuple[int, int, int, int]:
    """A square of `side` (at most the short side) centred near (cx, cy), kept inside the image."""
    side = int(min(side, width, height))
    x0 = int(min(max(cx - side / 2, 0), width - side))
    y0 = int(min(max(cy - side / 2, 0), height - side))
    return x0, y0, x0 + side, y0 + side


def saliency_centre(image) -> tuple[float, float]:
    """The centroid of a spectral-residual saliency map (Hou & Zhang 2007), in pixels."""
    import cv2
    import numpy as np

    small = cv2.resize(np.asarray(image.convert("L"), dtype=np.float32), (64, 64), interpolation=cv2.INTER_AREA)
    spectrum = np.fft.fft2(small)
    log_amplitude, phase = np.log1p(np.abs(spectrum)), np.angle(spectrum)
    residual = log_amplitude - cv2.blur(log_amplitude, (3, 3))
    saliency = np.abs(np.fft.ifft2(np.exp(residual + 1j * phase))) ** 2
    saliency = cv2.GaussianBlur(saliency, (9, 9), 2.5)
    total = saliency.sum()
    if not np.isfinite(total) or total <= 0:
        return image.width / 2, image.height / 2
    ys, xs = np.mgrid[0:64, 0:64]
    return (float((xs * saliency).sum() / total) + 0.5) * image.width / 64, (
        float((ys * saliency).sum() / total) + 0.5) * image.height / 64


def crop(image, size: int = 512, finder=None) -> Crop:
    """A size×size crop of an RGB image; `finder` is a faces.FaceFinder or None."""
    from PIL import Image

    width, height = image.size
    faces = finder.detect(image) if finder is not None else []
    if faces:
        x0, y0, x1, y1 = faces[0].box
        face = max(x1 - x0, y1 - y0)
        box = square_on(width, height, (x0 + x1) / 2, (y0 + y1) / 2 + FACE_DROP * face, FACE_SCALE * face)
        method = "face (insightface)"
    else:
        cx, cy = saliency_centre(image)
        box = square_on(width, height, cx, cy, min(width, height))
        method = "saliency (OpenCV)"
    return Crop(image.crop(box).resize((size, size), Image.Resampling.LANCZOS), method, box)
