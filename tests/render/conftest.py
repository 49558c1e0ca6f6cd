"""Tiny real diffusion models, built once per test session (tiny_model itself lives in tests/conftest.py)."""

from __future__ import annotations

import pytest

from tests.fixtures import tiny_sd


@pytest.fixture(scope="session")
def tiny_loras(tiny_model, tmp_path_factory):
    """Two character LoRAs (random, clearly visible) in the diffusers format."""
    from diffusers import StableDiffusionPipeline

    pipe = StableDiffusionPipeline.from_pretrained(str(tiny_model))
    folder = tmp_path_factory.mktemp("loras")
    return {name: tiny_sd.save_lora(pipe, folder / f"{name.lower()}.safetensors", seed=i + 1)
            for i, name in enumerate(("Mara", "Tom"))}


@pytest.fixture(scope="session")
def tiny_controlnet(tmp_path_factory):
    pytest.importorskip("diffusers")
    return tiny_sd.save_controlnet(tmp_path_factory.mktemp("models") / "tiny-controlnet")
