"""The diffusion renderer: consistent panels from any diffusers text-to-image model.

Conditioning is hierarchical:
1. album — the board's style and negative prompt; each character's trigger word,
   description and LoRA adapter (loaded once, switched per panel);
2. scene — the scene's prompt (shot, angle, who, action, place, time), fitted to
   CLIP's 77 tokens with the most important clauses first;
3. layout — optionally a ControlNet on the sketch blueprint, so the composition
   follows the shot; then, when two or more characters have their own LoRA, each
   one's region of the blueprint is repainted with only that adapter active, so
   faces never blend. That repaint always has its composition held: by the
   ControlNet, else by regional prompts (each character's words attend only in
   their region from the first step); where neither can run it is skipped.
Every family goes through diffusers' generic pipelines (AutoPipelineForText2Image /
AutoPipelineForInpainting.from_pipe pick the SD, SDXL or FLUX classes); an option
a family cannot use is named before any work (settings.check_family).
Seeds come from the scene on a CPU generator: the same settings on the same
device give the same pixels. Each step reports progress; Cancel stops within one.
"""

from __future__ import annotations

import logging
import math
from dataclasses import replace
from pathlib import Path
from typing import Any

from .. import paths
from ..errors import Cancelled, RenderError
from ..layout import Blueprint
from ..progress import CancelToken
from ..project import Character, Project, Scene
from ..slug import adapter_name
from . import families, memory, regional
from .base import Rendered, StepFn
from .models import ModelError, ModelManager, chosen_model
from .prompts import region_prompt
from .regional import Region, RegionalPrompts
from .regions import figure_mask
from .settings import DEFAULT_NEGATIVE, SCHEDULERS, DiffusionSettings, check_family, workload

CONTROLNET, REGIONAL = "controlnet", "regional prompts"  # how a regional pass holds its composition
LORA_DIR = Path(__file__).resolve().parents[2] / "loras"

log = logging.getLogger(__name__)


def fit_prompt(text: str, tokenizer, limit: int = 77) -> str:
    """Keep whole "; "-separated clauses, in order, while they fit CLIP's window (then words)."""
    if tokenizer is None:
        return text
    budget = limit - 2  # start and end tokens

    def count(s: str) -> int:
        return len(tokenizer.tokenize(s))

    kept: list[str] = []
    for clause in (c.strip() for c in text.split(";")):
        if not clause:
            continue
        trial = "; ".join(kept + [clause])
        if count(trial) <= budget:
            kept.append(clause)
            continue
        words = clause.split()
        while words and count("; ".join(kept + [" ".join(words)])) > budget:
            words.pop()
        if words:
            kept.append(" ".join(words))
        break
    return "; ".join(kept)


def lora_roots(project_folder: Path | None) -> list[Path]:
    """The folders a project's LoRA files may be in: the project's own, then the app's loras/."""
    return [p for p in (project_folder, LORA_DIR) if p is not None]


def lora_path(character: Character, project_folder: Path | None) -> Path | None:
    """A character's LoRA file, inside the project folder or under loras/ (never elsewhere; links resolved).

    A path leading anywhere else (absolute, or through "..") is refused: project
    files are untrusted, and a LoRA is code-adjacent data the model loads.
    """
    if not character.lora:
        return None
    roots = lora_roots(project_folder)
    found = paths.within_any(roots, character.lora)
    if found is not None:
        return found
    if all(paths.within(root, character.lora) for root in roots) and not any(_exists(r, character.lora) for r in roots):
        raise RenderError(f"{character.name}'s LoRA file {character.lora!r} was not found; import it again")
    raise RenderError(f"{character.name}'s LoRA {character.lora!r} is not inside the project folder; "
                      "import it with import-lora (or the Characters tab) so the project holds its own copy")


def _exists(root: Path, relative: str) -> bool:
    """Whether ROOT/RELATIVE is there at all (a link counts, wherever it leads)."""
    try:
        return (root / relative).is_symlink() or (root / relative).exists()
    except (OSError, ValueError):
        return False


class DiffusionRenderer:
    name = "diffusion"
    version = "1"

    def __init__(self, models: ModelManager) -> None:
        self.models = models
        self._controlnets: dict[str, Any] = {}
        self._default_scheduler = None
        self._ip_image = None  # the reference image the current pass conditions on

    # -- the interface ------------------------------------------------------------------
    def render(self, scene: Scene, plan: Blueprint, project: Project, size: tuple[int, int],
               settings: dict[str, Any], step: StepFn | None = None, cancel: CancelToken | None = None) -> Rendered:
        import torch

        opts = DiffusionSettings.of(settings)
        folder = Path(settings["project_folder"]) if settings.get("project_folder") else None
        # 1. the model, its family and its scheduler, placed by the memory plan for this panel
        width, height = (max(64, (s // 8) * 8) for s in size)
        work = workload(scene, project, opts, width, height)
        loaded = self.models.get(chosen_model(opts.model), config=opts.model_config or None, work=work,
                                 offload=opts.offload)
        pipe = loaded.pipe
        kind = families.of_pipe(pipe)
        check_family(kind, opts)
        self._use_scheduler(pipe, opts.scheduler)
        # 2. album level: which characters in this scene have a LoRA, and their reference images
        if opts.ip_adapter:
            self.models.ensure_ip_adapter(opts.ip_adapter)  # resets active LoRAs: `activate` below sets them
        else:
            self.models.drop_ip_adapter()  # one left from an earlier render would demand a reference image
        adapters = self._adapters(scene, project, folder, opts, kind)
        references = self._references(scene, project, folder) if opts.ip_adapter else {}
        # 3. scene level: the prompt, fitted to the text encoder's window
        tokenizer = getattr(pipe, "tokenizer", None)
        prompt = fit_prompt(scene.prompt or scene.action, tokenizer)
        negative = fit_prompt(project.negative_prompt or DEFAULT_NEGATIVE, tokenizer)
        wanted = [name for name in scene.characters if name in adapters] if len(adapters) >= 2 else []
        control = self._controlnet(opts.controlnet, pipe, kind) if opts.controlnet else None
        how = composition(pipe, kind, control is not None) if wanted else ""
        held = how in (CONTROLNET, REGIONAL)
        regions = [(name, figure_mask(plan, name, (width, height))) for name in wanted] if held else []
        regions = [(name, mask) for name, mask in regions if mask is not None]
        if regions:
            held_how = how
        elif wanted and not held:
            log.warning("regional pass skipped for %s: %s", ", ".join(wanted), how)
            held_how = f"none: regional pass skipped ({how})"
        else:
            held_how = CONTROLNET if control is not None else "prompt only"
        passes = 1 + len(regions)
        provenance = {
            "model": loaded.source.ref, "revision": loaded.revision, "family": kind,
            "scheduler": type(pipe.scheduler).__name__, "steps": opts.steps, "guidance": opts.guidance,
            "width": width, "height": height, "seed": scene.seed,
            "prompt": prompt, "negative_prompt": negative, "device": loaded.plan.describe(),
            "adapters": {adapters[n]: opts.lora_weight for n in scene.characters if n in adapters},
            "controlnet": opts.controlnet, "regional": [name for name, _ in regions],
            "composition": held_how,
            "ip_adapter": opts.ip_adapter, "ip_scale": opts.ip_scale if references else 0.0,
            "references": {name: str(path) for name, (path, _) in references.items()},
        }
        guide = _guide_image(scene, plan, width, height) if control is not None else None
        try:
            # 4. layout level: the composition, held by the blueprint ControlNet or by regional prompts
            self.models.activate({adapters[n]: opts.lora_weight for n in scene.characters if n in adapters})
            first = next((references[n] for n in scene.characters if n in references), None)
            self._reference(pipe, opts, first)
            words = {name: fit_prompt(region_prompt(scene, project, name), tokenizer) for name, _ in regions}
            held_by = [Region(mask, words[name]) for name, mask in regions] if how == REGIONAL else []
            image = self._compose(pipe, control, guide, held_by, scene.seed, prompt,
                                  negative, width, height, opts, _Steps(step, cancel, 0, passes, opts.steps))
            # 5. one character at a time: repaint their region with only their adapter
            for k, (name, mask) in enumerate(regions, start=1):
                self.models.activate({adapters[name]: opts.lora_weight})
                self._reference(pipe, opts, references.get(name))
                image = self._repaint(pipe, control, guide, image, mask, words[name],
                                      negative, scene.seed + k, opts, _Steps(step, cancel, k, passes, opts.steps))
        except torch.cuda.OutOfMemoryError:
            torch.cuda.empty_cache()
            fix = memory.lower_first(replace(work, family=kind, dtype=loaded.plan.dtype), loaded.plan)
            raise RenderError(f"out of GPU memory at {width}×{height} ({loaded.plan.describe()}): {fix}") from None
        finally:
            self.models.activate({})
        if image.size != tuple(size):
            image = image.resize(size)
        return Rendered(image, provenance)

    # -- steps -------------------------------------------------------------------------
    def _adapters(self, scene: Scene, project: Project, folder: Path | None, opts: DiffusionSettings,
                  kind: str) -> dict:
        """name → adapter name for the scene's characters that have a LoRA (loaded once each)."""
        out = {}
        for name in scene.characters:
            char = project.character(name)
            path = lora_path(char, folder) if char else None
            if path is not None:
                if why := families.unsupported(kind, "loras"):
                    raise RenderError(f"{why}. {name}'s LoRA cannot be used with this model.")
                adapter = adapter_name(char.name, [c.name for c in project.characters])
                self.models.ensure_adapter(adapter, path, roots=lora_roots(folder))
                out[name] = adapter
        return out

    def _references(self, scene: Scene, project: Project, folder: Path | None) -> dict:
        """name → (path, RGB image) of the first readable reference image of each character in the scene.

        Only images inside the project folder are read; others are skipped with a warning.
        """
        from PIL import Image, UnidentifiedImageError

        out = {}
        for name in scene.characters:
            char = project.character(name)
            for ref in (char.references if char else []):
                path = paths.within(folder, ref) if folder is not None else None
                if path is None:
                    log.warning("%s: reference image %r is not inside the project folder; skipped", name, ref)
                    continue
                if not paths.fits_panel_limits(paths.image_size(path), paths.MAX_REFERENCE_SIDE):
                    continue  # missing, unreadable or far larger than a reference picture
                try:
                    with Image.open(path) as image:
                        out[name] = (path, image.convert("RGB"))
                    break
                except (OSError, UnidentifiedImageError, ValueError, Image.DecompressionBombError):
                    continue
        return out

    def _reference(self, pipe, opts: DiffusionSettings, reference) -> None:
        """Which reference image the next pass sees (none: scale 0, so the IP-Adapter is silent)."""
        if not opts.ip_adapter:
            self._ip_image = None
            return
        from PIL import Image

        pipe.set_ip_adapter_scale(opts.ip_scale if reference else 0.0)
        self._ip_image = reference[1] if reference else Image.new("RGB", (224, 224), (127, 127, 127))

    def _ip_kwargs(self) -> dict:
        return {"ip_adapter_image": self._ip_image} if getattr(self, "_ip_image", None) is not None else {}

    def _compose(self, pipe, control, guide, regions, seed, prompt, negative, width, height, opts, steps: _Steps):
        import torch

        common = dict(prompt=prompt, negative_prompt=negative, num_inference_steps=opts.steps,
                      guidance_scale=opts.guidance, generator=torch.Generator("cpu").manual_seed(seed),
                      callback_on_step_end=steps, width=width, height=height, **self._ip_kwargs())
        if control is not None:
            from diffusers import AutoPipelineForText2Image

            steered = AutoPipelineForText2Image.from_pipe(pipe, controlnet=control)
            result = steered(image=guide, controlnet_conditioning_scale=opts.control_scale, **common)
        elif regions:
            with RegionalPrompts(pipe, regions, negative, (width, height), cfg=opts.guidance > 1):
                result = pipe(**common)
        else:
            result = pipe(**common)
        steps.finish()
        return result.images[0]

    def _repaint(self, pipe, control, guide, image, mask, prompt, negative, seed, opts, steps: _Steps):
        """Repaint one region (composited: outside the mask nothing changes), steered like the composition."""
        import torch
        from diffusers import AutoPipelineForInpainting
        from PIL import Image

        extra = {}
        if control is not None:
            inpaint = AutoPipelineForInpainting.from_pipe(pipe, controlnet=control)
            extra = {"control_image": guide, "controlnet_conditioning_scale": opts.control_scale}
        else:
            inpaint = AutoPipelineForInpainting.from_pipe(pipe)
        # a few-step model with a low strength would denoise for no step at all: at least one
        count = max(opts.steps, math.ceil(1 / max(opts.region_strength, 1e-3)))
        result = inpaint(prompt=prompt, negative_prompt=negative, image=image, mask_image=mask,
                         strength=opts.region_strength, num_inference_steps=count, guidance_scale=opts.guidance,
                         generator=torch.Generator("cpu").manual_seed(seed), width=image.width, height=image.height,
                         callback_on_step_end=steps, **extra, **self._ip_kwargs())
        steps.finish()
        repainted = result.images[0].resize(image.size)
        return Image.composite(repainted, image, mask)  # outside the region nothing changes

    def _use_scheduler(self, pipe, name: str) -> None:
        import diffusers

        if self._default_scheduler is None or self._default_scheduler[0] is not pipe:
            self._default_scheduler = (pipe, pipe.scheduler)
        wanted = SCHEDULERS[name]
        if wanted is None:
            pipe.scheduler = self._default_scheduler[1]
        elif type(pipe.scheduler).__name__ != wanted:
            pipe.scheduler = getattr(diffusers, wanted).from_config(pipe.scheduler.config)

    def _controlnet(self, ref: str, pipe, kind: str):
        """The ControlNet, loaded once (one kept); one made for another family is refused by name."""
        if ref not in self._controlnets:
            from diffusers import ControlNetModel

            try:
                net = ControlNetModel.from_pretrained(ref, dtype=pipe.unet.dtype, use_safetensors=True)
            except (OSError, ValueError) as err:
                raise ModelError(f"could not load the ControlNet {ref!r}: {str(err).splitlines()[0]}") from None
            self._controlnets = {ref: net.to(pipe.unet.device)}  # keep one
        net = self._controlnets[ref]
        theirs, ours = net.config.cross_attention_dim, pipe.unet.config.cross_attention_dim
        if theirs != ours:
            fam = families.family(kind)
            raise ModelError(f"the ControlNet {ref!r} was made for another model family (text width {theirs}; "
                             f"this {fam.label} model's is {ours}); for {fam.label} models use "
                             f"{fam.controlnet or 'none'}")
        return net


def composition(pipe, kind: str, controlnet: bool) -> str:
    """How a panel's regional pass keeps each character where the blueprint puts them, or why it cannot run.

    "controlnet": the blueprint ControlNet steers the composition and each repaint; "regional prompts": each
    character's words attend only inside their region from the first step; anything else is the reason the
    regional pass is skipped (it never repaints a region blind).
    """
    if controlnet:
        return CONTROLNET
    why = families.unsupported(kind, "regional") or regional.supported(pipe)
    return why or REGIONAL


class _Steps:
    """diffusers' step-end callback: progress per step, and Cancel within one step.

    Each pass counts as `steps` on the bar, whatever the pipeline really runs: PNDM's warm-up adds a call, and a
    repaint at strength 0.55 denoises about half of its steps; the bar moves in proportion and ends each pass full.
    """

    def __init__(self, report: StepFn | None, cancel: CancelToken | None, index: int, passes: int, steps: int):
        self.report, self.cancel, self.index, self.passes, self.steps = report, cancel, index, passes, steps
        self.shown = index * steps

    def __call__(self, pipe, i: int, timestep, kwargs: dict) -> dict:
        calls = getattr(pipe, "num_timesteps", None) or self.steps
        self._show(self.index * self.steps + min(self.steps, math.ceil((i + 1) * self.steps / calls)))
        if self.cancel is not None and self.cancel.cancelled:
            pipe._interrupt = True
        return kwargs

    def finish(self) -> None:
        if self.cancel is not None and self.cancel.cancelled:
            raise Cancelled("Cancelled by the user; finished panels were kept.")
        self._show((self.index + 1) * self.steps)

    def _show(self, done: int) -> None:
        if self.report is not None and done > self.shown:
            self.shown = done
            self.report(done, self.passes * self.steps)


def _guide_image(scene: Scene, plan: Blueprint, width: int, height: int):
    """The blueprint as white lines on black (the scribble/lineart convention ControlNets expect)."""
    from PIL import ImageOps

    from .sketch import SketchRenderer

    drawing = SketchRenderer().draw(scene, plan, (width, height), notation=False)
    return ImageOps.invert(ImageOps.autocontrast(drawing)).convert("RGB")
