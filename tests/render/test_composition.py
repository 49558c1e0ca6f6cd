"""Every option on SD 1.5 and SDXL (tiny real pipelines), and a regional pass whose composition is always held."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
from PIL import Image

from storyboard.errors import RenderError
from storyboard.layout import blueprint
from storyboard.render import diffusion, regional
from storyboard.render.diffusion import DiffusionRenderer
from storyboard.render.models import ModelError, ModelManager
from storyboard.render.prompts import region_prompt
from storyboard.render.regional import Region, RegionalPrompts
from storyboard.render.regions import figure_mask
from tests.render.test_diffusion import SIZE, draw, pixels, project_with

FAMILIES = ["sd15", "sdxl"]
EVERY_FAMILY = ["sd15", "sd2", "sdxl"]  # SD 2.x: the same pipeline classes as SD 1.5, a 1024-wide text


@pytest.fixture()
def engine():
    return DiffusionRenderer(ModelManager(device="cpu"))


@pytest.fixture()
def model(request):
    """(family, model folder, its two character LoRAs, its ControlNet) for the parametrized family."""
    if request.param == "sd15":
        names = ("tiny_model", "tiny_loras", "tiny_controlnet")
    elif request.param == "sd2":
        names = ("tiny_sd2", "tiny_sd2_loras", "tiny_sd2_controlnet")
    else:
        names = ("tiny_sdxl", "tiny_sdxl_loras", "tiny_sdxl_controlnet")
    return (request.param, *(request.getfixturevalue(n) for n in names))


def two_characters(loras, tmp_path):
    """A two-shot of Mara and Tom, each with their LoRA copied into the project folder."""
    own = {name: shutil.copy(path, tmp_path / path.name) for name, path in loras.items()}
    return project_with(own, ["Mara", "Tom"])


def first_pass(engine, project, result, **controlnet):
    """The composition pass alone, as the engine runs it (both adapters on, same seed), for comparison."""
    import torch
    from diffusers import AutoPipelineForText2Image

    scene = project.scenes[0]
    plan = blueprint(scene, project)
    pipe = engine.models.loaded.pipe
    engine.models.activate({"char_mara": 1.0, "char_tom": 1.0})
    common = dict(prompt=result.provenance["prompt"], negative_prompt=result.provenance["negative_prompt"],
                  num_inference_steps=2, guidance_scale=7.5, width=SIZE[0], height=SIZE[1],
                  generator=torch.Generator("cpu").manual_seed(scene.seed))
    try:
        if controlnet:
            steered = AutoPipelineForText2Image.from_pipe(pipe, controlnet=engine._controlnets[controlnet["ref"]])
            guide = diffusion._guide_image(scene, plan, *SIZE)
            return steered(image=guide, controlnet_conditioning_scale=0.8, **common).images[0]
        regions = [Region(figure_mask(plan, n, SIZE), region_prompt(scene, project, n)) for n in ("Mara", "Tom")]
        with RegionalPrompts(pipe, regions, result.provenance["negative_prompt"], SIZE, cfg=True):
            return pipe(**common).images[0]
    finally:
        engine.models.activate({})


def regions_of(project):
    scene = project.scenes[0]
    plan = blueprint(scene, project)
    union = np.maximum(*(np.asarray(figure_mask(plan, n, SIZE)) for n in ("Mara", "Tom")))
    return union == 0, union == 255


@pytest.mark.parametrize("model", EVERY_FAMILY, indirect=True)
def test_two_lora_characters_repaint_only_their_regions_held_by_regional_prompts(engine, model, tmp_path):
    family, folder, loras, _ = model
    project = two_characters(loras, tmp_path)
    result = draw(engine, project, folder, project_folder=str(tmp_path))
    assert result.provenance["family"] == family
    assert result.provenance["regional"] == ["Mara", "Tom"]
    assert result.provenance["composition"] == "regional prompts"
    outside, inside = regions_of(project)
    assert outside.any() and inside.any()
    final, first = pixels(result.image), pixels(first_pass(engine, project, result))
    assert np.array_equal(final[outside], first[outside])  # outside the regions nothing changed
    assert np.abs(final[inside] - first[inside]).mean() > 1.0  # inside, each character's own adapter repainted


@pytest.mark.parametrize("model", EVERY_FAMILY, indirect=True)
def test_with_a_controlnet_the_blueprint_holds_the_composition_and_the_repaint(engine, model, tmp_path):
    family, folder, loras, controlnet = model
    project = two_characters(loras, tmp_path)
    result = draw(engine, project, folder, project_folder=str(tmp_path), controlnet=str(controlnet))
    assert result.provenance["composition"] == "controlnet" and result.provenance["regional"] == ["Mara", "Tom"]
    outside, inside = regions_of(project)
    final = pixels(result.image)
    first = pixels(first_pass(engine, project, result, ref=str(controlnet)))
    assert np.array_equal(final[outside], first[outside])
    assert np.abs(final[inside] - first[inside]).mean() > 1.0


@pytest.mark.parametrize("model", EVERY_FAMILY, indirect=True)
def test_the_controlnet_steers_every_family(engine, model):
    family, folder, _, controlnet = model
    project = project_with({"Mara": ""}, ["Mara"], shot="MS")
    plain = draw(engine, project, folder)
    guided = draw(engine, project, folder, controlnet=str(controlnet), control_scale=1.0)
    assert plain.provenance["composition"] == "prompt only" and guided.provenance["composition"] == "controlnet"
    assert not np.array_equal(pixels(plain.image), pixels(guided.image))
    again = draw(engine, project, folder, controlnet=str(controlnet), control_scale=1.0)
    assert np.array_equal(pixels(guided.image), pixels(again.image))


@pytest.mark.parametrize("model", FAMILIES, indirect=True)
def test_regional_prompts_steer_inside_their_region_more_than_outside(engine, model):
    import torch

    family, folder, _, _ = model
    pipe = engine.models.get(str(folder)).pipe
    left = Image.new("L", SIZE, 0)
    left.paste(255, (0, 0, SIZE[0] // 2, SIZE[1]))
    inside, outside = [], []
    for seed in range(3):
        def run(regions, seed=seed):
            kwargs = dict(prompt="two people talk on a harbour at dusk", negative_prompt="blurry",
                          num_inference_steps=2, guidance_scale=7.5, width=SIZE[0], height=SIZE[1],
                          generator=torch.Generator("cpu").manual_seed(seed), output_type="np")
            if not regions:
                return pipe(**kwargs).images[0]
            with RegionalPrompts(pipe, regions, "blurry", SIZE, cfg=True):
                return pipe(**kwargs).images[0]

        change = np.abs(run([Region(left, "medium shot; Mara, tall woman in a red coat")]) - run([])).mean(axis=2)
        inside.append(change[:, : SIZE[0] // 2].mean())
        outside.append(change[:, SIZE[0] // 2:].mean())
    assert np.mean(inside) > 1.3 * np.mean(outside) > 0
    # leaving the block restores the pipeline's own processors: the plain render is the same as before
    assert all(type(p).__name__ != "_RegionalProcessor" for p in pipe.unet.attn_processors.values())


def test_a_regional_layer_takes_each_region_prompt_exactly_inside_its_mask(engine, tiny_model):
    """At one cross-attention layer: tokens outside the mask get the whole prompt's output, inside the region's."""
    import torch

    pipe = engine.models.get(str(tiny_model)).pipe
    left = Image.new("L", SIZE, 0)
    left.paste(255, (0, 0, SIZE[0] // 2, SIZE[1]))
    name, attn = next((n, m) for n, m in pipe.unet.named_modules() if n.endswith("attn2"))
    own = attn.processor
    with RegionalPrompts(pipe, [Region(left, "Mara in red")], "blurry", SIZE, cfg=True) as block:
        positive, negative = block._texts[0]
        text = torch.cat([negative, torch.randn_like(positive)])
        grid = (SIZE[1] // 8 // 2, SIZE[0] // 8 // 2)  # this layer is one level down
        tokens = grid[0] * grid[1]
        hidden = torch.randn(2, tokens, attn.to_q.in_features)
        blended = attn(hidden, encoder_hidden_states=text)
    whole = own(attn, hidden, encoder_hidden_states=text)
    region = own(attn, hidden, encoder_hidden_states=torch.cat([negative, positive]))
    mask = torch.zeros(grid)
    mask[:, : grid[1] // 2] = 1
    mask = mask.reshape(1, tokens, 1).bool().expand_as(whole)
    assert torch.allclose(blended[~mask], whole[~mask]) and torch.allclose(blended[mask], region[mask])
    assert attn.processor is own


def test_a_regional_pass_never_runs_blind(engine, tiny_model, tiny_loras, tmp_path, monkeypatch):
    """Without a ControlNet and without regional prompts, no region is repainted: provenance says why."""
    from diffusers import AutoPipelineForInpainting

    project = two_characters(tiny_loras, tmp_path)
    events = []
    real_enter, real_from_pipe = RegionalPrompts.__enter__, AutoPipelineForInpainting.from_pipe.__func__

    def entering(self):
        events.append("regional prompts")
        return real_enter(self)

    def inpainting(cls, pipe, **kwargs):
        events.append("repaint")
        return real_from_pipe(cls, pipe, **kwargs)

    monkeypatch.setattr(RegionalPrompts, "__enter__", entering)
    monkeypatch.setattr(AutoPipelineForInpainting, "from_pipe", classmethod(inpainting))
    held = draw(engine, project, tiny_model, project_folder=str(tmp_path))
    assert events == ["regional prompts", "repaint", "repaint"]  # the composition is held before any repaint
    events.clear()
    monkeypatch.setattr(regional, "supported", lambda pipe: "the model has no UNet cross-attention to steer")
    blind = draw(engine, project, tiny_model, project_folder=str(tmp_path))
    assert events == []
    assert blind.provenance["regional"] == []
    assert blind.provenance["composition"] == ("none: regional pass skipped (the model has no UNet cross-attention "
                                               "to steer)")
    assert held.provenance["adapters"] == blind.provenance["adapters"] == {"char_mara": 1.0, "char_tom": 1.0}


def test_a_controlnet_of_another_family_is_refused_by_name(engine, tiny_sdxl, tiny_controlnet):
    project = project_with({"Mara": ""}, ["Mara"], shot="MS")
    with pytest.raises(ModelError, match=r"^the ControlNet .* was made for another model family \(text width 32; "
                                         r"this SDXL model's is 64\); for SDXL models use xinsir/"):
        draw(engine, project, tiny_sdxl, controlnet=str(tiny_controlnet))
    assert draw(engine, project, tiny_sdxl).image.size == SIZE  # and the engine keeps working


def test_sdxl_ip_adapter_reference_images_steer(engine, tiny_sdxl, tiny_sdxl_loras, tmp_path):
    from tests.fixtures.tiny_sdxl import save_ip_adapter_xl

    config = json.loads((tiny_sdxl / "unet" / "config.json").read_text())
    ip = save_ip_adapter_xl(tmp_path / "ip", config)
    Image.new("RGB", (48, 48), (220, 30, 30)).save(tmp_path / "red.png")
    Image.new("RGB", (48, 48), (30, 30, 220)).save(tmp_path / "blue.png")
    project = two_characters(tiny_sdxl_loras, tmp_path)
    project.characters[0].references = ["red.png"]
    project.characters[1].references = ["blue.png"]
    first = draw(engine, project, tiny_sdxl, project_folder=str(tmp_path), ip_adapter=str(ip), ip_scale=1.0)
    assert first.provenance["references"] == {"Mara": str((tmp_path / "red.png").resolve()),
                                              "Tom": str((tmp_path / "blue.png").resolve())}
    assert first.provenance["regional"] == ["Mara", "Tom"]  # IP-Adapter and regional prompts work together
    project.characters[0].references = ["blue.png"]
    second = draw(engine, project, tiny_sdxl, project_folder=str(tmp_path), ip_adapter=str(ip), ip_scale=1.0)
    assert not np.array_equal(pixels(first.image), pixels(second.image))


def test_single_file_sdxl_renders_like_its_folder(engine, tiny_sdxl, tmp_path):
    from diffusers import StableDiffusionXLPipeline

    from tests.fixtures.tiny_sdxl import save_single_file_xl

    checkpoint = save_single_file_xl(StableDiffusionXLPipeline.from_pretrained(str(tiny_sdxl)),
                                     tmp_path / "tiny-sdxl.safetensors")
    project = project_with({"Mara": ""}, ["Mara"], shot="MS")
    from_folder = draw(engine, project, tiny_sdxl)
    from_file = draw(engine, project, checkpoint, model_config=str(tiny_sdxl))
    assert type(engine.models.loaded.pipe).__name__ == "StableDiffusionXLPipeline"
    assert from_file.provenance["family"] == "sdxl"
    assert np.array_equal(pixels(from_folder.image), pixels(from_file.image))


def test_a_few_step_sdxl_turbo_style_render_keeps_every_pass(engine, tiny_sdxl, tiny_sdxl_loras, tmp_path):
    """Turbo/Lightning-style settings (1 step, no guidance): the regional prompts run without a negative half and
    each repaint still denoises (a low strength on one step would otherwise leave no step at all)."""
    project = two_characters(tiny_sdxl_loras, tmp_path)
    seen = []
    scene = project.scenes[0]
    result = engine.render(scene, blueprint(scene, project), project, SIZE,
                           {"model": str(tiny_sdxl), "steps": 1, "guidance": 0.0, "scheduler": "euler-a",
                            "project_folder": str(tmp_path)}, step=lambda done, total: seen.append((done, total)))
    assert result.provenance["composition"] == "regional prompts" and result.provenance["regional"] == ["Mara", "Tom"]
    assert result.provenance["scheduler"] == "EulerAncestralDiscreteScheduler"
    assert seen == [(1, 3), (2, 3), (3, 3)]  # one step in each of the three passes
    outside, inside = regions_of(project)
    plain = draw(engine, project_with({"Mara": "", "Tom": ""}, ["Mara", "Tom"]), tiny_sdxl, steps=1, guidance=0.0,
                 scheduler="euler-a")
    assert np.abs(pixels(result.image)[inside] - pixels(plain.image)[inside]).mean() > 1.0


@pytest.mark.parametrize("model", FAMILIES, indirect=True)
def test_every_option_at_once(engine, model, tmp_path):
    """ControlNet, IP-Adapter, two LoRA characters and the regional pass in one panel, on each family."""
    from tests.fixtures.tiny_sd import save_ip_adapter

    family, folder, loras, controlnet = model
    ip = save_ip_adapter(tmp_path / "ip", json.loads((folder / "unet" / "config.json").read_text()))
    Image.new("RGB", (48, 48), (220, 30, 30)).save(tmp_path / "red.png")
    project = two_characters(loras, tmp_path)
    project.characters[0].references = ["red.png"]
    result = draw(engine, project, folder, project_folder=str(tmp_path), controlnet=str(controlnet),
                  ip_adapter=str(ip), ip_scale=1.0)
    got = result.provenance
    assert (got["family"], got["composition"], got["regional"]) == (family, "controlnet", ["Mara", "Tom"])
    assert got["adapters"] == {"char_mara": 1.0, "char_tom": 1.0} and list(got["references"]) == ["Mara"]
    assert result.image.size == SIZE and np.asarray(result.image).std() > 0


def test_progress_rises_and_ends_full_when_a_repaint_runs_fewer_steps(engine, tiny_sdxl, tiny_sdxl_loras, tmp_path):
    """A repaint at strength 0.55 denoises only part of its steps: the bar still ends at its total."""
    project = two_characters(tiny_sdxl_loras, tmp_path)
    scene, seen = project.scenes[0], []
    engine.render(scene, blueprint(scene, project), project, SIZE,
                  {"model": str(tiny_sdxl), "steps": 2, "project_folder": str(tmp_path)},
                  step=lambda done, total: seen.append((done, total)))
    assert {total for _, total in seen} == {6} and seen[-1] == (6, 6)
    assert [done for done, _ in seen] == sorted({done for done, _ in seen})  # strictly rising


def test_sd2_names_the_ip_adapter_it_cannot_use(engine, tiny_sd2, tmp_path):
    project = project_with({"Mara": ""}, ["Mara"], shot="MS")
    with pytest.raises(RenderError, match=r"^the IP-Adapter cannot be used with SD 2\.x models: no IP-Adapter was "
                                          r"trained for SD 2\.x models\. Clear the IP-Adapter setting"):
        draw(engine, project, tiny_sd2, ip_adapter=str(tmp_path / "ip.safetensors"))
    assert draw(engine, project, tiny_sd2).provenance["family"] == "sd2"
