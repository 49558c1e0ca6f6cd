"""Model families: which kind of diffusion model a pipeline or a reference is, and what the renderer does with it.

A family decides the native panel size, the ControlNet that reads the blueprint (white lines on black, the
scribble convention) and which options the renderer serves. SD 1.5, SD 2.x and SDXL (Turbo/Lightning included:
they are SDXL UNets) get every option through diffusers' family-generic pipelines. FLUX gets plain text-to-image
with character LoRAs: its ControlNets and IP-Adapters read other conditioning than the blueprint, and a
transformer has no UNet cross-attention for regional prompts, so those options name themselves as unsupported.
Any other pipeline renders plain text-to-image.

Detection never loads weights: a folder's or the cache's model_index.json, a single file's tensor names.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from pathlib import Path

OPTIONS = {"controlnet": "the ControlNet", "ip_adapter": "the IP-Adapter", "regional": "the regional pass",
           "loras": "character LoRAs"}


@dataclass(frozen=True)
class Family:
    key: str
    label: str
    size: int  # the native panel side, in pixels
    controlnet: str = ""  # the blueprint (scribble) ControlNet to suggest
    ip_adapter: str = ""  # where its IP-Adapter comes from (repo › file), to suggest
    options: tuple[str, ...] = ("controlnet", "ip_adapter", "regional", "loras")


FAMILIES = {
    "sd15": Family("sd15", "SD 1.5", 512, "lllyasviel/control_v11p_sd15_scribble",
                   "h94/IP-Adapter › models/ip-adapter_sd15.safetensors"),
    "sd2": Family("sd2", "SD 2.x", 768, "thibaud/controlnet-sd21-scribble-diffusers",
                  options=("controlnet", "regional", "loras")),
    "sdxl": Family("sdxl", "SDXL", 1024, "xinsir/controlnet-scribble-sdxl-1.0",
                   "h94/IP-Adapter › sdxl_models/ip-adapter_sdxl.safetensors"),
    "flux": Family("flux", "FLUX", 1024, options=("loras",)),
}
OTHER = Family("other", "this model", 512, options=())
WHY_NOT = {
    ("flux", "controlnet"): "the blueprint ControlNet is wired for SD 1.5/2.x and SDXL models (FLUX ControlNets take "
                            "a control mode and other maps)",
    ("flux", "ip_adapter"): "reference images steer SD 1.5 and SDXL models here",
    ("flux", "regional"): "a FLUX transformer has no UNet cross-attention for regional prompts, so the characters' "
                          "LoRAs render together",
    ("sd2", "ip_adapter"): "no IP-Adapter was trained for SD 2.x models",
}
OTHER_WHY = "this model renders plain text-to-image only (the options are for SD 1.5/2.x, SDXL and FLUX)"


def family(key: str | None) -> Family:
    return FAMILIES.get(key or "", OTHER)


def unsupported(key: str | None, option: str) -> str | None:
    """One line naming the option the family cannot use, and why; None when it can."""
    fam = family(key)
    if option in fam.options:
        return None
    return f"{OPTIONS[option]} cannot be used with {fam.label} models: {WHY_NOT.get((fam.key, option), OTHER_WHY)}"


def of_pipe(pipe) -> str:
    """The family of a loaded pipeline, from its class and its UNet's text width."""
    return _of_class(type(pipe).__name__, _cross_width(getattr(getattr(pipe, "unet", None), "config", None)))


def _of_class(name: str, cross: int | None) -> str:
    if "Flux" in name:
        return "flux"
    if "StableDiffusionXL" in name:
        return "sdxl"
    if name.startswith("StableDiffusion") and not name.startswith("StableDiffusion3"):
        return "sd2" if cross == 1024 else "sd15"
    return "other"


def _cross_width(config) -> int | None:
    if config is None:
        return None
    value = config.get("cross_attention_dim") if isinstance(config, dict) else getattr(config, "cross_attention_dim",
                                                                                       None)
    return value if isinstance(value, int) else None


def of_ref(ref: str) -> str | None:
    """The family of a model reference without loading it: a folder, a cached hub id or a .safetensors file;
    None when it cannot be told (a hub model that is not in the cache)."""
    ref = (ref or "").strip()
    if not ref:
        return None
    path = Path(ref).expanduser()
    try:
        if path.is_file() and path.suffix.lower() == ".safetensors":
            return of_checkpoint_keys(_tensor_names(path))
        if path.is_dir():
            return _of_index(path / "model_index.json", path / "unet" / "config.json")
    except (OSError, ValueError):
        return None
    return _of_cached(ref)


def of_checkpoint_keys(keys) -> str:
    """The family of an original-layout (single file) checkpoint, from its tensor names."""
    keys = list(keys)

    def has(prefix: str) -> bool:
        return any(k.startswith(prefix) for k in keys)

    if has("double_blocks.") or has("model.diffusion_model.double_blocks."):
        return "flux"
    if has("conditioner.embedders.1."):
        return "sdxl"
    if has("cond_stage_model.model."):
        return "sd2"
    if has("model.diffusion_model.") or has("cond_stage_model.transformer."):
        return "sd15"
    return "other"


def _tensor_names(path: Path) -> list[str]:
    """The tensor names in a .safetensors header (8-byte length, then JSON), without reading the tensors."""
    with path.open("rb") as fh:
        size = int.from_bytes(fh.read(8), "little")
        if not 0 < size <= 100 * 2**20:
            raise ValueError(f"{path.name} is not a .safetensors file")
        header = json.loads(fh.read(size))
    return [k for k in header if k != "__metadata__"]


def _of_index(index: Path, unet_config: Path) -> str | None:
    try:
        name = json.loads(index.read_text(encoding="utf-8")).get("_class_name", "")
    except (OSError, ValueError, AttributeError):
        return None
    cross = None
    with contextlib.suppress(OSError, ValueError):
        cross = _cross_width(json.loads(unet_config.read_text(encoding="utf-8")))
    return _of_class(str(name), cross)


def _of_cached(repo: str) -> str | None:
    try:
        from huggingface_hub import try_to_load_from_cache

        index = try_to_load_from_cache(repo, "model_index.json")
        unet = try_to_load_from_cache(repo, "unet/config.json")
    except Exception:  # not a valid repo id, no cache: not known
        return None
    if not isinstance(index, str):
        return None
    return _of_index(Path(index), Path(unet) if isinstance(unet, str) else Path("/nonexistent"))


def suggestion(key: str | None) -> str:
    """What the Render tab says under the ControlNet field for the loaded family."""
    fam = family(key)
    if fam.controlnet:
        return f"For {fam.label} models: {fam.controlnet} (it reads the blueprint as white lines on black)."
    return unsupported(fam.key, "controlnet") or ""


NAME_HINTS = (("flux", "flux"), ("xl", "sdxl"), ("stable-diffusion-2", "sd2"), ("sd2", "sd2"), ("sd21", "sd2"),
              ("v1-5", "sd15"), ("sd15", "sd15"), ("stable-diffusion-v1", "sd15"))


def guess(ref: str) -> str | None:
    """The family a hub id's name suggests (for a model not downloaded yet), or None."""
    name = (ref or "").lower().replace("_", "-")
    return next((key for hint, key in NAME_HINTS if hint in name), None)
