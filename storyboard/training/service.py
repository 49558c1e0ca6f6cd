"""Training a character, end to end: pictures → crops → captions → LoRA → the project points to it.

Also importing a LoRA trained elsewhere (.safetensors only: diffusers, kohya and civitai formats load
through diffusers' own loader when rendering; pickle files are refused and never opened).
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from .. import store
from ..errors import InputError
from ..faces import FaceFinder, availability
from ..progress import CancelToken
from ..project import Character, Project
from ..slug import slugify, unique_slug
from ..versions import require_text_encoder_lora
from . import captions as cap
from .config import for_family
from .crops import crop
from .intake import intake, require_enough
from .lora import Callbacks, LoraTrainer, Report, family_of

LORA_FOLDER = "loras"
PICKLE_SUFFIXES = (".ckpt", ".bin", ".pt", ".pth", ".pkl")
SECONDS_PER_STEP = {("cuda", "sd15"): 0.25, ("cuda", "sd2"): 0.45, ("cuda", "sdxl"): 0.9,
                    ("mps", "sd15"): 1.2, ("cpu", "sd15"): 25.0}
ZERO_GPU_LIMIT_S = 120  # ZeroGPU's default time per call


@dataclass
class Prepared:
    """What the Characters tab shows before training: the crops, how they were made, the captions."""

    crops: list = field(default_factory=list)  # PIL images
    methods: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    hashes: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    face_note: str = ""
    trigger: str = ""
    class_word: str = ""


@dataclass
class Trained:
    adapter: Path
    metadata: Path
    kohya: Path | None
    steps: int
    final_loss: float
    resumed_from: int
    prepared: Prepared


def character_of(project: Project, name: str) -> Character:
    char = project.character(name)
    if char is None:
        known = ", ".join(c.name for c in project.characters) or "none yet"
        raise InputError(f"no character called {name!r} (characters: {known})")
    return char


def character_slug(project: Project, char: Character) -> str:
    """The character's folder name under loras/: unique in the project ("Zoe" and "Zoë" never share one)."""
    return unique_slug(char.name, [c.name for c in project.characters], "character")


def prepare(project: Project, name: str, image_paths: list, class_word: str = "", resolution: int = 512) -> Prepared:
    """Check the pictures, crop them (face-aware when insightface's models are here), caption them."""
    char = character_of(project, name)
    checked = intake(image_paths)
    require_enough(checked)
    ok, why = availability()
    finder = FaceFinder() if ok else None
    out = Prepared(rejected=checked.rejected, face_note=why if ok else f"{why}; using the OpenCV crop")
    taken = {c.trigger for c in project.characters if c.trigger and c is not char}
    out.trigger = char.trigger or cap.trigger_for(char.name, taken)
    out.class_word = (class_word or "").strip().lower() or cap.class_word(char.description)
    for ref in checked.accepted:
        made = crop(ref.image, resolution, finder)
        out.crops.append(made.image)
        out.methods.append(made.method + (f"; {ref.note}" if ref.note else ""))
        out.captions.append(cap.caption(out.trigger, out.class_word))
        out.hashes.append(ref.sha256)
    return out


def estimate_seconds(steps: int, device: str, family: str) -> float:
    return steps * SECONDS_PER_STEP.get((device, family), SECONDS_PER_STEP[("cpu", "sd15")])


def check_hardware(steps: int, device: str, family: str) -> None:
    """On a ZeroGPU Space one call is time-limited: refuse a job that cannot finish in it."""
    seconds = estimate_seconds(steps, device, family)
    if os.environ.get("SPACES_ZERO_GPU") and seconds > ZERO_GPU_LIMIT_S:
        raise InputError(f"training {steps} steps takes about {seconds / 60:.0f} min, longer than this Space's "
                         f"{ZERO_GPU_LIMIT_S} s GPU limit; run Storyboard Studio locally or on a dedicated GPU")


def train_character(folder: str | Path, name: str, image_paths: list, *, models, model: str | None = None,
                    steps: int | None = None, rank: int | None = None, resolution: int | None = None,
                    class_word: str = "", text_encoder: bool = False,
                    captions: list[str] | None = None, kohya: bool = False,
                    progress: Callable[[Report], None] = lambda r: None,
                    preview: Callable[[int, object], None] = lambda s, i: None,
                    cancel: CancelToken | None = None, save_project: Callable | None = None) -> Trained:
    """Train a LoRA for one character of the project in `folder`; the character then points to it."""
    from ..render.models import chosen_model

    if text_encoder:
        require_text_encoder_lora()  # before loading a model or writing a file
    folder = Path(folder)
    project = store.load(folder)
    loaded = models.get(chosen_model(model))
    family = family_of(loaded.pipe)
    config = for_family(family, steps=steps, rank=rank, resolution=resolution, train_text_encoder=text_encoder or None,
                        preview_every=0 if steps and steps < 50 else None)
    check_hardware(config.steps, loaded.plan.device, family)
    prepared = prepare(project, name, image_paths, class_word, config.resolution)
    if captions:
        if len(captions) != len(prepared.crops) or not all(prepared.trigger in c for c in captions):
            raise InputError(f"give one caption per picture, each with the trigger word {prepared.trigger!r}")
        prepared.captions = list(captions)
    char = character_of(project, name)
    slug = character_slug(project, char)
    target = folder / LORA_FOLDER / slug
    references = _save_references(target, prepared)
    trainer = LoraTrainer(loaded.pipe, config, Callbacks(progress=progress, preview=preview))
    out_file = target / f"{slug}.safetensors"
    try:
        result = trainer.train(prepared.crops, prepared.captions, out_file,
                               config.fingerprint(prepared.hashes, loaded.source.ref), cancel=cancel,
                               class_prompt=f"a photo of a {prepared.class_word}")
        kohya_file = _save_kohya(trainer, target / f"{slug}-kohya.safetensors") if kohya else None
    finally:
        trainer.release()
    metadata = target / "metadata.json"
    store.atomic_write_bytes(metadata, json.dumps({
        "character": char.name, "base_model": loaded.source.ref, "revision": loaded.revision, "family": family,
        "trigger": prepared.trigger, "class": prepared.class_word, "rank": config.rank, "steps": config.steps,
        "learning_rate": config.learning_rate, "resolution": config.resolution, "captions": prepared.captions,
        "image_sha256": prepared.hashes, "crops": prepared.methods, "final_loss": result.losses[-1],
        "date": datetime.now(UTC).isoformat(timespec="seconds"), "config": config.to_json(),
    }, indent=2).encode())
    _point_to(folder, char.name, out_file, prepared.trigger, references, save_project)
    models.forget_adapter_file(out_file)
    return Trained(out_file, metadata, kohya_file, config.steps, result.losses[-1], result.resumed_from, prepared)


def _save_references(target: Path, prepared: Prepared) -> list[str]:
    refs = target / "references"
    refs.mkdir(parents=True, exist_ok=True)
    out = []
    for i, image in enumerate(prepared.crops, start=1):
        path = refs / f"{i:02d}.png"
        image.save(path)
        out.append(path)
    return out


def _save_kohya(trainer: LoraTrainer, path: Path) -> Path:
    """The adapter in the kohya/A1111 key layout, for other tools."""
    from diffusers.utils import convert_state_dict_to_kohya
    from safetensors.torch import save_file

    kohya = convert_state_dict_to_kohya(trainer.lora_state())
    tmp = path.with_name("." + path.name + ".tmp")
    save_file({k: v.contiguous() for k, v in kohya.items()}, str(tmp))
    os.replace(tmp, path)
    return path


def _point_to(folder: Path, name: str, adapter: Path, trigger: str, references: list[Path],
              save_project: Callable | None) -> None:
    """The character now uses the adapter (relative paths, so the project folder can move)."""

    def change(project: Project) -> None:
        char = character_of(project, name)
        char.lora = adapter.relative_to(folder).as_posix()
        char.trigger = trigger
        char.references = [p.relative_to(folder).as_posix() for p in references]

    if save_project is not None:
        save_project(change)
    else:
        project = store.load(folder)
        change(project)
        store.save(project, folder)


def import_lora(folder: str | Path, name: str, file: str | Path, save_project: Callable | None = None) -> Path:
    """Copy a LoRA made elsewhere into the project for a character (.safetensors only, checked first)."""
    from safetensors import safe_open

    folder, file = Path(folder), Path(file)
    if file.suffix.lower() in PICKLE_SUFFIXES:
        raise InputError(f"{file.name}: pickle files (.ckpt, .bin, .pt) are never loaded, they can run code; "
                         "use the .safetensors version of this LoRA")
    if file.suffix.lower() != ".safetensors":
        raise InputError(f"{file.name}: a LoRA must be a .safetensors file")
    try:
        with safe_open(str(file), framework="pt") as handle:
            keys = list(handle.keys())
    except Exception as err:  # safetensors raises its own error types for damaged headers
        raise InputError(f"{file.name} is not a readable .safetensors file ({err})") from None
    if not any("lora" in k.lower() for k in keys):
        raise InputError(f"{file.name} holds no LoRA weights (no 'lora' keys); is it a full model?")
    project = store.load(folder)
    char = character_of(project, name)
    target = folder / LORA_FOLDER / character_slug(project, char) / f"{slugify(file.stem, 'lora')}.safetensors"
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name("." + target.name + ".tmp")
    shutil.copyfile(file, tmp)
    os.replace(tmp, target)
    _point_to(folder, char.name, target, char.trigger, [folder / r for r in char.references if (folder / r).is_file()],
              save_project)
    return target
