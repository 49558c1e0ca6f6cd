"""Slugs and names: different characters never share a folder or an adapter; one name is one name."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st
from safetensors.torch import save_file

from storyboard import store
from storyboard.project import Character, Project, Scene
from storyboard.slug import adapter_name, name_key, slugify, unique_slug
from storyboard.training.service import import_lora

ZOE_ONE = "Zo\u00eb"  # ë as one code point
ZOE_TWO = "Zoe\u0308"  # e + combining diaeresis


def test_one_name_in_two_spellings_is_one_name():
    assert ZOE_ONE != ZOE_TWO and name_key(ZOE_ONE) == name_key(ZOE_TWO) == name_key(" ZOË ")
    project = Project(characters=[Character(ZOE_ONE), Character("Zoe")])
    assert project.character(ZOE_TWO) is project.characters[0]
    assert project.character("zoe") is project.characters[1]
    assert project.tone(ZOE_TWO) == project.tone(ZOE_ONE) != project.tone("Zoe")


def test_colliding_names_get_different_slugs_and_the_first_keeps_the_plain_one():
    names = ["Zoe", ZOE_ONE, "ZOE!", "Max", "CON"]
    slugs = {name: unique_slug(name, names) for name in names}
    assert slugs["Zoe"] == "zoe" and slugs["Max"] == "max"
    assert slugs[ZOE_ONE].startswith("zoe-") and slugs["ZOE!"].startswith("zoe-")
    assert len(set(slugs.values())) == len(names)
    assert unique_slug(ZOE_TWO, names) == slugs[ZOE_ONE]  # the same name, however it is typed
    adapters = {adapter_name(name, names) for name in names}
    assert len(adapters) == len(names) and all("-" not in a and "." not in a for a in adapters)
    assert adapter_name("Max", names) == "char_max"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=12), min_size=1, max_size=8))
def test_different_names_never_share_a_slug(names):
    keys = {name_key(n) for n in names}
    slugs = {name_key(n): unique_slug(n, names) for n in names}
    assert len(set(slugs.values())) == len(keys)
    for slug in slugs.values():
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug) and len(slug) <= 40 and slug == slugify(slug)


def _lora(path, value: float):
    import torch

    save_file({"lora_unet_down.lora_down.weight": torch.full((2, 2), value)}, str(path))
    return path


def test_importing_zoes_lora_never_replaces_zoes(tmp_path):
    """The audit: importing Zoë's weights replaced Zoe's (both went to loras/zoe/)."""
    folder = tmp_path / "board"
    store.save(Project(characters=[Character("Zoe"), Character(unicodedata.normalize("NFD", ZOE_ONE))],
                       scenes=[Scene(number="1", characters=["Zoe"])]), folder)
    zoe = import_lora(folder, "Zoe", _lora(tmp_path / "face.safetensors", 1.0))
    zoe_bytes = zoe.read_bytes()
    zoe_umlaut = import_lora(folder, ZOE_ONE, _lora(tmp_path / "face.safetensors", 2.0))  # same file name
    assert zoe != zoe_umlaut and zoe.read_bytes() == zoe_bytes
    project = store.load(folder)
    assert project.character("Zoe").lora == "loras/zoe/face.safetensors"
    assert project.character(ZOE_TWO).lora.startswith("loras/zoe-") and (folder / project.characters[1].lora).is_file()
