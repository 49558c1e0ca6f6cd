"""Model families: told from a pipeline, a folder, a single file's tensor names or the cache, never by loading."""

from __future__ import annotations

import json

import pytest

from storyboard.errors import RenderError
from storyboard.render import families
from storyboard.render.settings import DiffusionSettings, check_family


def test_a_folder_is_told_by_its_index_and_unet(tmp_path, tiny_model):
    assert families.of_ref(str(tiny_model)) == "sd15"
    sd2 = tmp_path / "sd2"
    (sd2 / "unet").mkdir(parents=True)
    (sd2 / "model_index.json").write_text(json.dumps({"_class_name": "StableDiffusionPipeline"}))
    (sd2 / "unet" / "config.json").write_text(json.dumps({"cross_attention_dim": 1024}))
    assert families.of_ref(str(sd2)) == "sd2"
    (sd2 / "model_index.json").write_text(json.dumps({"_class_name": "StableDiffusionXLPipeline"}))
    assert families.of_ref(str(sd2)) == "sdxl"
    (sd2 / "model_index.json").write_text(json.dumps({"_class_name": "FluxPipeline"}))
    assert families.of_ref(str(sd2)) == "flux"
    (sd2 / "model_index.json").write_text(json.dumps({"_class_name": "KandinskyV22Pipeline"}))
    assert families.of_ref(str(sd2)) == "other"
    (sd2 / "model_index.json").write_text("{not json")
    assert families.of_ref(str(sd2)) is None


@pytest.mark.parametrize("key, family", [
    ("conditioner.embedders.1.model.token_embedding.weight", "sdxl"),
    ("cond_stage_model.model.token_embedding.weight", "sd2"),
    ("cond_stage_model.transformer.text_model.embeddings.token_embedding.weight", "sd15"),
    ("double_blocks.0.img_attn.norm.key_norm.scale", "flux"),
    ("something.else", "other"),
])
def test_a_single_file_is_told_by_its_tensor_names_without_reading_tensors(tmp_path, key, family):
    import torch
    from safetensors.torch import save_file

    path = tmp_path / "model.safetensors"
    save_file({key: torch.zeros(2), "model.diffusion_model.input_blocks.0.0.weight": torch.zeros(1)}
              if family != "other" else {key: torch.zeros(1)}, str(path))
    assert families.of_ref(str(path)) == family


def test_a_file_that_is_not_safetensors_is_unknown(tmp_path):
    path = tmp_path / "fake.safetensors"
    path.write_bytes(b"\xff" * 64)
    assert families.of_ref(str(path)) is None
    assert families.of_ref("nobody/not-cached-anywhere") is None
    assert families.of_ref("") is None


def test_the_pipeline_tells_its_family(tiny_model):
    from diffusers import StableDiffusionPipeline

    assert families.of_pipe(StableDiffusionPipeline.from_pretrained(str(tiny_model))) == "sd15"


def test_each_family_says_which_options_it_cannot_use():
    assert families.unsupported("sdxl", "controlnet") is None and families.unsupported("sd15", "regional") is None
    assert "SD 2.x" in families.unsupported("sd2", "ip_adapter")
    assert "FLUX" in families.unsupported("flux", "controlnet") and families.unsupported("flux", "loras") is None
    assert families.unsupported("other", "loras").startswith("character LoRAs cannot be used")
    with pytest.raises(RenderError, match=r"^the IP-Adapter cannot be used with SD 2\.x models.*Clear the IP-Adapter"):
        check_family("sd2", DiffusionSettings(ip_adapter="x.safetensors"))
    with pytest.raises(RenderError, match="the ControlNet cannot be used with FLUX models"):
        check_family("flux", DiffusionSettings(controlnet="a/b"))
    check_family("sdxl", DiffusionSettings(controlnet="a/b", ip_adapter="x.safetensors"))  # no error


def test_the_suggested_controlnet_reads_the_blueprint_for_the_family():
    assert "xinsir/controlnet-scribble-sdxl-1.0" in families.suggestion("sdxl")
    assert "control_v11p_sd15_scribble" in families.suggestion("sd15")
    assert families.suggestion("flux").startswith("the ControlNet cannot be used with FLUX")


@pytest.mark.parametrize("ref, family", [
    ("stabilityai/stable-diffusion-xl-base-1.0", "sdxl"), ("stabilityai/sdxl-turbo", "sdxl"),
    ("stable-diffusion-v1-5/stable-diffusion-v1-5", "sd15"), ("stabilityai/stable-diffusion-2-1", "sd2"),
    ("black-forest-labs/FLUX.1-schnell", "flux"), ("someone/something", None),
])
def test_a_model_not_downloaded_yet_is_guessed_from_its_name(ref, family):
    from storyboard.render.advice import family_of

    assert families.guess(ref) == family
    key, head = family_of(ref)
    assert key == (family or "sd15")
    assert ("told from its name" in head) == (family is not None)
