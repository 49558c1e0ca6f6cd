"""Finding and loading diffusion models, one pipeline at a time.

A model is a Hugging Face hub id (downloaded into the standard HF cache), a
local diffusers folder, or a single .safetensors checkpoint. `ModelManager`
keeps one loaded pipeline: it loads once and reuses it for every panel; a
switch loads the new model first and frees the old one only when that worked,
so a failed switch leaves the old model in service. Character LoRAs stay
loaded as named adapters; per panel only the wanted ones are switched on.
"""

from __future__ import annotations

import gc
import logging
import os
import threading
from dataclasses import dataclass, field, replace
from pathlib import Path

from .. import paths
from ..errors import RenderError
from ..versions import PEFT_RANGE, require
from . import families, memory
from .device import DevicePlan, detect, plan_device

log = logging.getLogger(__name__)

DEFAULT_MODEL = "stable-diffusion-v1-5/stable-diffusion-v1-5"
MODEL_ENV = "STORYBOARD_MODEL"
TILE = 512  # VAE tile side in pixels when tiling (diffusers' default for SDXL-size VAEs is their full 1024)
PICKLE_SUFFIXES = (".ckpt", ".bin", ".pt", ".pth", ".pkl")
SINGLE_FILE_CLASSES = {"sd15": "StableDiffusionPipeline", "sd2": "StableDiffusionPipeline",
                       "sdxl": "StableDiffusionXLPipeline", "flux": "FluxPipeline"}


class ModelError(RenderError):
    """A model cannot be found or loaded; the message says what to do."""


def chosen_model(explicit: str | None = None) -> str:
    """--model / the UI setting, else $STORYBOARD_MODEL, else the default SD 1.5 model."""
    return (explicit or "").strip() or os.environ.get(MODEL_ENV, "").strip() or DEFAULT_MODEL


@dataclass(frozen=True)
class ModelSource:
    kind: str  # "folder", "file" or "hub"
    ref: str
    revision: str | None = None
    config: str | None = None  # for a single file: a diffusers folder or hub id holding the component configs

    @classmethod
    def parse(cls, ref: str, revision: str | None = None, config: str | None = None) -> ModelSource:
        ref = ref.strip()
        path = Path(ref).expanduser()
        if ref.lower().endswith(PICKLE_SUFFIXES):
            raise ModelError(f"{path.name}: only .safetensors model files are loaded (pickle files can run code); "
                             "convert it or use a diffusers folder")
        if ref.lower().endswith(".safetensors"):
            if not path.is_file():
                raise ModelError(f"model file not found: {path}")
            return cls("file", str(path.resolve()), config=config or None)
        if path.is_dir():
            if not (path / "model_index.json").is_file():
                raise ModelError(f"{path} is not a diffusers model folder (it has no model_index.json)")
            return cls("folder", str(path.resolve()))
        kind = paths.missing_path_or_hub_id(ref)
        if kind == "path":
            raise ModelError(f"model folder not found: {path}")
        if kind != "hub":
            raise ModelError(f"{ref!r} is neither a model folder, a .safetensors file, nor a hub id like owner/name")
        return cls("hub", ref, revision)


def cached_models() -> list[str]:
    """Diffusion pipelines in the Hugging Face cache (repos with a model_index.json)."""
    try:
        from huggingface_hub import scan_cache_dir

        info = scan_cache_dir()
    except Exception:  # no cache yet, or unreadable: nothing cached
        return []
    out = []
    for repo in info.repos:
        if repo.repo_type == "model" and any(
            f.file_name == "model_index.json" for rev in repo.revisions for f in rev.files
        ):
            out.append(repo.repo_id)
    return sorted(out)


@dataclass
class Loaded:
    source: ModelSource
    pipe: object
    plan: DevicePlan
    revision: str = ""
    adapters: dict[str, str] = field(default_factory=dict)  # adapter name → file it came from
    ip_adapter: str = ""  # the IP-Adapter file loaded, if any


class ModelManager:
    """One loaded pipeline, reused for every panel; adapters loaded once each."""

    def __init__(self, device: str = "auto", dtype: str = "auto") -> None:
        """`device`: auto, cuda, mps or cpu; `dtype`: auto (CUDA fp16/bf16, MPS fp16, CPU fp32), float16,
        bfloat16 or float32 (bfloat16 halves a CPU render's memory, e.g. for the full-size benchmark)."""
        self.device, self.dtype = device, dtype
        self._loaded: Loaded | None = None
        self._lock = threading.RLock()

    @property
    def loaded(self) -> Loaded | None:
        return self._loaded

    def get(self, ref: str, revision: str | None = None, config: str | None = None,
            work: memory.Workload | None = None, offload: str = "auto") -> Loaded:
        """The pipeline for `ref`, loading it (and freeing the previous one) when it changes.

        `work` (its family is filled in from the pipeline) sizes the memory plan: offload and VAE tiling are
        chosen so the estimate fits the card, and changed when a later render needs more (or less)."""
        source = ModelSource.parse(ref, revision, config)
        with self._lock:
            facts = detect()
            if self._loaded is not None and self._loaded.source == source:
                self._replan(facts, work, offload)
                return self._loaded
            plan = plan_device(facts, self.device, self.dtype, offload=offload)
            pipe, resolved = _load(source, plan)  # raises ModelError; the old model stays loaded
            old, self._loaded = self._loaded, None
            _free(old)
            if work is not None:
                plan = plan_device(facts, self.device, self.dtype, work=replace(work, family=families.of_pipe(pipe)),
                                   offload=offload)
            _place(pipe, plan)
            self._loaded = Loaded(source, pipe, plan, resolved)
            return self._loaded

    def _replan(self, facts, work: memory.Workload | None, offload: str) -> None:
        """Place the loaded pipeline again when this render's workload needs another offload or tiling."""
        loaded = self._loaded
        if work is None:
            return
        plan = plan_device(facts, self.device, self.dtype, work=replace(work, family=families.of_pipe(loaded.pipe)),
                           offload=offload)
        if (plan.offload, plan.vae_tiling) != (loaded.plan.offload, loaded.plan.vae_tiling):
            if loaded.plan.offload != "none":
                loaded.pipe.remove_all_hooks()
            _place(loaded.pipe, plan)
        loaded.plan = plan

    def unload(self) -> None:
        with self._lock:
            old, self._loaded = self._loaded, None
            _free(old)

    # -- adapters -------------------------------------------------------------------
    def ensure_adapter(self, name: str, path: str | Path, roots: list[Path] | None = None) -> None:
        """Load a LoRA once under `name` (.safetensors only; the diffusers, kohya and civitai formats).

        With `roots`, the file (links resolved) must lie inside one of them: a project's
        LoRA is loaded only from the project's own folders.
        """
        loaded = self._require()
        path = Path(path)
        if path.suffix.lower() != ".safetensors":
            raise ModelError(f"{path.name}: LoRA files are loaded only as .safetensors (pickle files can run code)")
        if roots is not None:
            inside = next((p for p in (paths.within(root, path) for root in roots) if p is not None), None)
            if inside is None:
                raise ModelError(f"LoRA file {str(path)!r} is not inside the project folder; import it first")
            path = inside
        if loaded.adapters.get(name) == str(path):
            return
        if not path.is_file():
            raise ModelError(f"LoRA file not found: {path}")
        require("peft", PEFT_RANGE, "character LoRAs in panels")
        if name in loaded.adapters:  # same name, new file: replace it
            loaded.pipe.delete_adapters([name])
        try:
            loaded.pipe.load_lora_weights(str(path.parent), weight_name=path.name, adapter_name=name)
        except (ValueError, KeyError, OSError, RuntimeError) as err:
            raise ModelError(f"{path.name} is not a LoRA this model can use: {err}") from None
        loaded.adapters[name] = str(path)

    def forget_adapter_file(self, path: str | Path) -> None:
        """A LoRA file was rewritten (retrained): drop the loaded copy so the next panel loads the new one."""
        loaded = self._loaded
        if loaded is None:
            return
        target = _resolved(path)
        stale = [name for name, file in loaded.adapters.items() if _resolved(file) == target]
        if stale:
            loaded.pipe.delete_adapters(stale)
            for name in stale:
                loaded.adapters.pop(name)

    def ensure_ip_adapter(self, path: str | Path) -> None:
        """Load an IP-Adapter once (.safetensors, with its image_encoder folder beside it).

        Loading one resets which LoRA adapters are active: callers `activate` them again afterwards.
        """
        loaded = self._require()
        path = Path(path)
        if loaded.ip_adapter == str(path):
            return
        if path.suffix.lower() != ".safetensors":
            raise ModelError(f"{path.name}: IP-Adapters are loaded only as .safetensors (pickle files can run code)")
        if not path.is_file() or not (path.parent / "image_encoder").is_dir():
            raise ModelError(f"IP-Adapter not found: {path} (with an image_encoder folder beside it)")
        if loaded.ip_adapter:
            loaded.pipe.unload_ip_adapter()
        try:
            loaded.pipe.load_ip_adapter(str(path.parent), subfolder="", weight_name=path.name,
                                        image_encoder_folder="image_encoder")
        except (ValueError, KeyError, OSError, RuntimeError) as err:
            raise ModelError(f"{path.name} is not an IP-Adapter this model can use: {err}") from None
        loaded.ip_adapter = str(path)

    def drop_ip_adapter(self) -> None:
        """Unload the IP-Adapter, if one is loaded (a pipeline with one cannot run without a reference image)."""
        loaded = self._require()
        if loaded.ip_adapter:
            loaded.pipe.unload_ip_adapter()
            loaded.ip_adapter = ""

    def activate(self, weights: dict[str, float]) -> None:
        """Switch on exactly these adapters (name → weight); none → the base model alone."""
        loaded = self._require()
        if not loaded.adapters:
            return
        if not weights:
            loaded.pipe.disable_lora()
            return
        loaded.pipe.enable_lora()
        loaded.pipe.set_adapters(list(weights), adapter_weights=list(weights.values()))

    def _require(self) -> Loaded:
        if self._loaded is None:
            raise RenderError("no model is loaded")
        return self._loaded


def _resolved(path: str | Path) -> str:
    """`path` with links resolved (adapters are recorded by their resolved file)."""
    try:
        return str(Path(path).resolve())
    except (OSError, RuntimeError, ValueError):
        return str(path)


def _torch_dtype(name: str):
    import torch

    return {"float16": torch.float16, "bfloat16": torch.bfloat16, "float32": torch.float32}[name]


def _load(source: ModelSource, plan: DevicePlan):
    """Load a pipeline on the CPU (placed on the device later); returns (pipe, revision)."""
    from diffusers import DiffusionPipeline

    dtype = _torch_dtype(plan.dtype)
    try:
        if source.kind == "file":
            pipe = _from_single_file(source.ref, dtype, source.config)
            revision = ""
        else:
            offline = os.environ.get("HF_HUB_OFFLINE", "") not in ("", "0", "false", "False")
            pipe = DiffusionPipeline.from_pretrained(
                source.ref, dtype=dtype, revision=source.revision, local_files_only=offline,
                use_safetensors=True,
            )
            revision = getattr(pipe.config, "_commit_hash", None) or source.revision or ""
    except ModelError:
        raise
    except (OSError, ValueError) as err:
        raise ModelError(_explain(source, err)) from None
    pipe.set_progress_bar_config(disable=True)
    return pipe, revision


def _from_single_file(path: str, dtype, config: str | None):
    """An original-layout checkpoint (SD 1.x/2.x, SDXL or FLUX; the family from its tensor names, never from
    loading it twice); configs from `config` or diffusers' defaults for the family."""
    import diffusers

    from . import families

    kind = families.of_ref(path)
    if kind not in SINGLE_FILE_CLASSES:
        raise ModelError(f"{Path(path).name}: single-file checkpoints are read for SD 1.5/2.x, SDXL and FLUX models; "
                         "use this model's diffusers folder instead")
    cls = getattr(diffusers, SINGLE_FILE_CLASSES[kind])
    local = config is not None and Path(config).is_dir()
    return cls.from_single_file(path, dtype=dtype, config=config, local_files_only=local)


def _explain(source: ModelSource, err: Exception) -> str:
    """What to do, in the user's words: the library's own message (its arguments, its advice) goes to the log."""
    text = str(err).splitlines()[0] if str(err) else err.__class__.__name__
    log.warning("loading %s failed: %s", source.ref, err)
    if source.kind == "hub":
        return (f"model {source.ref!r} is not on this machine and could not be downloaded. Download it once with a "
                f"network (`huggingface-cli download {source.ref}`), or give the Model setting (`--model` on the "
                "command line) a local diffusers folder or .safetensors file. The sketch renderer keeps working.")
    return f"could not load {source.ref}: {text}"


def _place(pipe, plan: DevicePlan) -> None:
    """Move the pipeline to its device, with offload and VAE tiling/slicing when memory is small."""
    if plan.offload == "model":
        pipe.enable_model_cpu_offload()
    elif plan.offload == "sequential":
        pipe.enable_sequential_cpu_offload()
    else:
        pipe.to(plan.device)
    vae = getattr(pipe, "vae", None)
    if vae is None or not hasattr(vae, "enable_tiling"):
        return
    if plan.vae_tiling:
        vae.enable_tiling()
        if getattr(vae, "tile_sample_min_size", 0) > TILE:  # SDXL/FLUX VAEs would tile only above 1024 px
            down = 2 ** (len(vae.config.block_out_channels) - 1)
            vae.tile_sample_min_size, vae.tile_latent_min_size = TILE, TILE // down
    else:
        vae.disable_tiling()
    if plan.vae_slicing:
        vae.enable_slicing()
    else:
        vae.disable_slicing()


def _free(loaded: Loaded | None) -> None:
    if loaded is None:
        return
    del loaded.pipe
    gc.collect()
    try:
        import torch

        if torch.cuda.is_available():
            torch.cuda.empty_cache()
    except ImportError:
        pass
