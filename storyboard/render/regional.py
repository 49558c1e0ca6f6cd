"""Regional prompts: each character's words attend only inside their region of the frame, with no extra model.

While a `RegionalPrompts` block is open, every cross-attention layer of the pipeline's UNet runs its own
processor once for the whole prompt and once per region with that region's prompt, and blends the results by
the region's mask at the layer's resolution. So from the first denoising step each character's description is
laid down where the blueprint puts them, and a later repaint of that region finds them there (a repaint with no
such control could land on background). The wrapped processors are the pipeline's own (plain, IP-Adapter …),
so every other option keeps working; leaving the block puts them back.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Region:
    mask: object  # PIL "L" image at the panel size, white where the region is
    prompt: str


def supported(pipe) -> str | None:
    """None when regional prompts can run on this pipeline, else why not (one line)."""
    unet = getattr(pipe, "unet", None)
    if unet is None or not hasattr(unet, "attn_processors"):
        return "the model has no UNet cross-attention to steer"
    if not hasattr(pipe, "encode_prompt"):
        return "the pipeline cannot encode a prompt per region"
    if not any(_is_cross(name) for name in unet.attn_processors):
        return "the model's UNet has no cross-attention layers"
    return None


def _is_cross(name: str) -> bool:
    return name.endswith("attn2.processor")


class RegionalPrompts:
    """`with RegionalPrompts(pipe, regions, negative, size, cfg): pipe(...)` — the regions steer that call."""

    def __init__(self, pipe, regions: list[Region], negative: str, size: tuple[int, int], cfg: bool) -> None:
        self.pipe, self.regions, self.negative, self.size, self.cfg = pipe, regions, negative, size, cfg
        self._saved: dict | None = None
        self._texts: list = []
        self._masks: dict[int, list] = {}
        self._latent: tuple[int, int] = (0, 0)
        self._grid_masks: list = []

    def __enter__(self) -> RegionalPrompts:
        import numpy as np
        import torch

        pipe = self.pipe
        device = pipe._execution_device
        for region in self.regions:
            positive, negative = pipe.encode_prompt(prompt=region.prompt, device=device, num_images_per_prompt=1,
                                                    do_classifier_free_guidance=self.cfg,
                                                    negative_prompt=self.negative)[:2]
            self._texts.append((positive, negative))
        scale = getattr(pipe, "vae_scale_factor", 8)
        width, height = self.size
        self._latent = (height // scale, width // scale)
        self._grid_masks = [torch.from_numpy(np.asarray(r.mask.resize((width, height)), dtype=np.float32) / 255.0)
                            for r in self.regions]
        unet = pipe.unet
        self._saved = dict(unet.attn_processors)
        unet.set_attn_processor({name: _RegionalProcessor(proc, self) if _is_cross(name) else proc
                                 for name, proc in self._saved.items()})
        return self

    def __exit__(self, *exc) -> None:
        if self._saved is not None:
            self.pipe.unet.set_attn_processor(self._saved)
            self._saved = None

    # -- used by the processors ----------------------------------------------------------
    def masks(self, tokens: int, like) -> list | None:
        """Each region's mask as a (1, tokens, 1) tensor for a layer with `tokens` positions (None: no grid)."""
        if tokens not in self._masks:
            self._masks[tokens] = self._at(tokens)
        found = self._masks[tokens]
        return None if found is None else [m.to(device=like.device, dtype=like.dtype) for m in found]

    def _at(self, tokens: int) -> list | None:
        import torch.nn.functional as F

        lat_h, lat_w = self._latent
        for factor in (1, 2, 4, 8, 16, 32, 64):
            h, w = math.ceil(lat_h / factor), math.ceil(lat_w / factor)
            if h * w == tokens:
                return [F.interpolate(m[None, None], size=(h, w), mode="area").reshape(1, tokens, 1)
                        for m in self._grid_masks]
        return None

    def text(self, index: int, like):
        """Region `index`'s text embedding laid out like the pipeline's batch (negatives first under CFG)."""
        import torch

        positive, negative = self._texts[index]
        batch = like.shape[0]
        if self.cfg and negative is not None and batch == 2 * positive.shape[0]:
            out = torch.cat([negative, positive])
        elif batch == positive.shape[0]:
            out = positive
        else:
            return None
        return out.to(device=like.device, dtype=like.dtype)


class _RegionalProcessor:
    """The layer's own processor, run for the whole prompt and for each region, blended by the regions' masks."""

    def __init__(self, inner, owner: RegionalPrompts) -> None:
        self.inner, self.owner = inner, owner

    def __call__(self, attn, hidden_states, encoder_hidden_states=None, attention_mask=None, temb=None):
        base = self.inner(attn, hidden_states, encoder_hidden_states=encoder_hidden_states,
                          attention_mask=attention_mask, temb=temb)
        if encoder_hidden_states is None or hidden_states.ndim != 3:
            return base
        extra = ()
        text = encoder_hidden_states
        if isinstance(text, tuple):  # (text, image embeddings) when an IP-Adapter is loaded
            text, extra = text[0], tuple(text[1:])
        masks = self.owner.masks(hidden_states.shape[1], base)
        if masks is None:
            return base
        out = base
        for index, mask in enumerate(masks):
            region_text = self.owner.text(index, text)
            if region_text is None or region_text.shape[1:] != text.shape[1:]:
                continue
            states = (region_text, *extra) if extra else region_text
            region = self.inner(attn, hidden_states, encoder_hidden_states=states, attention_mask=attention_mask,
                                temb=temb)
            out = out + mask * (region - out)
        return out
