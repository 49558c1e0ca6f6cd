"""A project's LoRA files and reference images are read only from inside the project (tiny real pipelines)."""

from __future__ import annotations

import json
import shutil

import pytest
from PIL import Image

from storyboard.errors import RenderError
from storyboard.project import Character, Project, Scene
from storyboard.render import render_scenes
from storyboard.render.models import ModelError, ModelManager
from tests.fixtures.tree import outside_tree, snapshot


def _project(lora: str = "", references: list[str] | None = None) -> Project:
    project = Project(title="T", aspect_ratio="1:1",
                      characters=[Character("Mara", lora=lora, references=references or [])])
    project.scenes = [Scene(number="1", id="s0001", shot="MS", characters=["Mara"], action="Mara waits.")]
    project.validate()
    return project


def _render(project, folder, model, **settings):
    return render_scenes(project, folder, backend="diffusion", long_side=64, force=True,
                         settings={"model": str(model), "steps": 1, **settings})


def test_a_lora_outside_the_project_is_refused_in_one_line(tmp_path, tiny_model, tiny_loras):
    folder, sibling = outside_tree(tmp_path)
    outside = shutil.copy(tiny_loras["Mara"], sibling / "mara.safetensors")
    (folder / "loras").mkdir()
    (folder / "loras" / "link.safetensors").symlink_to(outside)
    before = snapshot(sibling)
    for ref in (str(outside), "../outside/mara.safetensors", "loras/link.safetensors"):
        with pytest.raises(RenderError, match="Mara's LoRA .* is not inside the project folder") as err:
            _render(_project(lora=ref), folder, tiny_model)
        assert "\n" not in str(err.value)
    assert snapshot(sibling) == before
    with pytest.raises(RenderError, match="was not found; import it again"):
        _render(_project(lora="loras/missing.safetensors"), folder, tiny_model)
    inside = shutil.copy(tiny_loras["Mara"], folder / "loras" / "mara.safetensors")
    project = _project(lora="loras/mara.safetensors")
    assert _render(project, folder, tiny_model) == ["1"]
    assert len(project.scenes[0].panel.settings["adapters"]) == 1 and inside.is_file()


def test_the_model_manager_loads_a_lora_only_from_the_given_folders(tmp_path, tiny_model, tiny_loras):
    folder, sibling = outside_tree(tmp_path)
    manager = ModelManager(device="cpu")
    manager.get(str(tiny_model))
    with pytest.raises(ModelError, match="is not inside the project folder"):
        manager.ensure_adapter("mara", tiny_loras["Mara"], roots=[folder])
    assert manager.loaded.adapters == {}
    inside = shutil.copy(tiny_loras["Mara"], folder / "mara.safetensors")
    manager.ensure_adapter("mara", inside, roots=[folder])
    assert manager.loaded.adapters == {"mara": str(inside.resolve())}
    (tmp_path / "link").symlink_to(folder)
    manager.forget_adapter_file(tmp_path / "link" / "mara.safetensors")  # retrained: found by the resolved file
    assert manager.loaded.adapters == {}


def test_reference_images_outside_the_project_are_skipped(tmp_path, tiny_model):
    from tests.fixtures.tiny_sd import save_ip_adapter

    folder, sibling = outside_tree(tmp_path)
    config = json.loads((tiny_model / "unet" / "config.json").read_text())
    ip = save_ip_adapter(tmp_path / "ip", config)
    Image.new("RGB", (48, 48), (220, 30, 30)).save(sibling / "red.png")
    (folder / "refs").mkdir()
    (folder / "refs" / "link.png").symlink_to(sibling / "red.png")
    before = snapshot(sibling)
    project = _project(references=[str(sibling / "red.png"), "../outside/red.png", "refs/link.png"])
    _render(project, folder, tiny_model, ip_adapter=str(ip), ip_scale=1.0)
    assert project.scenes[0].panel.settings["references"] == {}
    assert project.scenes[0].panel.settings["ip_scale"] == 0.0
    Image.new("RGB", (48, 48), (30, 30, 220)).save(folder / "refs" / "blue.png")
    project.characters[0].references.append("refs/blue.png")
    _render(project, folder, tiny_model, ip_adapter=str(ip), ip_scale=1.0)
    assert project.scenes[0].panel.settings["references"] == {"Mara": str((folder / "refs" / "blue.png").resolve())}
    assert snapshot(sibling) == before
    _render(project, folder, tiny_model)  # the IP-Adapter is switched off again: the next render works without it
    assert project.scenes[0].panel.settings["ip_adapter"] == ""
