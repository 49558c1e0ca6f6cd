"""Device policy: where and how a diffusion pipeline runs, as a pure function.

`plan_device(facts)` decides from what the machine has (CUDA and its memory,
bf16 support, Apple MPS) — tested without any GPU. `detect()` reads those
facts from torch (importing it only when called).
"""

from __future__ import annotations

from dataclasses import dataclass

SMALL_VRAM_GB = 10.0  # below this: model CPU offload and VAE tiling/slicing (SD 1.5 fits 6–8 GB this way)
TINY_VRAM_GB = 5.0  # below this: sequential offload (slow, but it runs)


@dataclass(frozen=True)
class Facts:
    cuda: bool = False
    vram_gb: float = 0.0
    bf16: bool = False
    mps: bool = False
    device_name: str = ""


@dataclass(frozen=True)
class DevicePlan:
    device: str  # "cuda", "mps" or "cpu"
    dtype: str  # "float16", "bfloat16" or "float32"
    offload: str = "none"  # "none", "model" (enable_model_cpu_offload) or "sequential"
    vae_tiling: bool = False
    vae_slicing: bool = False
    attention: str = "sdpa"  # PyTorch scaled-dot-product attention (diffusers' default on torch 2)

    def describe(self) -> str:
        extras = [x for x, on in (("offload " + self.offload, self.offload != "none"), ("VAE tiling", self.vae_tiling),
                                  ("VAE slicing", self.vae_slicing)) if on]
        return f"{self.device} {self.dtype}" + (f" ({', '.join(extras)})" if extras else "")


def plan_device(facts: Facts, prefer: str = "auto", dtype: str = "auto") -> DevicePlan:
    """CUDA fp16 (bf16 when supported), then Apple MPS fp16, else CPU fp32; offload when VRAM is small."""
    if prefer not in ("auto", "cuda", "mps", "cpu"):
        raise ValueError(f"unknown device {prefer!r}; use auto, cuda, mps or cpu")
    if prefer == "cuda" and not facts.cuda:
        raise ValueError("CUDA was asked for but no CUDA GPU is available")
    if prefer == "mps" and not facts.mps:
        raise ValueError("MPS was asked for but Apple's Metal backend is not available")
    if facts.cuda and prefer in ("auto", "cuda"):
        chosen = "bfloat16" if facts.bf16 else "float16"
        small, tiny = facts.vram_gb < SMALL_VRAM_GB, facts.vram_gb < TINY_VRAM_GB
        return DevicePlan("cuda", dtype if dtype != "auto" else chosen,
                          offload="sequential" if tiny else "model" if small else "none",
                          vae_tiling=small, vae_slicing=small)
    if facts.mps and prefer in ("auto", "mps"):
        return DevicePlan("mps", dtype if dtype != "auto" else "float16", vae_slicing=True)
    return DevicePlan("cpu", "float32" if dtype == "auto" else dtype)


def detect() -> Facts:
    import torch

    if torch.cuda.is_available():
        props = torch.cuda.get_device_properties(0)
        return Facts(cuda=True, vram_gb=props.total_memory / 2**30, bf16=torch.cuda.is_bf16_supported(),
                     device_name=props.name)
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        return Facts(mps=True, device_name="Apple MPS")
    return Facts(device_name="CPU")
