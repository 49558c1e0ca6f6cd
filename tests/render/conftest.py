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


@pytest.fixture(scope="session")
def tiny_sdxl(tmp_path_factory):
    """A tiny SDXL pipeline (two text encoders of different widths, text-time conditioning) as a diffusers folder."""
    pytest.importorskip("diffusers")
    from tests.fixtures import tiny_sdxl as xl

    return xl.save_sdxl_pipeline_distinct(tmp_path_factory.mktemp("models") / "tiny-sdxl")


@pytest.fixture(scope="session")
def tiny_sdxl_loras(tiny_sdxl, tmp_path_factory):
    from diffusers import StableDiffusionXLPipeline

    pipe = StableDiffusionXLPipeline.from_pretrained(str(tiny_sdxl))
    folder = tmp_path_factory.mktemp("loras-xl")
    return {name: tiny_sd.save_lora(pipe, folder / f"{name.lower()}.safetensors", seed=i + 1)
            for i, name in enumerate(("Mara", "Tom"))}


@pytest.fixture(scope="session")
def tiny_sdxl_controlnet(tmp_path_factory):
    from tests.fixtures import tiny_sdxl as xl

    return xl.save_controlnet_xl(tmp_path_factory.mktemp("models") / "tiny-controlnet-xl")


@pytest.fixture(scope="session")
def tiny_flux(tmp_path_factory):
    """A tiny FLUX pipeline folder and two character LoRAs for it: (folder, {name: lora path})."""
    pytest.importorskip("diffusers")
    from diffusers import FluxPipeline

    from tests.fixtures.tiny_flux import save_flux_lora, save_flux_pipeline

    folder = save_flux_pipeline(tmp_path_factory.mktemp("models") / "tiny-flux")
    pipe = FluxPipeline.from_pretrained(str(folder))
    loras = tmp_path_factory.mktemp("loras-flux")
    return folder, {name: save_flux_lora(pipe, loras / f"{name.lower()}.safetensors", seed=i + 1)
                    for i, name in enumerate(("Mara", "Tom"))}


@pytest.fixture(scope="session")
def tiny_sd2(tmp_path_factory):
    """A tiny SD 2.x-style pipeline (its UNet reads 1024-wide text, as SD 2.x's OpenCLIP-H encoder gives)."""
    pytest.importorskip("diffusers")
    return tiny_sd.save_pipeline(tmp_path_factory.mktemp("models") / "tiny-sd2", text_width=1024)


@pytest.fixture(scope="session")
def tiny_sd2_loras(tiny_sd2, tmp_path_factory):
    from diffusers import StableDiffusionPipeline

    pipe = StableDiffusionPipeline.from_pretrained(str(tiny_sd2))
    folder = tmp_path_factory.mktemp("loras-sd2")
    return {name: tiny_sd.save_lora(pipe, folder / f"{name.lower()}.safetensors", seed=i + 1)
            for i, name in enumerate(("Mara", "Tom"))}


@pytest.fixture(scope="session")
def tiny_sd2_controlnet(tmp_path_factory):
    return tiny_sd.save_controlnet(tmp_path_factory.mktemp("models") / "tiny-controlnet-sd2", text_width=1024)
