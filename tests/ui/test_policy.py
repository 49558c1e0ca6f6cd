"""Model boxes on a shared server: the host's list only, and one message that tells nothing about the disk."""

from __future__ import annotations

import pytest

from storyboard.errors import InputError
from storyboard.render.models import DEFAULT_MODEL
from storyboard.ui.policy import ModelPolicy, is_shared


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    for name in ("STORYBOARD_SHARED", "STORYBOARD_MODELS", "STORYBOARD_MODEL", "SPACE_ID"):
        monkeypatch.delenv(name, raising=False)


def test_which_servers_are_shared(monkeypatch):
    assert not is_shared("127.0.0.1") and not is_shared("localhost") and not is_shared(None)
    assert is_shared("0.0.0.0") and is_shared("127.0.0.1", share=True)
    monkeypatch.setenv("SPACE_ID", "someone/storyboard")
    assert is_shared("127.0.0.1")
    monkeypatch.setenv("STORYBOARD_SHARED", "0")
    assert not is_shared("0.0.0.0")
    monkeypatch.setenv("STORYBOARD_SHARED", "1")
    monkeypatch.delenv("SPACE_ID")
    assert is_shared("127.0.0.1")


def test_a_private_server_takes_any_model():
    policy = ModelPolicy.from_env(shared=False)
    assert policy.check(" /models/x.safetensors ") == "/models/x.safetensors"
    assert policy.offer() == ""


def test_a_shared_server_takes_only_the_hosts_list(monkeypatch, tmp_path):
    monkeypatch.setenv("STORYBOARD_MODELS", f"org/toon-model, {tmp_path}/house.safetensors")
    policy = ModelPolicy.from_env(shared=True)
    assert policy.check("") == "" and policy.check(DEFAULT_MODEL) == DEFAULT_MODEL
    assert policy.check("org/toon-model") == "org/toon-model"
    assert policy.check(f"{tmp_path}/house.safetensors", "model")
    existing = tmp_path / "secret.safetensors"
    existing.write_bytes(b"x")
    messages = set()
    for probe in (str(existing), str(tmp_path / "missing.safetensors"), str(tmp_path), "/etc/passwd",
                  "../../weights", "someone/else"):
        with pytest.raises(InputError) as err:
            policy.check(probe)
        messages.add(str(err.value))
    assert len(messages) == 1  # the same words whether the path exists or not
    assert messages.pop().startswith("this server offers only these models: " + DEFAULT_MODEL)
    with pytest.raises(InputError, match="offers only these ControlNets: org/toon-model"):
        policy.check("/srv/controlnet", "ControlNet")


def test_the_host_may_allow_any_hub_id_but_never_a_path(monkeypatch, tmp_path):
    monkeypatch.setenv("STORYBOARD_MODELS", "*")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "local").mkdir()
    (tmp_path / "local" / "folder").mkdir()
    policy = ModelPolicy.from_env(shared=True)
    assert policy.check("someone/toon-v2") == "someone/toon-v2"
    for path in ("/etc/passwd", "local/folder", "../x", "./x/y", "a/b/c", "x/model.safetensors", "~/x"):
        with pytest.raises(InputError, match="offers only"):
            policy.check(path)
    with pytest.raises(InputError, match="offers no IP-Adapter"):
        ModelPolicy(shared=True).check("/srv/ip.safetensors", "IP-Adapter")
