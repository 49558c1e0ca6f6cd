"""How much GPU memory a render needs, per model family, panel size and options — pure arithmetic, no torch.

`estimate(work)` gives weights, activations and VAE decode in GB (2**30 bytes, as `device.detect` reports VRAM);
`fit(work, vram)` picks the least offload (then VAE tiling) whose peak fits the card; `lower_first` says, for an
out-of-memory message, which setting to lower first. The constants are estimates from published numbers, all in
the table below, for a later calibration against measured peaks.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from . import families


@dataclass(frozen=True)
class Params:
    denoiser: float  # UNet / transformer, millions of parameters
    text: tuple[float, ...]  # each text encoder, millions
    vae: float  # AutoencoderKL, millions
    controlnet: float  # the family's ControlNet (0: not served), millions
    ip_layers: float  # the IP-Adapter's own layers (0: not served)
    ip_encoder: float  # the image encoder the suggested IP-Adapter reads with, millions
    lora: float  # one character LoRA at rank 32 (16 for FLUX), millions
    step_gb: float  # activations of one denoising step, GB per output megapixel per batch image, 16-bit
    tile: int  # VAE tile side when tiling (the loader sets 512 for SDXL/FLUX VAEs, whose own sample_size is 1024)
    cfg: bool = True  # guidance > 1 doubles the batch (FLUX.1's guidance is distilled: one batch)
    upcast: bool = False  # VAE config force_upcast: diffusers decodes in float32 when the VAE is float16


# Parameter counts, from the model cards and the diffusers configs (the SDXL paper's table 1 compares the UNets:
# 860 M / 865 M / 2.6 B): SD 1.5 — UNet 860 M, CLIP ViT-L/14 text 123 M, VAE 84 M; SD 2.x — UNet 865 M,
# OpenCLIP ViT-H/14 text 354 M; SDXL base 1.0 — UNet 2.567 B, CLIP ViT-L 123 M + OpenCLIP ViT-bigG 695 M;
# FLUX.1 — transformer 11.9 B ("12 B"), T5-XXL encoder 4.7 B, CLIP-L 123 M, VAE 84 M. ControlNet = a copy of the
# UNet encoder: SD 1.5 361 M (control_v11p_sd15_*), SD 2.x 365 M, SDXL 1.25 B (2.5 GB fp16 files). IP-Adapter
# layers: SD 1.5 22 M (ip-adapter_sd15.safetensors, 44 MB fp16), SDXL 349 M (ip-adapter_sdxl, ~700 MB fp16:
# to_k/to_v of 70 cross-attention layers). LoRA sizes from the common kohya/ai-toolkit files (37 MB, 218 MB, 172 MB).
# Activations (step_gb, DECODE_GB_PER_MPX), chosen so the peaks land on diffusers' memory docs and well-known
# reports: SD 1.5 512² fp16 no offload ≈ 3–4 GB; SDXL 1024² fp16 no offload ≈ 10–12 GB (here ~12.5: its VAE
# decodes in fp32); SDXL model offload ≈ 6–8 GB; sequential offload "less than 3GB" (diffusers' memory guide).
# SDXL's step is cheaper per pixel than SD 1.5's: SDXL has no attention at the top (full latent) resolution,
# where SD 1.5's attention dominates. SDPA attention (diffusers' default on torch 2) keeps it linear in pixels.
VIT_H = 632  # CLIP ViT-H/14 vision tower: h94/IP-Adapter models/image_encoder (SD 1.5)
VIT_BIGG = 1845  # OpenCLIP ViT-bigG/14 vision tower: sdxl_models/image_encoder, beside ip-adapter_sdxl.safetensors
TABLE = {
    "sd15": Params(860, (123,), 84, controlnet=361, ip_layers=22, ip_encoder=VIT_H, lora=19, step_gb=2.3, tile=512),
    "sd2": Params(865, (354,), 84, controlnet=365, ip_layers=0, ip_encoder=0, lora=25, step_gb=2.3, tile=768),
    "sdxl": Params(2567, (123, 695), 84, controlnet=1251, ip_layers=349, ip_encoder=VIT_BIGG, lora=109,
                   step_gb=0.85, tile=512, upcast=True),
    "flux": Params(11900, (4700, 123), 84, controlnet=0, ip_layers=0, ip_encoder=0, lora=86, step_gb=1.0, tile=512,
                   cfg=False),
}
DECODE_GB_PER_MPX = 2.8  # untiled VAE decode, 16-bit: ≈ 2.9 GB for 1024² (diffusers memory docs and reports)
CONTROLNET_STEP = 0.3  # a ControlNet adds its own pass and the residuals it hands the UNet: +30 % of the step
SEQUENTIAL_GB = 0.3  # sequential offload keeps one submodule (the largest: an embedding table) on the card
USABLE_SHARE, CUDA_CONTEXT_GB = 0.9, 0.5  # plan within 90 % of the card, less the CUDA context
BYTES = {"float16": 2, "bfloat16": 2, "float32": 4}
SIZES = (1024, 768, 640, 512, 384, 256)  # panel long sides to suggest when lowering the size
OFFLOAD_WORDS = {"none": "no offload", "model": "model offload", "sequential": "sequential offload"}
_PLACEMENTS = (("none", False), ("none", True), ("model", True), ("sequential", True))  # least offload first


@dataclass(frozen=True)
class Workload:
    family: str  # "sd15", "sd2", "sdxl", "flux", "other" (counted as SD 1.5)
    width: int
    height: int
    controlnet: bool = False
    ip_adapter: bool = False
    loras: int = 0  # character LoRAs loaded (their weights sit beside the UNet's)
    regional: bool = False  # an inpaint pass per character: same weights, same activations, so the same peak
    cfg: bool = True  # classifier-free guidance (guidance > 1) doubles the UNet batch
    dtype: str = "float16"  # "float16" | "bfloat16" | "float32"


@dataclass(frozen=True)
class Estimate:
    weights_gb: float  # everything resident when nothing is offloaded
    largest_gb: float  # the largest part on the card at once under model offload (UNet + ControlNet + adapters)
    denoise_gb: float  # activations during a UNet/transformer step at this size and batch
    decode_gb: float  # VAE decode at full size without tiling
    decode_tiled_gb: float  # with tiling (diffusers tiles only above the VAE's sample size)
    decode_weights_gb: float = 0.0  # on the card while decoding under model offload: the VAE and a ControlNet
    sequential_gb: float = SEQUENTIAL_GB  # weights on the card under sequential offload
    label: str = ""  # "SDXL 1024×1024 + ControlNet, 2 LoRAs"

    def peak(self, offload: str, tiling: bool) -> float:
        decode = self.decode_tiled_gb if tiling else self.decode_gb
        if offload == "none":
            return self.weights_gb + max(self.denoise_gb, decode)
        if offload == "model":
            return max(self.largest_gb + self.denoise_gb, self.decode_weights_gb + decode)
        if offload == "sequential":
            return self.sequential_gb + max(self.denoise_gb, decode)
        raise ValueError(f"unknown offload {offload!r}; use none, model or sequential")

    def describe(self) -> str:
        return f"{self.label}: ~{self.peak('none', False):.1f} GB peak (weights {self.weights_gb:.1f} GB)"


def estimate(work: Workload) -> Estimate:
    if work.dtype not in BYTES:
        raise ValueError(f"unknown dtype {work.dtype!r}; use float16, bfloat16 or float32")
    row = TABLE.get(work.family, TABLE["sd15"])
    nbytes = BYTES[work.dtype]
    scale = nbytes / 2  # the activation constants are for 16-bit

    def gb(millions: float) -> float:
        return millions * 1e6 * nbytes / 2**30

    controlnet = row.controlnet if work.controlnet else 0.0
    ip_layers, encoder = (row.ip_layers, row.ip_encoder) if work.ip_adapter and row.ip_layers else (0.0, 0.0)
    group = gb(row.denoiser + controlnet + ip_layers + max(0, work.loras) * row.lora)
    batch = 2 if work.cfg and row.cfg else 1
    mpx = work.width * work.height / 1e6
    tile_mpx = min(work.width, row.tile) * min(work.height, row.tile) / 1e6
    upcast = row.upcast and work.dtype == "float16"
    per_mpx = DECODE_GB_PER_MPX * scale * (2 if upcast else 1)
    extra = gb(row.vae) if upcast else 0.0  # the float32 copy of the VAE
    return Estimate(
        weights_gb=group + gb(sum(row.text) + row.vae + encoder),
        largest_gb=max(group, *(gb(t) for t in row.text), gb(encoder), gb(row.vae)),
        denoise_gb=row.step_gb * mpx * batch * scale * (1 + CONTROLNET_STEP if controlnet else 1),
        decode_gb=per_mpx * mpx + extra,
        decode_tiled_gb=per_mpx * tile_mpx + extra,
        decode_weights_gb=gb(row.vae + controlnet),  # diffusers keeps a ControlNet on the card until the end
        sequential_gb=SEQUENTIAL_GB * scale,
        label=_label(work),
    )


def _label(work: Workload) -> str:
    extras = [name for name, on in (("ControlNet", work.controlnet), ("IP-Adapter", work.ip_adapter),
                                    ("regional passes", work.regional)) if on]
    if work.loras:
        extras.append(f"{work.loras} LoRA" + ("s" if work.loras > 1 else ""))
    text = f"{families.family(work.family).label} {work.width}×{work.height}"
    if extras:
        text += " + " + ", ".join(extras)
    return text + (f" ({work.dtype})" if work.dtype != "float16" else "")


def usable_gb(vram_gb: float) -> float:
    """What a plan may use of a card: 90 % of it, less the CUDA context."""
    return USABLE_SHARE * vram_gb - CUDA_CONTEXT_GB


def fit(work: Workload, vram_gb: float) -> tuple[str, bool, float]:
    """(offload, vae_tiling, peak_gb): the least offload that fits the card, VAE tiling before model offload and
    with any offload (a card that needs offload is tight); sequential when nothing fits."""
    est, room = estimate(work), usable_gb(vram_gb)
    for offload, tiling in _PLACEMENTS:
        if est.peak(offload, tiling) <= room:
            return offload, tiling, est.peak(offload, tiling)
    return "sequential", True, est.peak("sequential", True)


def placement(offload: str, tiling: bool) -> str:
    return OFFLOAD_WORDS[offload] + (" + VAE tiling" if tiling else "")


def card_line(work: Workload, vram_gb: float) -> str:
    """'SDXL 1024×1024 ~12.5 GB peak → model offload + VAE tiling (~6.6 GB)' for a card of that size."""
    offload, tiling, peak = fit(work, vram_gb)
    est = estimate(work)
    tail = "" if peak <= usable_gb(vram_gb) else " — does not fit even so"
    return f"{est.label} ~{est.peak('none', False):.1f} GB peak → {placement(offload, tiling)} (~{peak:.1f} GB){tail}"


def smaller(work: Workload) -> Workload | None:
    """The workload at the next smaller usual panel long side (SIZES), None when already at the smallest."""
    long_side = max(work.width, work.height)
    side = next((s for s in SIZES if s < long_side), None)
    if side is None:
        return None
    w, h = (max(8, round(v * side / long_side / 8) * 8) for v in (work.width, work.height))
    return replace(work, width=w, height=h)


def lower_first(work: Workload, plan) -> str:
    """What to lower first after running out of memory under `plan` (a DevicePlan), in the user's words.

    Each candidate is weighed by how much it takes off the peak of that placement: a smaller panel, no ControlNet,
    no IP-Adapter. When none of them takes off a tenth of the peak (the model's own weights dominate), the next
    offload level is the only real lever."""
    offload, tiling = getattr(plan, "offload", "none"), bool(getattr(plan, "vae_tiling", False))
    if offload not in OFFLOAD_WORDS:
        offload = "none"
    peak = estimate(work).peak(offload, tiling)
    small = smaller(work)
    candidates = {
        "size": small and f"lower the panel size (--size {max(small.width, small.height)}, "
                          "Render tab › Diffusion settings › Panel long side)",
        "controlnet": work.controlnet and "turn off the ControlNet",
        "ip_adapter": work.ip_adapter and "turn off the IP-Adapter",
    }
    changed = {"size": small, "controlnet": replace(work, controlnet=False),
               "ip_adapter": replace(work, ip_adapter=False)}
    saved = {key: peak - estimate(changed[key]).peak(offload, tiling) for key, words in candidates.items() if words}
    best = max(saved, key=lambda key: saved[key], default=None)  # ties keep the first: the size
    if offload != "sequential" and (best is None or saved[best] < 0.1 * peak):
        level = "model" if offload == "none" else "sequential"
        return f"set offload to {level} (--offload {level}, Render tab › Diffusion settings › Offload)"
    return candidates[best] if best else "close other programs that use the GPU"
