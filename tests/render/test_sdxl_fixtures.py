"""The tiny SDXL fixtures (tests/fixtures/tiny_sdxl.py) go through diffusers' real loaders and steer a render."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from PIL import Image

pytest.importorskip("diffusers")

from tests.fixtures import tiny_sdxl  # noqa: E402


@pytest.fixture(scope="module")
def sdxl_folder(tmp_path_factory) -> Path:
    return tiny_sdxl.save_sdxl_pipeline_distinct(tmp_path_factory.mktemp("models") / "tiny-sdxl")


@pytest.fixture()
def pipe(sdxl_folder):
    from diffusers import StableDiffusionXLPipeline

    pipe = StableDiffusionXLPipeline.from_pretrained(str(sdxl_folder))
    pipe.set_progress_bar_config(disable=True)
    return pipe


def render(pipe, **kwargs) -> np.ndarray:
    """A 2-step 64×64 render with a fixed seed, as pixels 0…255 (float)."""
    import torch

    pipe.set_progress_bar_config(disable=True)
    image = pipe("a lighthouse at dusk", num_inference_steps=2, height=64, width=64, output_type="np",
                 generator=torch.Generator("cpu").manual_seed(0), **kwargs).images[0]
    return image.astype(np.float64) * 255


def scribble() -> Image.Image:
    """A blueprint: white lines on black."""
    image = Image.new("RGB", (64, 64))
    for i in range(8, 56):
        image.putpixel((i, 32), (255, 255, 255))
        image.putpixel((20, i), (255, 255, 255))
    return image


def assert_same_weights(ours, theirs) -> None:
    ours, theirs = ours.state_dict(), theirs.state_dict()
    assert ours.keys() == theirs.keys()
    import torch

    different = [k for k in ours if not torch.equal(ours[k], theirs[k].reshape(ours[k].shape))]
    assert not different


def test_controlnet_xl_steers_text_to_image_and_inpainting(tmp_path, pipe):
    from diffusers import AutoPipelineForInpainting, AutoPipelineForText2Image, ControlNetModel

    net = ControlNetModel.from_pretrained(str(tiny_sdxl.save_controlnet_xl(tmp_path / "cn-xl")))
    assert net.config.addition_embed_type == "text_time"
    plain = render(pipe)
    controlled = AutoPipelineForText2Image.from_pipe(pipe, controlnet=net)
    assert type(controlled).__name__ == "StableDiffusionXLControlNetPipeline"
    with_net = render(controlled, image=scribble())
    assert np.abs(with_net - plain).mean() > 1.0

    inpaint = AutoPipelineForInpainting.from_pipe(pipe, controlnet=net)
    assert type(inpaint).__name__ == "StableDiffusionXLControlNetInpaintPipeline"
    mask = Image.new("L", (64, 64), 0)
    mask.paste(255, (16, 16, 48, 48))
    picture = Image.new("RGB", (64, 64), (140, 110, 90))
    inpainted = render(inpaint, image=picture, mask_image=mask, control_image=scribble(), strength=1.0)
    plain_inpaint = render(AutoPipelineForInpainting.from_pipe(pipe), image=picture, mask_image=mask, strength=1.0)
    assert inpainted.shape == (64, 64, 3)
    assert np.abs(inpainted - plain_inpaint).mean() > 1.0


def test_lora_xl_loads_in_plain_diffusers_and_changes_the_render(tmp_path, pipe):
    lora = tiny_sdxl.save_lora_xl(pipe, tmp_path / "loras" / "mara-xl.safetensors", seed=1)
    plain = render(pipe)  # making the LoRA left the UNet as it was
    pipe.load_lora_weights(str(lora.parent), weight_name=lora.name, adapter_name="mara")
    assert pipe.get_active_adapters() == ["mara"]
    assert np.abs(render(pipe) - plain).mean() > 1.0


def test_ip_adapter_xl_reference_images_steer(tmp_path, sdxl_folder, pipe):
    config = json.loads((sdxl_folder / "unet" / "config.json").read_text())
    path = tiny_sdxl.save_ip_adapter_xl(tmp_path / "ip-xl", config)
    pipe.load_ip_adapter(str(path.parent), subfolder="", weight_name=path.name, image_encoder_folder="image_encoder")
    pipe.set_ip_adapter_scale(1.0)
    red = render(pipe, ip_adapter_image=Image.new("RGB", (48, 48), (220, 30, 30)))
    blue = render(pipe, ip_adapter_image=Image.new("RGB", (48, 48), (30, 30, 220)))
    assert np.abs(red - blue).mean() > 1.0


def test_single_file_xl_loads_every_weight_and_renders_like_the_folder(tmp_path, sdxl_folder, pipe):
    from diffusers import StableDiffusionXLPipeline

    from storyboard.render import families
    from storyboard.render.models import ModelManager

    checkpoint = tiny_sdxl.save_single_file_xl(pipe, tmp_path / "tiny-sdxl.safetensors")
    assert families.of_ref(str(checkpoint)) == "sdxl"
    loaded = StableDiffusionXLPipeline.from_single_file(str(checkpoint), config=str(sdxl_folder),
                                                        local_files_only=True)
    for part in ("unet", "vae", "text_encoder", "text_encoder_2"):
        assert_same_weights(getattr(loaded, part), getattr(pipe, part))
    assert np.array_equal(render(loaded), render(pipe))

    managed = ModelManager(device="cpu").get(str(checkpoint), config=str(sdxl_folder))
    assert managed.source.kind == "file"
    assert type(managed.pipe) is StableDiffusionXLPipeline
    for part in ("unet", "text_encoder_2"):
        assert_same_weights(getattr(managed.pipe, part), getattr(pipe, part))


def test_single_file_xl_refuses_encoders_of_one_width(tmp_path):
    """diffusers tells SDXL's two text encoders apart by width only: such a file would not load back right."""
    same = SimpleNamespace(config=SimpleNamespace(hidden_size=32))
    with pytest.raises(ValueError, match="both text encoders are 32 wide"):
        tiny_sdxl.save_single_file_xl(SimpleNamespace(text_encoder=same, text_encoder_2=same),
                                      tmp_path / "x.safetensors")
