"""Building the full-size random-weight models for bench_fullsize.py: SD 1.5 / SDXL pipelines from the real
configs in benchmarks/configs/, two character LoRAs, the family's ControlNet and an h94-layout IP-Adapter."""

from __future__ import annotations

import json
import shutil
import sys
import time
from pathlib import Path

CONFIGS = Path(__file__).resolve().parent / "configs"
FAMILIES = {
    # native size, LoRA rank, the pipeline class (for save_lora_weights), the IP-Adapter file's h94 name
    "sd15": {"size": 512, "rank": 8, "pipeline": "StableDiffusionPipeline", "ip": "ip-adapter_sd15.safetensors",
             "text_encoders": {"text_encoder": "CLIPTextModel"}, "runtime_gb": 2.5},
    "sdxl": {"size": 1024, "rank": 16, "pipeline": "StableDiffusionXLPipeline",
             "ip": "ip-adapter_sdxl_vit-h.safetensors",
             "text_encoders": {"text_encoder": "CLIPTextModel", "text_encoder_2": "CLIPTextModelWithProjection"},
             "runtime_gb": 6.0},  # measured: SDXL plain peaked at 2 × weights + 5.6 GB (the 1024² VAE decode)
}
CHARACTERS = ("Mara", "Tom")


# -- building (in a subprocess: --build FAMILY) ------------------------------------------------------------------
def _dtype_context(dtype):
    """Create modules directly in `dtype` (float16 halves the memory and time of building)."""
    import contextlib

    import torch

    @contextlib.contextmanager
    def ctx():
        old = torch.get_default_dtype()
        torch.set_default_dtype(dtype)
        try:
            yield
        finally:
            torch.set_default_dtype(old)

    return ctx()


def _log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _real_config(family: str, component: str) -> dict:
    return json.loads((CONFIGS / family / component / "config.json").read_text())


def build_pipeline(family: str, out: Path) -> None:
    """The family's pipeline with random weights, saved as a diffusers folder with the real configs."""
    import gc

    import diffusers
    import torch
    import transformers

    from tests.fixtures.tiny_sd import write_tokenizer

    spec = FAMILIES[family]
    partial = out.with_name(out.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    torch.manual_seed(0)
    parts = [("vae", "AutoencoderKL", "diffusers"), *[(name, cls, "transformers")
                                                     for name, cls in spec["text_encoders"].items()],
             ("unet", "UNet2DConditionModel", "diffusers")]
    for component, cls_name, library in parts:
        _log(f"{family}: building {component} ({cls_name})")
        with _dtype_context(torch.float16):
            if library == "diffusers":
                model = getattr(diffusers, cls_name).from_config(_real_config(family, component))
            else:
                config = transformers.CLIPTextConfig.from_pretrained(str(CONFIGS / family / component))
                model = getattr(transformers, cls_name)(config)
        model.save_pretrained(str(partial / component), safe_serialization=True)
        shutil.copy(CONFIGS / family / component / "config.json", partial / component / "config.json")
        del model
        gc.collect()
    (partial / "scheduler").mkdir()
    shutil.copy(CONFIGS / family / "scheduler" / "scheduler_config.json", partial / "scheduler")
    for name in ("tokenizer", "tokenizer_2") if family == "sdxl" else ("tokenizer",):
        write_tokenizer(partial / name)  # byte-level CLIP tokenizer (ids < 600): the real one cannot be downloaded
    index = json.loads((CONFIGS / family / "model_index.json").read_text())
    if "safety_checker" in index:  # the real folder has a safety checker; a storyboard renderer runs without one
        index.update(safety_checker=[None, None], feature_extractor=[None, None], requires_safety_checker=False)
    (partial / "model_index.json").write_text(json.dumps(index, indent=2))
    shutil.rmtree(out, ignore_errors=True)
    partial.rename(out)


def build_loras(family: str, model: Path, project: Path) -> None:
    """Two random character LoRAs (q/k/v/out of each UNet attention), saved as diffusers' LoRA scripts do."""
    import diffusers
    import torch
    from diffusers import UNet2DConditionModel
    from peft import LoraConfig
    from peft.utils import get_peft_model_state_dict

    spec = FAMILIES[family]
    _log(f"{family}: loading the UNet for the LoRAs")
    unet = UNet2DConditionModel.from_pretrained(str(model / "unet"), dtype=torch.float16, use_safetensors=True)
    project.mkdir(parents=True, exist_ok=True)
    for seed, name in enumerate(CHARACTERS, start=1):
        torch.manual_seed(seed)
        config = LoraConfig(r=spec["rank"], lora_alpha=spec["rank"], init_lora_weights=False,
                            target_modules=["to_q", "to_k", "to_v", "to_out.0"])
        adapter = f"char_{seed}"
        unet.add_adapter(config, adapter_name=adapter)
        layers = get_peft_model_state_dict(unet, adapter_name=adapter)
        unet.delete_adapters(adapter)
        getattr(diffusers, spec["pipeline"]).save_lora_weights(
            str(project), unet_lora_layers=layers, weight_name=f"{name.lower()}.safetensors", safe_serialization=True)
        _log(f"{family}: LoRA {name} rank {spec['rank']}: {len(layers)} tensors")


def build_controlnet(family: str, out: Path) -> None:
    """A ControlNet of the family's real architecture; its zero convolutions get a normal init (a trained one's are
    no longer zero, and an all-zero ControlNet would change nothing)."""
    import torch
    from diffusers import ControlNetModel

    _log(f"{family}: building the ControlNet")
    torch.manual_seed(2)
    with _dtype_context(torch.float16):
        net = ControlNetModel.from_config(_real_config(family, "controlnet"))
        with torch.no_grad():
            for module in [*net.controlnet_down_blocks, net.controlnet_mid_block,
                           net.controlnet_cond_embedding.conv_out]:
                module.reset_parameters()
    partial = out.with_name(out.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    net.save_pretrained(str(partial), safe_serialization=True)
    shutil.copy(CONFIGS / family / "controlnet" / "config.json", partial / "config.json")
    shutil.rmtree(out, ignore_errors=True)
    partial.rename(out)


def build_ip_adapter(family: str, out: Path) -> None:
    """h94/IP-Adapter's layout: the adapter .safetensors with image_encoder/ (ViT-H/14, CLIPVisionModelWithProjection)
    beside it; image_proj maps the 1024-d image embedding to 4 tokens of the UNet's cross-attention width."""
    import torch
    from diffusers import UNet2DConditionModel
    from safetensors.torch import save_file
    from transformers import CLIPVisionConfig, CLIPVisionModelWithProjection

    encoder_dir = CONFIGS / "ip_adapter" / "image_encoder"
    partial = out.with_name(out.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    _log(f"{family}: building the ViT-H image encoder")
    torch.manual_seed(3)
    with _dtype_context(torch.float16):
        encoder = CLIPVisionModelWithProjection(CLIPVisionConfig.from_pretrained(str(encoder_dir)))
    encoder.save_pretrained(str(partial / "image_encoder"), safe_serialization=True)
    for name in ("config.json", "preprocessor_config.json"):
        shutil.copy(encoder_dir / name, partial / "image_encoder" / name)
    embed = encoder.config.projection_dim
    del encoder
    unet_config = _real_config(family, "unet")
    with torch.device("meta"):
        processors = [n for n in UNet2DConditionModel.from_config(unet_config).attn_processors
                      if not n.endswith("attn1.processor")]
    cross, channels = unet_config["cross_attention_dim"], list(unet_config["block_out_channels"])

    def linear(out_features: int, in_features: int):
        return (torch.randn(out_features, in_features) / in_features ** 0.5).half()

    weights = {"image_proj.proj.weight": linear(4 * cross, embed),
               "image_proj.proj.bias": torch.zeros(4 * cross).half(),
               "image_proj.norm.weight": torch.ones(cross).half(), "image_proj.norm.bias": torch.zeros(cross).half()}
    for i, name in enumerate(processors):
        if name.startswith("mid_block"):
            hidden = channels[-1]
        elif name.startswith("up_blocks"):
            hidden = channels[::-1][int(name.split(".")[1])]
        else:
            hidden = channels[int(name.split(".")[1])]
        weights[f"ip_adapter.{2 * i + 1}.to_k_ip.weight"] = linear(hidden, cross)
        weights[f"ip_adapter.{2 * i + 1}.to_v_ip.weight"] = linear(hidden, cross)
    save_file(weights, str(partial / FAMILIES[family]["ip"]))
    _log(f"{family}: IP-Adapter with {len(processors)} cross-attention layers")
    shutil.rmtree(out, ignore_errors=True)
    partial.rename(out)


def layout(work: Path, family: str) -> dict[str, Path]:
    base = work / family
    return {"model": base / "model", "controlnet": base / "controlnet", "ip": base / "ip-adapter",
            "project": base / "project", "out": base / "out"}


def build(family: str, work: Path, options: list[str]) -> None:
    """Build whatever the options need and is not there yet (a half-built part is built again)."""
    where = layout(work, family)
    if not (where["model"] / "model_index.json").is_file():
        build_pipeline(family, where["model"])
    if any("loras" in o for o in options) and not all(
            (where["project"] / f"{n.lower()}.safetensors").is_file() for n in CHARACTERS):
        build_loras(family, where["model"], where["project"])
    if any("controlnet" in o for o in options) and not (where["controlnet"] / "config.json").is_file():
        build_controlnet(family, where["controlnet"])
    if "ip_adapter" in options and not (where["ip"] / FAMILIES[family]["ip"]).is_file():
        build_ip_adapter(family, where["ip"])
    where["project"].mkdir(parents=True, exist_ok=True)
    reference = where["project"] / "mara.png"
    if not reference.is_file():
        from PIL import Image

        Image.radial_gradient("L").convert("RGB").resize((224, 224)).save(reference)
