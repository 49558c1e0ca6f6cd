"""The LoRA trainer: the diffusers + peft DreamBooth recipe, reporting through callbacks.

1. freeze the base model; add a LoRA (rank r) on the UNet attention (to_q, to_k, to_v, to_out.0);
2. encode every crop with the VAE and every caption with the text encoder once (the cache);
3. optionally render class images with the base model for prior preservation;
4. loop: noise a cached latent at a random timestep, predict, min-SNR-weighted MSE, AdamW step;
   progress with loss and ETA; a preview every N steps; a resumable checkpoint every N steps;
5. save the adapter atomically in the diffusers LoRA format (loads with plain `load_lora_weights`).
Cancel checks between steps: it saves a checkpoint to resume from and never writes a half adapter.
"""

from __future__ import annotations

import math
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Cancelled, StoryboardError
from ..progress import CancelToken
from ..versions import PEFT_RANGE, require, require_text_encoder_lora
from .checkpoint import ADAPTER, load_checkpoint, save_checkpoint
from .config import TrainConfig

TARGETS = ["to_q", "to_k", "to_v", "to_out.0"]  # the LoRA's modules in the UNet
TEXT_TARGETS = ["q_proj", "k_proj", "v_proj", "out_proj"]


class TrainingError(StoryboardError):
    """Training cannot start or go on; the message says why."""


@dataclass
class Report:
    step: int
    steps: int
    loss: float
    eta_s: float


@dataclass
class Callbacks:
    progress: Callable[[Report], None] = lambda report: None
    preview: Callable[[int, object], None] = lambda step, image: None  # (step, PIL image)


@dataclass
class Result:
    adapter: Path
    steps: int
    losses: list[float] = field(default_factory=list)
    resumed_from: int = 0


def family_of(pipe) -> str:
    name = type(pipe).__name__
    if "XL" in name:
        return "sdxl"
    return "sd2" if getattr(pipe.unet.config, "cross_attention_dim", 768) == 1024 else "sd15"


class LoraTrainer:
    def __init__(self, pipe, config: TrainConfig, callbacks: Callbacks | None = None) -> None:
        self.family = family_of(pipe)
        if config.train_text_encoder and self.family == "sdxl":
            raise TrainingError("text-encoder training is for SD 1.5/2 models; on SDXL train the UNet LoRA only")
        require("peft", PEFT_RANGE, "training a character LoRA")
        if config.train_text_encoder:
            require_text_encoder_lora()
        self.pipe, self.config = pipe, config
        self.callbacks = callbacks or Callbacks()
        self._prepared = False
        self._autocast = None

    # -- public ------------------------------------------------------------------------
    def train(self, images: list, captions: list[str], out_file: Path, fingerprint: str, *,
              cancel: CancelToken | None = None, class_prompt: str = "") -> Result:
        import torch

        config, pipe = self.config, self.pipe
        if len(images) != len(captions) or not images:
            raise TrainingError("every picture needs a caption")
        device = pipe.unet.device
        checkpoint_dir = out_file.parent / "checkpoint"
        torch.manual_seed(config.seed)
        # 1. the adapter on a frozen base
        self.prepare()
        params = [p for model in self._adapted() for p in model.parameters() if p.requires_grad]
        optimizer = _optimizer(params, config.learning_rate, device)
        # 2. the cache
        examples = _Examples(self, images, captions, config.cache)
        prior = self._class_batch(class_prompt) if config.prior_preservation and class_prompt else None
        # 3. resume where a matching checkpoint left off
        start, losses = load_checkpoint(checkpoint_dir, fingerprint, self._models_by_prefix(), params, optimizer)
        scheduler = _noise_scheduler(pipe)
        if config.gradient_checkpointing and device.type == "cuda":
            pipe.unet.enable_gradient_checkpointing()
        self._autocast = _autocast(device, config.mixed_precision, params)
        pipe.unet.train()
        generator = torch.Generator("cpu").manual_seed(config.seed + start)
        started = time.perf_counter()
        try:
            for step in range(start, config.steps):
                if cancel is not None and cancel.cancelled:
                    save_checkpoint(checkpoint_dir, fingerprint, step, self.lora_state(), params, optimizer, losses)
                    raise Cancelled(f"training cancelled at step {step}; train again to resume from there")
                loss = self._step(examples, prior, scheduler, optimizer, params, generator)
                losses.append(loss)
                done = step + 1
                rate = (time.perf_counter() - started) / (done - start)
                self.callbacks.progress(Report(done, config.steps, loss, rate * (config.steps - done)))
                if config.checkpoint_every and done % config.checkpoint_every == 0 and done < config.steps:
                    save_checkpoint(checkpoint_dir, fingerprint, done, self.lora_state(), params, optimizer, losses)
                if config.preview_every and done % config.preview_every == 0:
                    self.callbacks.preview(done, self.sample(captions[0]))
        finally:
            pipe.unet.eval()
        # 4. the adapter, written whole or not at all
        self._save(out_file)
        shutil.rmtree(checkpoint_dir, ignore_errors=True)
        return Result(out_file, config.steps, losses, start)

    def prepare(self) -> None:
        """Freeze the base model and add a fresh adapter (train() calls it; call it first to measure)."""
        if self._prepared:
            return
        for part in (self.pipe.unet, self.pipe.vae, self.pipe.text_encoder, getattr(self.pipe, "text_encoder_2", None)):
            if part is not None:
                part.requires_grad_(False)
        self._add_adapter()
        self._prepared = True

    def release(self) -> None:
        """Take the training adapters off the pipeline (they are saved to a file by then)."""
        for model in self._adapted():
            if ADAPTER in (getattr(model, "peft_config", None) or {}):
                _delete_adapter(model)
        self._prepared = False

    def _adapted(self) -> list:
        """The models that carry a training adapter: the UNet, and the text encoder when it trains too."""
        return [self.pipe.unet] + ([self.pipe.text_encoder] if self.config.train_text_encoder else [])

    def sample(self, prompt: str, seed: int = 0, steps: int = 20):
        """An image with the adapter as it is now."""
        import torch

        with torch.no_grad():
            return self.pipe(prompt, num_inference_steps=steps, height=self.config.resolution,
                             width=self.config.resolution, generator=torch.Generator("cpu").manual_seed(seed)).images[0]

    def validation_loss(self, images: list, captions: list[str], seed: int = 0, samples: int = 16) -> float:
        """The denoising loss on fixed noise and timesteps: comparable before and after training."""
        import torch

        scheduler = _noise_scheduler(self.pipe)
        latents, embeds = self._encode_images(images), self._encode_text(captions)
        generator = torch.Generator("cpu").manual_seed(seed)
        unet, total = self.pipe.unet, 0.0
        with torch.no_grad():
            for k in range(samples):
                i = k % len(latents)
                x0 = _sample_latent(latents[i][:1], scheduler, generator).to(unet.device, unet.dtype)
                noise = torch.randn(x0.shape, generator=generator).to(x0.device, x0.dtype)
                t = torch.randint(0, scheduler.config.num_train_timesteps, (1,), generator=generator).to(x0.device)
                hidden, extra = self._unet_inputs(_pick(embeds, i), 1, unet.dtype)
                prediction = unet(scheduler.add_noise(x0, noise, t), t, hidden, added_cond_kwargs=extra).sample
                total += float(((prediction.float() - noise.float()) ** 2).mean())
        return total / samples

    # -- steps -------------------------------------------------------------------------
    def _add_adapter(self) -> None:
        from peft import LoraConfig

        unet = self.pipe.unet
        if ADAPTER in (getattr(unet, "peft_config", None) or {}):
            unet.delete_adapters(ADAPTER)
        unet.add_adapter(LoraConfig(r=self.config.rank, lora_alpha=self.config.rank, init_lora_weights="gaussian",
                                    target_modules=TARGETS), adapter_name=ADAPTER)
        unet.set_adapters(ADAPTER)
        unet.enable_adapters()  # a render may have switched LoRA layers off (ModelManager.activate({}))
        for name, param in unet.named_parameters():
            param.requires_grad_("lora_" in name)
        if self.config.train_text_encoder:
            encoder = self.pipe.text_encoder
            if ADAPTER in (getattr(encoder, "peft_config", None) or {}):
                _delete_adapter(encoder)
            encoder.add_adapter(LoraConfig(r=self.config.rank, lora_alpha=self.config.rank,
                                           init_lora_weights="gaussian",
                                           target_modules=TEXT_TARGETS), adapter_name=ADAPTER)
            encoder.enable_adapters()
            for name, param in encoder.named_parameters():
                param.requires_grad_("lora_" in name)

    def _encode_images(self, images):
        import numpy as np
        import torch

        vae, res = self.pipe.vae, self.config.resolution
        out = []
        with torch.no_grad():
            for image in images:
                pixels = np.asarray(image.convert("RGB").resize((res, res)), dtype=np.float32) / 127.5 - 1.0
                tensor = torch.from_numpy(pixels).permute(2, 0, 1)[None].to(vae.device, vae.dtype)
                both = torch.cat([tensor, torch.flip(tensor, dims=[3])]) if self.config.flip else tensor
                dist = vae.encode(both).latent_dist
                out.append(torch.cat([dist.mean, dist.std], dim=1))
        return out

    def _encode_text(self, captions: list[str], grad: bool = False) -> dict:
        """Conditioning per caption: {"hidden": …} (and "pooled" for SDXL's second encoder)."""
        import contextlib

        import torch

        pipe = self.pipe
        with contextlib.nullcontext() if grad else torch.no_grad():
            if self.family != "sdxl":
                return {"hidden": pipe.text_encoder(_ids(pipe.tokenizer, captions, pipe.text_encoder.device))[0]}
            first = pipe.text_encoder(_ids(pipe.tokenizer, captions, pipe.text_encoder.device),
                                      output_hidden_states=True)
            second = pipe.text_encoder_2(_ids(pipe.tokenizer_2, captions, pipe.text_encoder_2.device),
                                         output_hidden_states=True)
            hidden = torch.cat([first.hidden_states[-2], second.hidden_states[-2]], dim=-1)
            return {"hidden": hidden, "pooled": second.text_embeds}

    def _unet_inputs(self, cond: dict, batch: int, dtype) -> tuple:
        """(encoder hidden states, added_cond_kwargs) for the UNet; SDXL adds pooled text and size ids."""
        import torch

        hidden = cond["hidden"].to(self.pipe.unet.device, dtype)
        if self.family != "sdxl":
            return hidden, None
        res = self.config.resolution
        time_ids = torch.tensor([[res, res, 0, 0, res, res]] * batch, dtype=dtype, device=hidden.device)
        return hidden, {"text_embeds": cond["pooled"].to(hidden.device, dtype), "time_ids": time_ids}

    def _class_batch(self, class_prompt: str):
        """Class images rendered by the base model (no adapter), cached like the pictures."""
        import torch

        unet = self.pipe.unet
        unet.disable_adapters()
        try:
            images = [self.sample(class_prompt, seed=1000 + i) for i in range(self.config.class_images)]
        finally:
            unet.enable_adapters()
        with torch.no_grad():
            return self._encode_images(images), self._encode_text([class_prompt])

    def _step(self, examples: _Examples, prior, scheduler, optimizer, params, generator) -> float:
        import torch

        config, unet = self.config, self.pipe.unet
        i = int(torch.randint(len(examples), (1,), generator=generator))
        moments = examples.latent(i)  # (flips, mean and std)
        flip = int(torch.randint(moments.shape[0], (1,), generator=generator))
        batch = [_sample_latent(moments[flip:flip + 1], scheduler, generator)]
        conds = [examples.embed(i)]
        if prior is not None:
            class_latents, class_embeds = prior
            j = int(torch.randint(len(class_latents), (1,), generator=generator))
            batch.append(_sample_latent(class_latents[j][:1], scheduler, generator))
            conds.append(_pick(class_embeds, 0))
        x0 = torch.cat(batch).to(unet.device, unet.dtype)
        noise = torch.randn(x0.shape, generator=generator).to(x0.device, x0.dtype)
        t = torch.randint(0, scheduler.config.num_train_timesteps, (x0.shape[0],), generator=generator).to(x0.device)
        noisy = scheduler.add_noise(x0, noise, t)
        cond = {key: torch.cat([c[key] for c in conds]) for key in conds[0]}
        hidden, extra = self._unet_inputs(cond, x0.shape[0], unet.dtype)
        with self._autocast():
            prediction = unet(noisy, t, hidden, added_cond_kwargs=extra).sample
        target = scheduler.get_velocity(x0, noise, t) if scheduler.config.prediction_type == "v_prediction" else noise
        per_sample = ((prediction.float() - target.float()) ** 2).mean(dim=(1, 2, 3))
        if config.snr_gamma:
            from diffusers.training_utils import compute_snr

            snr = compute_snr(scheduler, t)
            weights = torch.clamp(snr, max=config.snr_gamma) / (
                snr + 1 if scheduler.config.prediction_type == "v_prediction" else snr)
            per_sample = per_sample * weights
        loss = per_sample[0] + (config.prior_weight * per_sample[1] if prior is not None else 0)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        return float(loss.detach())

    # -- files -------------------------------------------------------------------------
    def lora_state(self) -> dict:
        """The adapter weights (peft layout), prefixed "unet." / "text_encoder."."""
        from peft.utils import get_peft_model_state_dict

        out = {f"unet.{k}": v for k, v in get_peft_model_state_dict(self.pipe.unet, adapter_name=ADAPTER).items()}
        if self.config.train_text_encoder:
            out.update({f"text_encoder.{k}": v for k, v in
                        get_peft_model_state_dict(self.pipe.text_encoder, adapter_name=ADAPTER).items()})
        return out

    def _models_by_prefix(self) -> dict:
        return {"unet.": self.pipe.unet, "text_encoder.": self.pipe.text_encoder}

    def _part(self, prefix: str) -> dict:
        return {k[len(prefix):]: v for k, v in self.lora_state().items() if k.startswith(prefix)}

    def _save(self, out_file: Path) -> None:
        """Write the adapter in the diffusers LoRA format: to a temp folder, then rename into place."""
        from diffusers.utils import convert_state_dict_to_diffusers

        out_file.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".save-", dir=out_file.parent))
        layers = {"unet_lora_layers": convert_state_dict_to_diffusers(self._part("unet."))}
        if self.config.train_text_encoder:
            layers["text_encoder_lora_layers"] = convert_state_dict_to_diffusers(self._part("text_encoder."))
        try:
            type(self.pipe).save_lora_weights(str(tmp), weight_name=out_file.name, safe_serialization=True, **layers)
            os.replace(tmp / out_file.name, out_file)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

class _Examples:
    """Each picture's latent moments and caption embedding: encoded once (the cache) or at every use."""

    def __init__(self, trainer: LoraTrainer, images: list, captions: list[str], cache: bool) -> None:
        self.trainer, self.images, self.captions, self.cache = trainer, images, captions, cache
        # a text encoder that learns cannot be cached: its output changes every step
        self.text_cache = cache and not trainer.config.train_text_encoder
        if cache:
            self._latents = trainer._encode_images(images)
        if self.text_cache:
            self._embeds = trainer._encode_text(captions)

    def __len__(self) -> int:
        return len(self.images)

    def latent(self, i: int):
        return self._latents[i] if self.cache else self.trainer._encode_images([self.images[i]])[0]

    def embed(self, i: int) -> dict:
        if self.text_cache:
            return _pick(self._embeds, i)
        return self.trainer._encode_text([self.captions[i]], grad=self.trainer.config.train_text_encoder)


def _delete_adapter(model) -> None:
    """diffusers models call it delete_adapters, transformers models delete_adapter."""
    remove = getattr(model, "delete_adapters", None) or model.delete_adapter
    remove(ADAPTER)


def _pick(cond: dict, i: int) -> dict:
    return {key: value[i:i + 1] for key, value in cond.items()}


def _ids(tokenizer, captions: list[str], device):
    return tokenizer(captions, padding="max_length", max_length=tokenizer.model_max_length, truncation=True,
                     return_tensors="pt").input_ids.to(device)


def _sample_latent(moments, scheduler, generator):
    import torch

    mean, std = moments.chunk(2, dim=1)
    sample = mean + std * torch.randn(mean.shape, generator=generator).to(mean.device, mean.dtype)
    return sample * getattr(scheduler, "_vae_scale", 0.18215)


def _noise_scheduler(pipe):
    from diffusers import DDPMScheduler

    scheduler = DDPMScheduler.from_config(pipe.scheduler.config)
    scheduler._vae_scale = getattr(pipe.vae.config, "scaling_factor", 0.18215)
    return scheduler


def _autocast(device, mixed_precision: str, params):
    """Mixed precision on a GPU: the LoRA weights stay float32, the forward pass runs in fp16/bf16."""
    import contextlib

    import torch

    if device.type != "cuda" or mixed_precision == "no":
        return contextlib.nullcontext
    for param in params:
        param.data = param.data.float()  # train the adapter in full precision over a half-precision base
    dtype = torch.bfloat16 if (mixed_precision == "bf16" or (mixed_precision == "auto"
                                                              and torch.cuda.is_bf16_supported())) else torch.float16
    return lambda: torch.autocast(device_type="cuda", dtype=dtype)


def _optimizer(params, lr: float, device):
    """AdamW; the 8-bit one from bitsandbytes on CUDA when it is installed."""
    import importlib.util

    import torch

    if device.type == "cuda" and importlib.util.find_spec("bitsandbytes") is not None:
        import bitsandbytes as bnb

        return bnb.optim.AdamW8bit(params, lr=lr)
    return torch.optim.AdamW(params, lr=lr, weight_decay=1e-2)


def estimate_minutes(steps: int, seconds_per_step: float) -> float:
    return math.ceil(steps * seconds_per_step / 6) / 10
