"""The Render tab's plan: what the renderer will do with the chosen model, told from configs before rendering."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from storyboard.render.device import Facts
from storyboard.ui import render_plan
from storyboard.ui.policy import ModelPolicy
from storyboard.ui.render_plan import controlnet_family, describe

ROOT = Path(__file__).resolve().parents[2]
CPU = Facts(device_name="CPU")
GPU_8 = Facts(cuda=True, vram_gb=8, device_name="RTX")


@pytest.fixture(autouse=True)
def no_default_model(monkeypatch):
    monkeypatch.delenv("STORYBOARD_MODEL", raising=False)


@pytest.fixture(scope="module")
def models(tmp_path_factory) -> dict[str, Path]:
    """Tiny real SD 1.5 and SDXL folders, an SD 1.5-style ControlNet (text width 32, like the tiny SD 1.5 UNet),
    hand-written ControlNet configs of the real widths, and a FLUX folder's index."""
    pytest.importorskip("diffusers")
    from tests.fixtures import tiny_sd, tiny_sdxl

    root = tmp_path_factory.mktemp("plan-models")
    found = {"sd15": tiny_sd.save_pipeline(root / "tiny-sd"),
             "sdxl": tiny_sdxl.save_sdxl_pipeline_distinct(root / "tiny-sdxl"),
             "cn_tiny": tiny_sd.save_controlnet(root / "cn-tiny"),
             "cn_tiny_xl": tiny_sdxl.save_controlnet_xl(root / "cn-tiny-xl")}
    for name, width in (("cn_sd15", 768), ("cn_sd2", 1024), ("cn_sdxl", 2048)):
        found[name] = write_json(root / name / "config.json",
                                 {"_class_name": "ControlNetModel", "cross_attention_dim": width}).parent
    found["flux"] = write_json(root / "flux" / "model_index.json", {"_class_name": "FluxPipeline"}).parent
    return found


def write_json(path: Path, data: dict) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def warnings(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("⚠")]


def test_an_sdxl_folder_gets_its_family_native_size_controlnet_and_memory_plan(models):
    text = describe(str(models["sdxl"]), "", "", 1024, 7.5, "auto", facts=CPU)
    assert "SDXL model" in text and "xinsir/controlnet-scribble-sdxl-1.0" in text
    assert "1024 px, the native size of SDXL models" in text
    assert "**Memory plan** for SDXL 1024×1024" in text
    items = [line for line in text.splitlines() if line.startswith("- ")]
    assert items[0].startswith("- **this machine (CPU)**: cpu float32")  # this machine first, then the cards
    assert [item.split(":")[0] for item in items[1:]] == ["- 8 GB card", "- 12 GB card", "- 16 GB card",
                                                          "- 24 GB card"]
    assert not warnings(text)


def test_a_panel_size_other_than_the_native_one_is_said(models):
    text = describe(str(models["sdxl"]), "", "", 768, 7.5, "auto", facts=CPU)
    assert "the Panel long side is 768 px; SDXL models draw best at their native 1024 px" in text
    assert "for SDXL 768×768" in text
    sd15 = describe(str(models["sd15"]), "", "", 512, 7.5, "auto", facts=CPU)
    assert "SD 1.5 model" in sd15 and "512 px, the native size of SD 1.5 models" in sd15
    assert "lllyasviel/control_v11p_sd15_scribble" in sd15


def test_an_empty_model_box_plans_the_default(models, monkeypatch):
    text = describe("", "", "", 768, 7.5, "auto", facts=CPU)
    assert "the default, `stable-diffusion-v1-5/stable-diffusion-v1-5`: SD 1.5 model" in text
    monkeypatch.setenv("STORYBOARD_MODEL", str(models["sdxl"]))
    assert "SDXL model" in describe("  ", "", "", 768, 7.5, "auto", facts=CPU)


def test_a_controlnet_of_another_family_is_one_line(models):
    sdxl = str(models["sdxl"])
    text = describe(sdxl, str(models["cn_sd15"]), "", 1024, 7.5, "auto", facts=CPU)
    (line,) = warnings(text)
    assert line == "⚠ This ControlNet is made for SD 1.5 models, not SDXL: the render would refuse it."
    assert "+ ControlNet" in text  # the memory plan counts it
    # the tiny ControlNet's width (32) is no real family's, but it is not the tiny SDXL UNet's (64) either
    (line,) = warnings(describe(sdxl, str(models["cn_tiny"]), "", 1024, 7.5, "auto", facts=CPU))
    assert "text width 32; this SDXL model's is 64" in line
    # …and it is the tiny SD 1.5 UNet's: it fits
    fits = describe(str(models["sd15"]), str(models["cn_tiny"]), "", 512, 7.5, "auto", facts=CPU)
    assert not warnings(fits) and "✓ The ControlNet in the box fits SD 1.5 models." in fits
    ok = describe(sdxl, str(models["cn_tiny_xl"]), "", 1024, 7.5, "auto", facts=CPU)
    assert not warnings(ok) and "✓ The ControlNet in the box fits SDXL models." in ok
    # the renderer compares text widths: a real SDXL ControlNet (2048) does not fit the tiny SDXL UNet (64)
    (line,) = warnings(describe(sdxl, str(models["cn_sdxl"]), "", 1024, 7.5, "auto", facts=CPU))
    assert "text width 2048; this SDXL model's is 64" in line


def test_a_controlnet_not_downloaded_is_told_from_its_name(models):
    text = describe(str(models["sdxl"]), "lllyasviel/control_v11p_sd15_scribble", "", 1024, 7.5, "auto", facts=CPU)
    (line,) = warnings(text)
    assert "made for SD 1.5 models (told from its name), not SDXL" in line
    both = describe("stabilityai/stable-diffusion-xl-base-1.0", "xinsir/controlnet-scribble-sdxl-1.0", "", 1024,
                    7.5, "auto", facts=CPU)
    assert not warnings(both) and "✓ The ControlNet in the box fits SDXL models (told from its name)." in both


def test_a_controlnet_box_that_names_nothing_is_one_line(models, tmp_path):
    (line,) = warnings(describe(str(models["sdxl"]), str(tmp_path / "no-such-net"), "", 1024, 7.5, "auto",
                                facts=CPU))
    assert line == f"⚠ ControlNet folder not found: {tmp_path / 'no-such-net'}"
    (line,) = warnings(describe(str(models["sdxl"]), str(models["sd15"]), "", 1024, 7.5, "auto", facts=CPU))
    assert "is not a diffusers ControlNet folder (it has no config.json)" in line


def test_flux_names_the_options_it_cannot_use(models, tmp_path):
    text = describe(str(models["flux"]), "xinsir/controlnet-scribble-sdxl-1.0", str(tmp_path / "ip.safetensors"),
                    1024, 3.5, "auto", facts=CPU)
    assert "FLUX model" in text
    lines = warnings(text)
    assert len(lines) == 2
    assert lines[0].startswith("⚠ the ControlNet cannot be used with FLUX models")
    assert lines[0].endswith("Clear the ControlNet box to render with this model.")
    assert lines[1].startswith("⚠ the IP-Adapter cannot be used with FLUX models")
    assert "+ ControlNet" not in text and "IP-Adapter" not in text.split("**Memory plan**")[1]
    empty = describe(str(models["flux"]), "", "", 1024, 3.5, "auto", facts=CPU)  # said, but not as a problem
    assert not warnings(empty) and "**ControlNet** · the ControlNet cannot be used with FLUX models" in empty


def test_an_ip_adapter_the_renderer_would_refuse_is_said(models, tmp_path):
    (line,) = warnings(describe(str(models["sd15"]), "", str(tmp_path / "ip.bin"), 512, 7.5, "auto", facts=CPU))
    assert "only as .safetensors" in line
    (line,) = warnings(describe(str(models["sd15"]), "", str(tmp_path / "ip.safetensors"), 512, 7.5, "auto",
                                facts=CPU))
    assert line.startswith("⚠ IP-Adapter not found:")


def test_an_8_gb_gpu_gets_model_offload_for_sdxl_at_1024(models):
    text = describe(str(models["sdxl"]), "", "", 1024, 7.5, "auto", facts=GPU_8)
    here = next(line for line in text.splitlines() if line.startswith("- "))
    assert here.startswith("- **this GPU (RTX, 8.0 GB)**: model offload")
    assert "as set" not in text


def test_a_forced_offload_is_shown_as_set_and_warned_when_it_cannot_fit(models):
    text = describe(str(models["sdxl"]), "", "", 1024, 7.5, "sequential", facts=GPU_8)
    assert "- **this GPU (RTX, 8.0 GB)**: sequential offload + VAE tiling as set" in text
    tight = describe(str(models["sdxl"]), "", "", 1024, 7.5, "none", facts=GPU_8)
    here = next(line for line in tight.splitlines() if line.startswith("- "))
    assert "as set" in here and "⚠ more than the ~6.7 GB this card can use" in here


def test_guidance_at_one_or_below_plans_one_batch(models):
    with_cfg = describe(str(models["sdxl"]), "", "", 1024, 7.5, "auto", facts=CPU)
    without = describe(str(models["sdxl"]), "", "", 1024, 1.0, "auto", facts=CPU)
    assert with_cfg != without  # the activations of one batch instead of two


@pytest.mark.parametrize(("model", "size", "guidance", "offload", "says"), [
    ("{missing}", 768, 7.5, "auto", "model folder not found: {missing}"),
    ("garbage !!", 768, 7.5, "auto", "is neither a model folder, a .safetensors file, nor a hub id"),
    ("{missing}.ckpt", 768, 7.5, "auto", "only .safetensors model files are loaded"),
    ("{sdxl}", "big", 7.5, "auto", "the panel long side must be a number of pixels, got 'big'"),
    ("{sdxl}", 99999, 7.5, "auto", "the panel long side must be between 64 and"),
    ("{sdxl}", 768, "x", "auto", "guidance must be a number"),
    ("{sdxl}", 768, 7.5, "turbo", "unknown offload 'turbo'"),
])
def test_a_value_that_cannot_be_planned_is_one_clear_line(models, tmp_path, model, size, guidance, offload, says):
    fill = {"missing": str(tmp_path / "no-such-model"), "sdxl": str(models["sdxl"])}
    text = describe(model.format(**fill), "", "", size, guidance, offload, facts=CPU)
    assert text.startswith("⚠ ") and "\n" not in text
    assert says.format(**fill) in text


def test_empty_values_fall_back_to_the_defaults(models):
    text = describe(str(models["sdxl"]), None, None, None, None, None, facts=CPU)
    assert "1024 px, the native size of SDXL models" in text and not warnings(text)


def test_controlnet_family_is_told_by_text_width_or_class(models, tmp_path):
    assert controlnet_family(str(models["cn_sd15"])) == "sd15"
    assert controlnet_family(str(models["cn_sd2"])) == "sd2"
    assert controlnet_family(str(models["cn_sdxl"])) == "sdxl"
    assert controlnet_family(str(models["cn_tiny"])) is None  # width 32: no real family's
    flux = write_json(tmp_path / "flux-cn" / "config.json", {"_class_name": "FluxControlNetModel",
                                                             "joint_attention_dim": 4096}).parent
    assert controlnet_family(str(flux)) == "flux"
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "config.json").write_text("{not json", encoding="utf-8")
    for ref in (str(broken), str(tmp_path / "nowhere"), "", "owner/not-in-the-cache", "garbage !!"):
        assert controlnet_family(ref) is None


def test_on_a_shared_server_a_box_the_host_does_not_offer_gets_the_policy_message(models):
    policy = ModelPolicy(shared=True, default="stable-diffusion-v1-5/stable-diffusion-v1-5")
    text = render_plan.for_page(policy, "/etc", "", "", 768, 7.5, "auto")
    assert text.startswith("⚠ this server offers only these models:") and "not found" not in text
    text = render_plan.for_page(policy, "", "/srv/net", "", 768, 7.5, "auto")
    assert text == "⚠ this server offers no ControlNet; leave the box empty"
    private = render_plan.for_page(ModelPolicy(), str(models["sdxl"]), "", "", 1024, 7.5, "auto")
    assert "SDXL model" in private


def test_importing_the_plan_does_not_import_torch():
    code = "import sys, storyboard.ui.render_plan; assert 'torch' not in sys.modules, 'torch imported'"
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_the_offload_setting_flows_into_the_settings_only_when_set():
    from storyboard.ui.tabs import settings_of

    _, settings, size = settings_of("diffusion", " m ", 20, 5.0, "ddim", 512, "", "", "auto")
    assert "offload" not in settings and settings["model"] == "m" and size == 512  # fingerprints stay as they were
    _, settings, _ = settings_of("diffusion", "", 20, 5.0, "ddim", 512, "", "", "model")
    assert settings["offload"] == "model"
    _, settings, _ = settings_of("diffusion", "", 20, 5.0, "ddim", 512, "")  # the older callers' arguments
    assert "offload" not in settings
    assert settings_of("sketch", "", 20, 5.0, "ddim", 512, "", "", "none") == ("sketch", {}, None)


def test_the_render_tab_wires_the_plan_and_the_offload(tmp_path, monkeypatch):
    monkeypatch.setenv("STORYBOARD_SESSIONS", str(tmp_path))
    for name in ("STORYBOARD_SHARED", "STORYBOARD_MODELS", "SPACE_ID"):
        monkeypatch.delenv(name, raising=False)
    from storyboard.ui.app import build_app

    demo = build_app()
    blocks = {getattr(b, "elem_id", None): b for b in demo.blocks.values()}
    offload, plan = blocks["render-offload"], blocks["render-plan"]
    assert offload.value == "auto" and [c[1] for c in offload.choices] == ["auto", "none", "model", "sequential"]
    assert offload.info == "what stays on the GPU; auto follows the memory plan"
    (fn,) = [fn for fn in demo.fns.values() if getattr(fn.fn, "__name__", "") == "show_render_plan"]
    assert [block.elem_id for block in fn.outputs] == ["render-plan"] and fn.outputs[0] is plan  # only the plan
    assert fn.show_progress == "hidden"
    assert [block.elem_id or block.label for block in fn.inputs] == [
        "render-model", "render-controlnet", "render-ip-adapter", "Panel long side (px)", "Guidance",
        "render-offload"]  # describe's order
    # on page load, and on a change of each input
    changes = sorted(target for target in fn.targets if target[1] == "change")
    assert changes == sorted((block._id, "change") for block in fn.inputs)
    assert [event for _, event in fn.targets if event != "change"] == ["load"]  # and once when the page opens
    renders = [fn for fn in demo.fns.values() if getattr(fn.fn, "__name__", "") == "on_render"]
    assert renders and offload in renders[0].inputs  # the Render button reads the offload setting
