"""What the user chooses for the diffusion renderer, and what the loaded model family lets them use."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import RenderError
from ..project import Project, Scene
from . import families, memory
from .device import OFFLOADS

DEFAULT_NEGATIVE = "blurry, deformed, extra limbs, extra fingers, text, watermark, signature, lowres"
SCHEDULERS = {
    "default": None, "ddim": "DDIMScheduler", "euler": "EulerDiscreteScheduler",
    "euler-a": "EulerAncestralDiscreteScheduler", "dpm++": "DPMSolverMultistepScheduler",
    "unipc": "UniPCMultistepScheduler", "lcm": "LCMScheduler",
}


@dataclass(frozen=True)
class DiffusionSettings:
    """What the user chooses; every default is the one stated here."""

    model: str = ""  # hub id, folder or .safetensors; "" → $STORYBOARD_MODEL → the SD 1.5 default
    model_config: str = ""  # for a single .safetensors file: a folder/hub id with its configs ("" → inferred)
    steps: int = 30  # denoising steps (SD-Turbo: 1–4)
    guidance: float = 7.5  # classifier-free guidance scale (Turbo models: 0)
    scheduler: str = "default"  # see SCHEDULERS
    controlnet: str = ""  # a ControlNet (hub id or folder) conditioned on the blueprint, or "" for none
    control_scale: float = 0.8  # how strongly the blueprint steers the composition
    region_strength: float = 0.55  # how much each character's region is repainted with its own LoRA
    lora_weight: float = 1.0  # adapter weight for every character LoRA
    ip_adapter: str = ""  # an IP-Adapter .safetensors (image_encoder folder beside it): characters' reference images
    ip_scale: float = 0.6  # how strongly a character's reference image steers their look
    offload: str = "auto"  # auto (from the memory plan), none, model or sequential: what stays on the GPU

    @classmethod
    def of(cls, settings: dict[str, Any]) -> DiffusionSettings:
        known = {k: v for k, v in settings.items() if k in cls.__dataclass_fields__}
        try:
            out = cls(**known)
            out.check()
        except (TypeError, ValueError) as err:
            raise RenderError(f"diffusion settings: {err}") from None
        return out

    def check(self) -> None:
        if not 1 <= int(self.steps) <= 200:
            raise ValueError(f"steps must be between 1 and 200, got {self.steps}")
        if not 0 <= float(self.guidance) <= 30:
            raise ValueError(f"guidance must be between 0 and 30, got {self.guidance}")
        if self.offload not in OFFLOADS:
            raise ValueError(f"unknown offload {self.offload!r}; use one of {', '.join(OFFLOADS)}")
        if self.scheduler not in SCHEDULERS:
            raise ValueError(f"unknown scheduler {self.scheduler!r}; use one of {', '.join(SCHEDULERS)}")


def workload(scene: Scene, project: Project, opts: DiffusionSettings, width: int, height: int) -> memory.Workload:
    """What this panel asks of the card (the model manager fills in the family once the model is loaded)."""
    loras = sum(1 for name in scene.characters if (char := project.character(name)) is not None and char.lora)
    return memory.Workload("", width, height, controlnet=bool(opts.controlnet), ip_adapter=bool(opts.ip_adapter),
                           loras=loras, regional=loras >= 2, cfg=opts.guidance > 1)


def check_family(kind: str, opts: DiffusionSettings) -> None:
    """Options the model family cannot use stop the render with one line naming them (before any work)."""
    if kind == "flux" and opts.scheduler != "default":
        raise RenderError(f"the {opts.scheduler} scheduler is for SD 1.5/2.x and SDXL models; FLUX models keep their "
                          "flow-matching scheduler. Set the scheduler to default.")
    for option, on in (("controlnet", bool(opts.controlnet)), ("ip_adapter", bool(opts.ip_adapter))):
        why = families.unsupported(kind, option) if on else None
        if why:
            raise RenderError(f"{why}. Clear the {families.OPTIONS[option][4:]} setting to render with this model.")
