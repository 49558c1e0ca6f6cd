"""Tiny real diffusion models, built once per test session (tiny_model itself lives in tests/conftest.py)."""

from __future__ import annotations

import pytest

from tests.fixtures import tiny_sd


@pytest.fixture(scope="session")
def tiny_loras(tiny_model, tmp_path_factory):
    """Two character LoRAs (random, clearly visible) in the diffusers format."""
    return tiny_sd.character_loras(tiny_model, tmp_path_factory.mktemp("loras"))


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
    return tiny_sd.character_loras(tiny_sdxl, tmp_path_factory.mktemp("loras-xl"))


@pytest.fixture(scope="session")
def tiny_sdxl_controlnet(tmp_path_factory):
    from tests.fixtures import tiny_sdxl as xl

    return xl.save_controlnet_xl(tmp_path_factory.mktemp("models") / "tiny-controlnet-xl")


@pytest.fixture(scope="session")
def tiny_flux(tmp_path_factory):
    """A tiny FLUX pipeline folder and two character LoRAs for it: (folder, {name: lora path})."""
    pytest.importorskip("diffusers")
    from tests.fixtures.tiny_flux import save_flux_pipeline

    folder = save_flux_pipeline(tmp_path_factory.mktemp("models") / "tiny-flux")
    return folder, tiny_sd.character_loras(folder, tmp_path_factory.mktemp("loras-flux"))


@pytest.fixture(scope="session")
def tiny_sd2(tmp_path_factory):
    """A tiny SD 2.x-style pipeline (its UNet reads 1024-wide text, as SD 2.x's OpenCLIP-H encoder gives)."""
    pytest.importorskip("diffusers")
    return tiny_sd.save_pipeline(tmp_path_factory.mktemp("models") / "tiny-sd2", text_width=1024)


@pytest.fixture(scope="session")
def tiny_sd2_loras(tiny_sd2, tmp_path_factory):
    return tiny_sd.character_loras(tiny_sd2, tmp_path_factory.mktemp("loras-sd2"))


@pytest.fixture(scope="session")
def tiny_sd2_controlnet(tmp_path_factory):
    return tiny_sd.save_controlnet(tmp_path_factory.mktemp("models") / "tiny-controlnet-sd2", text_width=1024)
