"""Device policy: where and how a diffusion pipeline runs, as a pure function.

`plan_device(facts)` decides from what the machine has (CUDA and its memory,
bf16 support, Apple MPS) — tested without any GPU. Given a `memory.Workload`
(family, panel size, options), offload and VAE tiling come from its memory
estimate instead of the fixed VRAM thresholds. `detect()` reads those facts
from torch (importing it only when called).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from . import memory
from .memory import Workload

OFFLOADS = ("auto", "none", "model", "sequential")
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
    estimate_gb: float = 0.0  # the estimated peak of this placement (0: no workload was given)

    def describe(self) -> str:
        extras = [x for x, on in (("offload " + self.offload, self.offload != "none"), ("VAE tiling", self.vae_tiling),
                                  ("VAE slicing", self.vae_slicing)) if on]
        text = f"{self.device} {self.dtype}" + (f" ({', '.join(extras)})" if extras else "")
        return text + (f", ~{self.estimate_gb:.1f} GB" if self.estimate_gb else "")


def plan_device(facts: Facts, prefer: str = "auto", dtype: str = "auto", *, work: Workload | None = None,
                offload: str = "auto") -> DevicePlan:
    """CUDA fp16 (bf16 when supported), then Apple MPS fp16, else CPU fp32.

    On CUDA, offload and VAE tiling come from `memory.fit(work, vram)` when a workload is given, else from the VRAM
    thresholds; `offload` ("none", "model", "sequential") forces the offload. CPU and MPS never offload; with a
    workload their plan carries the estimated peak too."""
    if prefer not in ("auto", "cuda", "mps", "cpu"):
        raise ValueError(f"unknown device {prefer!r}; use auto, cuda, mps or cpu")
    if offload not in OFFLOADS:
        raise ValueError(f"unknown offload {offload!r}; use {', '.join(OFFLOADS[:-1])} or {OFFLOADS[-1]}")
    if prefer == "cuda" and not facts.cuda:
        raise ValueError("CUDA was asked for but no CUDA GPU is available")
    if prefer == "mps" and not facts.mps:
        raise ValueError("MPS was asked for but Apple's Metal backend is not available")
    if facts.cuda and prefer in ("auto", "cuda"):
        chosen = dtype if dtype != "auto" else "bfloat16" if facts.bf16 else "float16"
        return _cuda_plan(facts.vram_gb, chosen, work and replace(work, dtype=chosen), offload)
    if facts.mps and prefer in ("auto", "mps"):
        return _flat_plan(DevicePlan("mps", dtype if dtype != "auto" else "float16", vae_slicing=True), work)
    return _flat_plan(DevicePlan("cpu", "float32" if dtype == "auto" else dtype), work)


def _cuda_plan(vram_gb: float, dtype: str, work: Workload | None, offload: str) -> DevicePlan:
    if work is None:
        small, tiny = vram_gb < SMALL_VRAM_GB, vram_gb < TINY_VRAM_GB
        if offload == "auto":
            offload = "sequential" if tiny else "model" if small else "none"
        tiling = small or offload != "none"
        return DevicePlan("cuda", dtype, offload=offload, vae_tiling=tiling, vae_slicing=tiling)
    if offload == "auto":
        offload, tiling, peak = memory.fit(work, vram_gb)
    else:  # forced: tile with any offload, and without one when the untiled decode would not fit
        est = memory.estimate(work)
        tiling = offload != "none" or est.peak("none", False) > memory.usable_gb(vram_gb)
        peak = est.peak(offload, tiling)
    return DevicePlan("cuda", dtype, offload=offload, vae_tiling=tiling, vae_slicing=tiling,
                      estimate_gb=round(peak, 2))


def _flat_plan(plan: DevicePlan, work: Workload | None) -> DevicePlan:
    """CPU and MPS: everything in one memory, no offload; the estimate is the peak with nothing offloaded."""
    if work is None:
        return plan
    peak = memory.estimate(replace(work, dtype=plan.dtype)).peak("none", plan.vae_tiling)
    return replace(plan, estimate_gb=round(peak, 2))


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
