"""The diffusion engine on tiny real pipelines: seeds, adapters, regions, ControlNet, errors, provenance."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from storyboard.errors import Cancelled, RenderError
from storyboard.layout import blueprint
from storyboard.progress import CancelToken
from storyboard.project import Character, Project, Scene
from storyboard.render import render_scenes
from storyboard.render.diffusion import DiffusionRenderer, fit_prompt
from storyboard.render.models import ModelError, ModelManager, ModelSource

SIZE = (64, 64)


@pytest.fixture()
def engine():
    return DiffusionRenderer(ModelManager(device="cpu"))


def project_with(characters: dict[str, str], scene_chars: list[str], shot="two-shot", seed=7) -> Project:
    project = Project(title="T", aspect_ratio="1:1",
                      characters=[Character(name, lora=str(path) if path else "") for name, path in characters.items()])
    scene = Scene(number="1", id="s0001", shot=shot, characters=scene_chars, seed=seed, action="They talk.",
                  prompt="two-shot; Mara and Tom talk; harbour at dusk")
    project.scenes = [scene]
    project.validate()
    return project


def draw(engine, project, model, **settings):
    """One panel; the project folder is where its LoRA files are (a project's LoRAs live inside it)."""
    scene = project.scenes[0]
    loras = [Path(c.lora) for c in project.characters if c.lora]
    settings.setdefault("project_folder", str(loras[0].parent) if loras else None)
    result = engine.render(scene, blueprint(scene, project), project, SIZE, {"model": str(model), "steps": 2,
                                                                           **settings})
    return result


def pixels(image) -> np.ndarray:
    return np.asarray(image, dtype=np.int16)


def test_same_seed_same_pixels_new_seed_new_pixels(engine, tiny_model):
    project = project_with({"Mara": ""}, ["Mara"], shot="MS")
    first, again = draw(engine, project, tiny_model).image, draw(engine, project, tiny_model).image
    assert np.array_equal(pixels(first), pixels(again))
    project.scenes[0].seed = 8
    assert not np.array_equal(pixels(first), pixels(draw(engine, project, tiny_model).image))


def test_adapters_switch_per_scene_and_switching_back_restores(engine, tiny_model, tiny_loras):
    base = project_with({"Mara": ""}, ["Mara"], shot="MS")
    with_lora = project_with({"Mara": tiny_loras["Mara"]}, ["Mara"], shot="MS")
    plain = draw(engine, base, tiny_model).image
    styled = draw(engine, with_lora, tiny_model)
    assert np.abs(pixels(plain) - pixels(styled.image)).mean() > 1.0
    assert styled.provenance["adapters"] == {"char_mara": 1.0}
    back = draw(engine, base, tiny_model).image  # the adapter stays loaded but is switched off
    assert np.array_equal(pixels(plain), pixels(back))
    pipe = engine.models.loaded.pipe
    for _ in range(3):
        draw(engine, with_lora, tiny_model)
    assert pipe.get_list_adapters()["unet"] == ["char_mara"]  # loaded once, never reloaded per panel


def test_controlnet_steers_by_the_blueprint(engine, tiny_model, tiny_controlnet):
    project = project_with({"Mara": ""}, ["Mara"], shot="MS")
    plain = draw(engine, project, tiny_model).image
    guided = draw(engine, project, tiny_model, controlnet=str(tiny_controlnet), control_scale=1.0)
    assert guided.provenance["controlnet"] == str(tiny_controlnet)
    assert not np.array_equal(pixels(plain), pixels(guided.image))
    again = draw(engine, project, tiny_model, controlnet=str(tiny_controlnet), control_scale=1.0)
    assert np.array_equal(pixels(guided.image), pixels(again.image))


def test_cancel_stops_within_one_step(engine, tiny_model):
    project = project_with({"Mara": ""}, ["Mara"], shot="MS")
    scene, token, seen = project.scenes[0], CancelToken(), []

    def step(done, total):
        seen.append(done)
        token.cancel()

    with pytest.raises(Cancelled):
        engine.render(scene, blueprint(scene, project), project, SIZE, {"model": str(tiny_model), "steps": 20},
                      step, token)
    assert len(seen) == 1


def test_render_stage_records_provenance_in_project_and_png(tmp_path, tiny_model):
    project = project_with({"Mara": ""}, ["Mara"], shot="MS")
    render_scenes(project, tmp_path, backend="diffusion", settings={"model": str(tiny_model), "steps": 2},
                  long_side=64)
    panel = project.scenes[0].panel
    assert panel.backend == "diffusion"
    for key in ("model", "revision", "scheduler", "steps", "guidance", "width", "height", "seed", "adapters",
                "prompt", "negative_prompt"):
        assert key in panel.settings
    meta = json.loads(Image.open(tmp_path / panel.path).text["storyboard"])
    assert meta["settings"]["seed"] == project.scenes[0].seed and meta["settings"]["steps"] == 2
    assert render_scenes(project, tmp_path, backend="diffusion", settings={"model": str(tiny_model), "steps": 2},
                         long_side=64) == []  # same settings: up to date


def test_a_failed_switch_keeps_the_old_model(tmp_path, tiny_model):
    manager = ModelManager(device="cpu")
    loaded = manager.get(str(tiny_model))
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "model_index.json").write_text('{"_class_name": "StableDiffusionPipeline"}')
    with pytest.raises(ModelError):
        manager.get(str(broken))
    assert manager.loaded is loaded
    assert manager.get(str(tiny_model)) is loaded  # still loaded, not reloaded


@pytest.mark.parametrize(
    "ref, message",
    [
        ("/no/such/folder", "model folder not found"),
        ("./relative/missing", "model folder not found"),
        ("weights.ckpt", "only .safetensors"),
        ("missing.safetensors", "model file not found"),
        ("not a model id", "neither a model folder"),
    ],
)
def test_bad_model_references_are_named(ref, message):
    with pytest.raises(ModelError, match=message):
        ModelSource.parse(ref)


def test_folder_without_model_index_is_refused(tmp_path):
    with pytest.raises(ModelError, match="no model_index.json"):
        ModelSource.parse(str(tmp_path))


def test_offline_uncached_hub_model_says_what_to_do_and_sketch_still_works(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    project = project_with({"Mara": ""}, ["Mara"], shot="MS")
    with pytest.raises(RenderError, match="huggingface-cli download someone/missing-model") as refused:
        render_scenes(project, tmp_path / "b", backend="diffusion", settings={"model": "someone/missing-model"})
    assert "local_files_only" not in str(refused.value)  # the library's advice is not the studio's
    assert render_scenes(project, tmp_path / "b", backend="sketch") == ["1"]


def test_lora_files_must_be_safetensors(engine, tiny_model, tmp_path):
    pickle_lora = tmp_path / "mara.ckpt"
    pickle_lora.write_bytes(b"not loaded")
    project = project_with({"Mara": str(pickle_lora)}, ["Mara"], shot="MS")
    with pytest.raises(RenderError, match="only as .safetensors"):
        draw(engine, project, tiny_model)


def test_prompt_is_fitted_to_clip_with_the_first_clauses_kept(tiny_model):
    from transformers import CLIPTokenizer

    tokenizer = CLIPTokenizer.from_pretrained(str(tiny_model / "tokenizer"))
    text = "close-up; Mara; " + "; ".join(f"detail number {i}" for i in range(40))
    fitted = fit_prompt(text, tokenizer)
    assert fitted.startswith("close-up; Mara; detail number 0")
    assert len(tokenizer(fitted).input_ids) <= 77
    assert fit_prompt("short; prompt", tokenizer) == "short; prompt"


def test_doctor_reports(tiny_model, capsys):
    from storyboard.cli import main

    assert main(["doctor", "--model", str(tiny_model)]) == 0
    out = capsys.readouterr().out
    assert "device: CPU" in out and "torch:" in out and "diffusers:" in out
    assert f"model: {tiny_model} (a local folder)" in out
    assert "renderer 'auto' will use: sketch" in out  # no GPU here


def test_cli_make_with_the_diffusion_backend(tmp_path, tiny_model):
    from pypdf import PdfReader

    from storyboard import store
    from storyboard.cli import main

    story = tmp_path / "story.txt"
    story.write_text("Mara waits at the station. Tom arrives. Mara smiles.", encoding="utf-8")
    board = tmp_path / "board"
    assert main(["make", str(story), "--out", str(board), "--backend", "diffusion", "--model", str(tiny_model),
                 "--steps", "2", "--size", "64", "--scheduler", "euler"]) == 0
    project = store.load(board)
    assert all(s.panel.backend == "diffusion" and s.panel.settings["scheduler"] == "EulerDiscreteScheduler"
               for s in project.scenes)
    assert len(PdfReader(board / "story-storyboard.pdf").pages) == 1  # named from the title, "Story"
    assert main(["render", str(board), "--backend", "diffusion", "--model", str(tiny_model), "--steps", "500"]) == 2


def test_studio_render_tab_settings_drive_the_engine(tmp_path, monkeypatch, tiny_model, nlp):
    from storyboard.ui import handlers, session
    from storyboard.ui.tabs import settings_of

    monkeypatch.setenv("STORYBOARD_SESSIONS", str(tmp_path / "sessions"))
    folder = session.new_session()
    handlers.plan(folder, "Mara waits at the station. Tom arrives. Mara smiles.", "", "", "16:9")
    assert settings_of("sketch", "", 30, 7.5, "default", 768, "") == ("sketch", {}, None)
    backend, settings, size = settings_of("diffusion", str(tiny_model), 2, 5.0, "ddim", 64, "")
    view, drawn = handlers.render(folder, backend, settings=settings, long_side=size)
    assert len(drawn) == len(view.gallery) == 3
    project = session.load(session.check(folder))
    assert {s.panel.settings["guidance"] for s in project.scenes} == {5.0}


def test_single_file_checkpoint_loads_and_renders_like_the_folder(tmp_path, tiny_model, engine):
    import torch
    from diffusers import StableDiffusionPipeline

    from tests.fixtures.ldm_checkpoint import save_single_file

    folder_pipe = StableDiffusionPipeline.from_pretrained(str(tiny_model))
    checkpoint = save_single_file(folder_pipe, tmp_path / "tiny-sd.safetensors")
    manager = ModelManager(device="cpu")
    loaded = manager.get(str(checkpoint), config=str(tiny_model))
    assert loaded.source.kind == "file"
    for part in ("unet", "vae", "text_encoder"):
        ours, theirs = getattr(loaded.pipe, part).state_dict(), getattr(folder_pipe, part).state_dict()
        assert ours.keys() == theirs.keys()
        assert all(torch.equal(ours[k], theirs[k].reshape(ours[k].shape)) for k in ours)
    project = project_with({"Mara": ""}, ["Mara"], shot="MS")
    from_folder = draw(engine, project, tiny_model).image
    from_file = draw(engine, project, checkpoint, model_config=str(tiny_model)).image
    assert np.array_equal(pixels(from_folder), pixels(from_file))


def test_out_of_memory_gives_the_fix_and_the_engine_keeps_working(engine, tiny_model, monkeypatch):
    import torch

    project = project_with({"Mara": ""}, ["Mara"], shot="MS")
    draw(engine, project, tiny_model)  # loaded
    pipe_class = type(engine.models.loaded.pipe)
    real_call = pipe_class.__call__

    def out_of_memory(self, *args, **kwargs):
        raise torch.cuda.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")

    monkeypatch.setattr(pipe_class, "__call__", out_of_memory)
    with pytest.raises(RenderError, match=r"^out of GPU memory at 64×64 \(cpu float32, ~[0-9.]+ GB\): set offload to "
                                          r"model \(--offload model, Render tab › Diffusion settings › Offload\)$"):
        draw(engine, project, tiny_model)
    monkeypatch.setattr(pipe_class, "__call__", real_call)
    assert draw(engine, project, tiny_model).image.size == SIZE


def test_ip_adapter_reference_images_steer_and_loras_stay_active(tmp_path, tiny_model, tiny_loras, engine):
    import json as _json

    from tests.fixtures.tiny_sd import save_ip_adapter

    config = _json.loads((tiny_model / "unet" / "config.json").read_text())
    ip = save_ip_adapter(tmp_path / "ip", config)
    red, blue = tmp_path / "red.png", tmp_path / "blue.png"
    Image.new("RGB", (48, 48), (220, 30, 30)).save(red)
    Image.new("RGB", (48, 48), (30, 30, 220)).save(blue)
    lora = shutil.copy(tiny_loras["Mara"], tmp_path / "mara.safetensors")  # the project holds its files
    project = project_with({"Mara": lora}, ["Mara"], shot="MS")
    project.characters[0].references = ["red.png"]
    with_red = draw(engine, project, tiny_model, ip_adapter=str(ip), ip_scale=1.0)
    assert with_red.provenance["references"] == {"Mara": str(red.resolve())} and with_red.provenance["ip_scale"] == 1.0
    project.characters[0].references = [str(blue)]
    with_blue = draw(engine, project, tiny_model, ip_adapter=str(ip), ip_scale=1.0)
    assert not np.array_equal(pixels(with_red.image), pixels(with_blue.image))
    # loading the IP-Adapter reset the active LoRAs; the engine set them again: the LoRA still changes the panel
    project.characters[0].lora = ""
    without_lora = draw(engine, project, tiny_model, ip_adapter=str(ip), ip_scale=1.0, project_folder=str(tmp_path))
    assert np.abs(pixels(without_lora.image) - pixels(with_blue.image)).mean() > 1.0


def test_vae_tiling_uses_tiles_small_enough_to_help_sdxl_sized_vaes():
    """diffusers tiles a VAE only above its own sample size (1024 for SDXL/FLUX): the loader sets 512-px tiles."""
    from types import SimpleNamespace

    from diffusers import AutoencoderKL

    from storyboard.render.device import DevicePlan
    from storyboard.render.models import _place

    vae = AutoencoderKL(block_out_channels=[4, 8, 8, 8], down_block_types=["DownEncoderBlock2D"] * 4,
                        up_block_types=["UpDecoderBlock2D"] * 4, latent_channels=4, norm_num_groups=2,
                        sample_size=1024)
    pipe = SimpleNamespace(vae=vae, to=lambda device: None)
    _place(pipe, DevicePlan("cpu", "float32", vae_tiling=True, vae_slicing=True))
    assert vae.use_tiling and vae.use_slicing
    assert (vae.tile_sample_min_size, vae.tile_latent_min_size) == (512, 64)
    _place(pipe, DevicePlan("cpu", "float32"))  # a new plan without tiling turns it off again
    assert not vae.use_tiling and not vae.use_slicing


def test_a_cpu_render_in_bfloat16_halves_the_weights(tiny_model):
    import torch

    engine = DiffusionRenderer(ModelManager(device="cpu", dtype="bfloat16"))
    result = draw(engine, project_with({"Mara": ""}, ["Mara"], shot="MS"), tiny_model)
    assert engine.models.loaded.pipe.unet.dtype == torch.bfloat16
    assert result.provenance["device"].startswith("cpu bfloat16") and result.image.size == SIZE
