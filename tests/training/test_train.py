"""Training on the tiny pipeline: the loss falls, the file loads in plain diffusers, cancel and resume, import."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch
from PIL import Image

from storyboard import store
from storyboard.errors import Cancelled, InputError
from storyboard.progress import CancelToken
from storyboard.project import Character, Project, Scene
from storyboard.render.models import ModelManager
from storyboard.training.config import TrainConfig
from storyboard.training.lora import Callbacks, LoraTrainer
from storyboard.training.service import import_lora, train_character

CAPTION = "a photo of kiluvt person"


def fresh_pipe(model):
    from diffusers import StableDiffusionPipeline

    return StableDiffusionPipeline.from_pretrained(str(model))


def pictures(paths):
    return [Image.open(p).convert("RGB") for p in paths]


def config(**changes) -> TrainConfig:
    base = dict(steps=30, rank=4, resolution=64, learning_rate=1e-2, checkpoint_every=10, preview_every=0)
    return TrainConfig(**{**base, **changes})


def render(pipe, seed=0):
    return np.asarray(pipe(CAPTION, num_inference_steps=2, height=64, width=64,
                           generator=torch.Generator("cpu").manual_seed(seed)).images[0], dtype=np.int16)


def test_loss_goes_down_and_the_file_loads_in_plain_diffusers(tmp_path, tiny_model, toy_pictures):
    images, captions = pictures(toy_pictures), [CAPTION] * len(toy_pictures)
    trainer = LoraTrainer(fresh_pipe(tiny_model), config())
    trainer.prepare()
    before = trainer.validation_loss(images, captions)
    reports = []
    trainer.callbacks = Callbacks(progress=reports.append)
    result = trainer.train(images, captions, tmp_path / "mara" / "mara.safetensors", "fp")
    after = trainer.validation_loss(images, captions)
    assert after < before * 0.95, (before, after)
    assert [r.step for r in reports] == list(range(1, 31)) and reports[-1].eta_s == 0
    assert not (tmp_path / "mara" / "checkpoint").exists()  # finished: no checkpoint left behind

    plain = fresh_pipe(tiny_model)
    without = render(plain)
    plain.load_lora_weights(str(result.adapter.parent), weight_name=result.adapter.name)
    assert np.abs(render(plain) - without).mean() > 1.0


def test_cancel_leaves_no_adapter_and_training_resumes(tmp_path, tiny_model, toy_pictures):
    images, captions = pictures(toy_pictures), [CAPTION] * len(toy_pictures)
    out = tmp_path / "mara" / "mara.safetensors"
    token = CancelToken()

    def stop_at_12(report):
        if report.step == 12:
            token.cancel()

    with pytest.raises(Cancelled, match="step 12"):
        LoraTrainer(fresh_pipe(tiny_model), config(), Callbacks(progress=stop_at_12)).train(
            images, captions, out, "fp", cancel=token)
    assert not out.exists()
    state = json.loads((out.parent / "checkpoint" / "state.json").read_text())
    assert state["step"] == 12 and len(state["losses"]) == 12
    result = LoraTrainer(fresh_pipe(tiny_model), config()).train(images, captions, out, "fp")
    assert result.resumed_from == 12 and out.is_file() and len(result.losses) == 30
    other = LoraTrainer(fresh_pipe(tiny_model), config()).train(images, captions, tmp_path / "x.safetensors", "new")
    assert other.resumed_from == 0  # a checkpoint for other pictures is not used


@pytest.fixture()
def project_folder(tmp_path):
    project = Project(title="T", characters=[Character("Mara", "a young woman"), Character("Tom")])
    project.scenes = [Scene(number="1", characters=["Mara"], shot="MS", prompt="medium shot; Mara")]
    project.validate()
    store.save(project, tmp_path / "board")
    return tmp_path / "board"


def test_train_character_end_to_end(project_folder, tiny_model, toy_pictures):
    manager = ModelManager(device="cpu")
    done = train_character(project_folder, "mara", toy_pictures, models=manager, model=str(tiny_model), steps=20,
                           rank=4, resolution=64, kohya=True)
    project = store.load(project_folder)
    mara = project.character("Mara")
    assert mara.lora == "loras/mara/mara.safetensors" and (project_folder / mara.lora).is_file()
    assert mara.trigger == done.prepared.trigger and len(mara.references) == 4
    assert all((project_folder / r).is_file() for r in mara.references)
    meta = json.loads(done.metadata.read_text())
    for key in ("base_model", "trigger", "class", "rank", "steps", "learning_rate", "image_sha256", "date"):
        assert key in meta
    assert meta["class"] == "woman" and meta["rank"] == 4 and len(meta["image_sha256"]) == 4
    from safetensors import safe_open

    with safe_open(str(done.kohya), framework="pt") as handle:
        assert all(k.startswith("lora_unet_") for k in handle.keys())  # noqa: SIM118 - safe_open is not iterable
    # the renderer picks the adapter up from the project
    from storyboard.render import render_scenes

    render_scenes(project, project_folder, backend="diffusion", settings={"model": str(tiny_model), "steps": 2},
                  long_side=64)
    assert project.scenes[0].panel.settings["adapters"] == {"char_mara": 1.0}


def test_train_refuses_unknown_characters_and_too_few_pictures(project_folder, tiny_model, toy_pictures):
    manager = ModelManager(device="cpu")
    with pytest.raises(InputError, match="no character called 'Zed'"):
        train_character(project_folder, "Zed", toy_pictures, models=manager, model=str(tiny_model), steps=2)
    with pytest.raises(InputError, match="at least 3"):
        train_character(project_folder, "Mara", toy_pictures[:2], models=manager, model=str(tiny_model), steps=2)


def test_import_lora_only_from_safetensors(project_folder, tmp_path, tiny_model):
    from safetensors.torch import save_file

    from tests.fixtures.tiny_sd import save_lora

    ckpt = tmp_path / "mara.ckpt"
    ckpt.write_bytes(b"\x80\x04 pickle that must never be opened")
    with pytest.raises(InputError, match="never loaded"):
        import_lora(project_folder, "Mara", ckpt)
    not_lora = tmp_path / "model.safetensors"
    save_file({"conv.weight": torch.zeros(2, 2)}, str(not_lora))
    with pytest.raises(InputError, match="no LoRA weights"):
        import_lora(project_folder, "Mara", not_lora)
    garbage = tmp_path / "garbage.safetensors"
    garbage.write_bytes(b"\xff" * 64)
    with pytest.raises(InputError, match="not a readable"):
        import_lora(project_folder, "Mara", garbage)
    good = save_lora(fresh_pipe(tiny_model), tmp_path / "From Civitai.safetensors", seed=3)
    target = import_lora(project_folder, "Mara", good)
    assert store.load(project_folder).character("Mara").lora == "loras/mara/from-civitai.safetensors"
    assert target.read_bytes() == good.read_bytes()


def test_cli_train(project_folder, tiny_model, toy_pictures, capsys):
    from storyboard.cli import main

    assert main(["train", str(project_folder), "--character", "Tom", "--images", *map(str, toy_pictures),
                 "--model", str(tiny_model), "--steps", "5", "--rank", "4", "--resolution", "64"]) == 0
    assert "loras/tom/tom.safetensors" in capsys.readouterr().out
    assert main(["train", str(project_folder), "--character", "Nobody", "--images", *map(str, toy_pictures),
                 "--model", str(tiny_model), "--steps", "5"]) == 2


def test_without_the_cache_the_same_training_gives_the_same_adapter(tmp_path, tiny_model, toy_pictures):
    from safetensors.torch import load_file

    images, captions = pictures(toy_pictures), [CAPTION] * len(toy_pictures)
    cached = LoraTrainer(fresh_pipe(tiny_model), config(steps=5)).train(images, captions, tmp_path / "a.safetensors",
                                                                        "fp")
    uncached = LoraTrainer(fresh_pipe(tiny_model), config(steps=5, cache=False)).train(
        images, captions, tmp_path / "b.safetensors", "fp")
    a, b = load_file(str(cached.adapter)), load_file(str(uncached.adapter))
    assert a.keys() == b.keys()
    assert all(torch.allclose(a[k], b[k], atol=1e-5) for k in a)


def test_zero_gpu_spaces_refuse_jobs_longer_than_a_call(monkeypatch):
    from storyboard.training.service import check_hardware

    check_hardware(500, "cuda", "sd15")  # no Space: anything goes
    monkeypatch.setenv("SPACES_ZERO_GPU", "true")
    check_hardware(100, "cuda", "sd15")  # 25 s fits
    with pytest.raises(InputError, match="longer than this Space's 120 s GPU limit"):
        check_hardware(2000, "cuda", "sdxl")


@pytest.fixture(scope="session")
def tiny_sdxl(tmp_path_factory):
    from tests.fixtures.tiny_sd import save_sdxl_pipeline

    return save_sdxl_pipeline(tmp_path_factory.mktemp("models") / "tiny-sdxl")


def test_sdxl_training_uses_both_encoders_and_loads_in_plain_diffusers(tmp_path, tiny_sdxl, toy_pictures):
    from diffusers import StableDiffusionXLPipeline

    images, captions = pictures(toy_pictures), [CAPTION] * len(toy_pictures)
    trainer = LoraTrainer(StableDiffusionXLPipeline.from_pretrained(str(tiny_sdxl)), config(steps=20))
    assert trainer.family == "sdxl"
    from storyboard.training.lora import TrainingError

    with pytest.raises(TrainingError, match="text-encoder training is for SD 1.5/2"):
        LoraTrainer(trainer.pipe, config(train_text_encoder=True))
    trainer.prepare()
    before = trainer.validation_loss(images, captions)
    result = trainer.train(images, captions, tmp_path / "xl.safetensors", "fp")
    assert trainer.validation_loss(images, captions) < before
    plain = StableDiffusionXLPipeline.from_pretrained(str(tiny_sdxl))
    without = render(plain)
    plain.load_lora_weights(str(result.adapter.parent), weight_name=result.adapter.name)
    assert np.abs(render(plain) - without).mean() > 1.0


def test_text_encoder_lora_is_trained_and_saved(tmp_path, tiny_model, toy_pictures):
    from safetensors import safe_open

    images, captions = pictures(toy_pictures), [CAPTION] * len(toy_pictures)
    out = tmp_path / "te.safetensors"
    LoraTrainer(fresh_pipe(tiny_model), config(steps=10, train_text_encoder=True)).train(images, captions, out, "fp")
    with safe_open(str(out), framework="pt") as handle:
        keys = list(handle.keys())
    assert any(k.startswith("text_encoder.") for k in keys) and any(k.startswith("unet.") for k in keys)
    plain = fresh_pipe(tiny_model)
    without = render(plain)
    plain.load_lora_weights(str(out.parent), weight_name=out.name)
    assert np.abs(render(plain) - without).mean() > 1.0


def test_text_encoder_lora_refused_in_one_line_when_transformers_wants_a_newer_peft(
        project_folder, tiny_model, toy_pictures, monkeypatch, capsys):
    """transformers 5.24 asks for peft>=0.22 (not released): say so before training, no traceback, project kept."""
    import transformers.integrations.peft as hf_peft

    from storyboard.cli import main
    from storyboard.versions import installed

    monkeypatch.setattr(hf_peft, "MIN_PEFT_VERSION", "99.0.0")  # what a newer transformers release declares
    before = (project_folder / "project.json").read_bytes()
    assert main(["train", str(project_folder), "--character", "Tom", "--images", *map(str, toy_pictures),
                 "--model", str(tiny_model), "--steps", "5", "--resolution", "64", "--text-encoder"]) == 2
    err = capsys.readouterr().err
    assert err == (f"storyboard: error: a LoRA on the text encoder with transformers {installed('transformers')} needs "
                   f"peft>=99.0.0 (this machine has {installed('peft')}): pip install -r requirements.txt\n")
    assert (project_folder / "project.json").read_bytes() == before
    assert not (project_folder / "loras" / "tom" / "tom.safetensors").exists()


def test_training_on_a_pipeline_whose_loras_a_render_switched_off(tmp_path, tiny_model, toy_pictures):
    """The studio shares one pipeline: after a panel without LoRAs (disable_lora), training must still learn."""
    from tests.fixtures.tiny_sd import save_lora

    pipe = fresh_pipe(tiny_model)
    lora = save_lora(fresh_pipe(tiny_model), tmp_path / "mara.safetensors", seed=2)
    pipe.load_lora_weights(str(lora.parent), weight_name=lora.name, adapter_name="char_mara")
    pipe.disable_lora()
    out = tmp_path / "tom.safetensors"
    result = LoraTrainer(pipe, config(steps=4)).train(
        pictures(toy_pictures), [CAPTION] * len(toy_pictures), out, "fp")
    assert out.is_file() and len(result.losses) == 4


def test_prior_preservation_renders_class_images_and_trains_on_both(tmp_path, tiny_model, toy_pictures, monkeypatch):
    images, captions = pictures(toy_pictures), [CAPTION] * len(toy_pictures)
    trainer = LoraTrainer(fresh_pipe(tiny_model), config(steps=5, prior_preservation=True, class_images=2))
    rendered = []
    real_sample = trainer.sample
    monkeypatch.setattr(trainer, "sample", lambda prompt, seed=0, steps=20: rendered.append(prompt) or
                        real_sample(prompt, seed, 2))
    result = trainer.train(images, captions, tmp_path / "p.safetensors", "fp", class_prompt="a photo of a person")
    assert rendered == ["a photo of a person"] * 2  # class images from the base model
    assert result.adapter.is_file() and len(result.losses) == 5
