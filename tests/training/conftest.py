"""Pictures for training tests: a toy set, and every kind of bad file."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image


@pytest.fixture()
def toy_pictures(tmp_path):
    """Four pictures of "the character": a red figure on grey, in slightly different places."""
    rng = np.random.default_rng(0)
    paths = []
    for i in range(4):
        pixels = np.full((160, 200, 3), 120, dtype=np.float64) + rng.normal(0, 6, (160, 200, 3))
        pixels[40 + 4 * i: 140, 70 + 6 * i: 130 + 6 * i] = [210, 40, 40]
        path = tmp_path / f"ref{i}.png"
        Image.fromarray(pixels.clip(0, 255).astype("uint8")).save(path)
        paths.append(path)
    return paths
