"""Training settings, with defaults per base-model family."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, replace


@dataclass(frozen=True)
class TrainConfig:
    """Every default is chosen for a good likeness in under ~10 minutes on a 12 GB GPU (SD 1.5)."""

    steps: int = 500  # optimizer steps (batch of 1); 400–800 suits 3–20 pictures
    rank: int = 8  # LoRA rank: 4–16; higher learns more detail and overfits sooner
    learning_rate: float = 1e-4  # AdamW on the LoRA weights only
    resolution: int = 512  # square crops; the family default (SD 1.5: 512)
    snr_gamma: float | None = 5.0  # min-SNR loss weighting (None: plain MSE)
    train_text_encoder: bool = False  # also a LoRA on the text encoder (SD 1.5/2): stronger trigger, more memory
    prior_preservation: bool = False  # also learn class images rendered by the base model (keeps the class generic)
    prior_weight: float = 1.0
    class_images: int = 50  # how many class images to render for prior preservation
    flip: bool = True  # random horizontal flips (from the cache: both sides are encoded once)
    cache: bool = True  # encode images (VAE) and captions (text encoder) once, before the loop
    gradient_checkpointing: bool = True  # on GPU: trade time for memory
    mixed_precision: str = "auto"  # "auto": bf16 (else fp16) autocast on a GPU; "no": full precision; CPU: fp32
    checkpoint_every: int = 100  # save a resumable checkpoint every N steps
    preview_every: int = 100  # render a preview every N steps (0: never)
    seed: int = 0

    def check(self) -> None:
        if not 1 <= self.steps <= 20_000:
            raise ValueError(f"steps must be between 1 and 20000, got {self.steps}")
        if not 1 <= self.rank <= 128:
            raise ValueError(f"rank must be between 1 and 128, got {self.rank}")
        if not 0 < self.learning_rate < 1:
            raise ValueError(f"learning rate must be between 0 and 1, got {self.learning_rate}")
        if self.resolution % 8 or not 64 <= self.resolution <= 2048:
            raise ValueError(f"resolution must be a multiple of 8 between 64 and 2048, got {self.resolution}")

    def fingerprint(self, image_hashes: list[str], base: str) -> str:
        """What a checkpoint must match to be resumed: same pictures, base model and shape of the adapter."""
        data = {"images": sorted(image_hashes), "base": base, "rank": self.rank, "resolution": self.resolution,
                "lr": self.learning_rate, "prior": self.prior_preservation, "seed": self.seed}
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]

    def to_json(self) -> dict:
        return asdict(self)


FAMILY_DEFAULTS = {
    "sd15": TrainConfig(),
    "sd2": TrainConfig(resolution=768),
    "sdxl": TrainConfig(resolution=1024, rank=16, steps=600),
}


def for_family(family: str, **overrides) -> TrainConfig:
    config = replace(FAMILY_DEFAULTS.get(family, TrainConfig()), **{k: v for k, v in overrides.items()
                                                                    if v is not None})
    config.check()
    return config
