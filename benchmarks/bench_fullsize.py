"""Full-size SD 1.5 / SDXL checks without weights: the real renderer on random-weight models of the real architectures.

Each family's pipeline is built from the public component configs in benchmarks/configs/ (random init, nothing is
downloaded), saved once as a diffusers folder (float16 safetensors; the renderer loads it as float32 on the CPU),
together with two random character LoRAs (peft, saved with save_lora_weights), a random ControlNet of the family's
real architecture and an h94-layout IP-Adapter with a ViT-H image encoder. Then every option renders one panel at
the family's native size in a fresh subprocess, so each row's peak RSS is its own:

    plain             no LoRA, no ControlNet
    loras             two characters with their own LoRA in one panel → the regional pass (one inpaint per character)
    controlnet        a ControlNet on the blueprint
    controlnet+loras  both
    ip_adapter        a reference image through an IP-Adapter (optional, slow to build: a 632M-parameter encoder)

    python benchmarks/bench_fullsize.py [--family sd15|sdxl|all] [--options plain loras ...] [--steps 2]
                                        [--work DIR] [--size N] [--timeout 2400]

--work keeps the built models (SD 1.5 ≈ 4 GB, SDXL ≈ 11 GB with every option) so reruns skip building; without
it they go to a temporary folder that is removed afterwards. --size renders every family at N² instead of its native
size (512² / 1024²): SDXL with a ControlNet needs ≈25 GB at 1024² in float32, so on a 24 GB machine it is checked
at 512². A row whose estimated memory exceeds what the machine
has free is skipped with a note, and a row that runs the machine nearly out of memory is stopped (no thrashing).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CONFIGS = Path(__file__).resolve().parent / "configs"
FAMILIES = {
    # native size, LoRA rank, the pipeline class (for save_lora_weights), the IP-Adapter file's h94 name
    "sd15": {"size": 512, "rank": 8, "pipeline": "StableDiffusionPipeline", "ip": "ip-adapter_sd15.safetensors",
             "text_encoders": {"text_encoder": "CLIPTextModel"}, "runtime_gb": 2.5},
    "sdxl": {"size": 1024, "rank": 16, "pipeline": "StableDiffusionXLPipeline",
             "ip": "ip-adapter_sdxl_vit-h.safetensors",
             "text_encoders": {"text_encoder": "CLIPTextModel", "text_encoder_2": "CLIPTextModelWithProjection"},
             "runtime_gb": 6.0},  # measured: SDXL plain peaked at 2 × weights + 5.6 GB (the 1024² VAE decode)
}
OPTIONS = ("plain", "loras", "controlnet", "controlnet+loras", "ip_adapter")
CHARACTERS = ("Mara", "Tom")
SAFETY_GB = 0.75  # stop a row when the machine has less than this left


# -- building (in a subprocess: --build FAMILY) ------------------------------------------------------------------
def _dtype_context(dtype):
    """Create modules directly in `dtype` (float16 halves the memory and time of building)."""
    import contextlib

    import torch

    @contextlib.contextmanager
    def ctx():
        old = torch.get_default_dtype()
        torch.set_default_dtype(dtype)
        try:
            yield
        finally:
            torch.set_default_dtype(old)

    return ctx()


def _log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _real_config(family: str, component: str) -> dict:
    return json.loads((CONFIGS / family / component / "config.json").read_text())


def build_pipeline(family: str, out: Path) -> None:
    """The family's pipeline with random weights, saved as a diffusers folder with the real configs."""
    import gc

    import diffusers
    import torch
    import transformers

    from tests.fixtures.tiny_sd import write_tokenizer

    spec = FAMILIES[family]
    partial = out.with_name(out.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    torch.manual_seed(0)
    parts = [("vae", "AutoencoderKL", "diffusers"), *[(name, cls, "transformers")
                                                     for name, cls in spec["text_encoders"].items()],
             ("unet", "UNet2DConditionModel", "diffusers")]
    for component, cls_name, library in parts:
        _log(f"{family}: building {component} ({cls_name})")
        with _dtype_context(torch.float16):
            if library == "diffusers":
                model = getattr(diffusers, cls_name).from_config(_real_config(family, component))
            else:
                config = transformers.CLIPTextConfig.from_pretrained(str(CONFIGS / family / component))
                model = getattr(transformers, cls_name)(config)
        model.save_pretrained(str(partial / component), safe_serialization=True)
        shutil.copy(CONFIGS / family / component / "config.json", partial / component / "config.json")
        del model
        gc.collect()
    (partial / "scheduler").mkdir()
    shutil.copy(CONFIGS / family / "scheduler" / "scheduler_config.json", partial / "scheduler")
    for name in ("tokenizer", "tokenizer_2") if family == "sdxl" else ("tokenizer",):
        write_tokenizer(partial / name)  # byte-level CLIP tokenizer (ids < 600): the real one cannot be downloaded
    index = json.loads((CONFIGS / family / "model_index.json").read_text())
    if "safety_checker" in index:  # the real folder has a safety checker; a storyboard renderer runs without one
        index.update(safety_checker=[None, None], feature_extractor=[None, None], requires_safety_checker=False)
    (partial / "model_index.json").write_text(json.dumps(index, indent=2))
    shutil.rmtree(out, ignore_errors=True)
    partial.rename(out)


def build_loras(family: str, model: Path, project: Path) -> None:
    """Two random character LoRAs (q/k/v/out of each UNet attention), saved as diffusers' LoRA scripts do."""
    import diffusers
    import torch
    from diffusers import UNet2DConditionModel
    from peft import LoraConfig
    from peft.utils import get_peft_model_state_dict

    spec = FAMILIES[family]
    _log(f"{family}: loading the UNet for the LoRAs")
    unet = UNet2DConditionModel.from_pretrained(str(model / "unet"), dtype=torch.float16, use_safetensors=True)
    project.mkdir(parents=True, exist_ok=True)
    for seed, name in enumerate(CHARACTERS, start=1):
        torch.manual_seed(seed)
        config = LoraConfig(r=spec["rank"], lora_alpha=spec["rank"], init_lora_weights=False,
                            target_modules=["to_q", "to_k", "to_v", "to_out.0"])
        adapter = f"char_{seed}"
        unet.add_adapter(config, adapter_name=adapter)
        layers = get_peft_model_state_dict(unet, adapter_name=adapter)
        unet.delete_adapters(adapter)
        getattr(diffusers, spec["pipeline"]).save_lora_weights(
            str(project), unet_lora_layers=layers, weight_name=f"{name.lower()}.safetensors", safe_serialization=True)
        _log(f"{family}: LoRA {name} rank {spec['rank']}: {len(layers)} tensors")


def build_controlnet(family: str, out: Path) -> None:
    """A ControlNet of the family's real architecture; its zero convolutions get a normal init (a trained one's are
    no longer zero, and an all-zero ControlNet would change nothing)."""
    import torch
    from diffusers import ControlNetModel

    _log(f"{family}: building the ControlNet")
    torch.manual_seed(2)
    with _dtype_context(torch.float16):
        net = ControlNetModel.from_config(_real_config(family, "controlnet"))
        with torch.no_grad():
            for module in [*net.controlnet_down_blocks, net.controlnet_mid_block,
                           net.controlnet_cond_embedding.conv_out]:
                module.reset_parameters()
    partial = out.with_name(out.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    net.save_pretrained(str(partial), safe_serialization=True)
    shutil.copy(CONFIGS / family / "controlnet" / "config.json", partial / "config.json")
    shutil.rmtree(out, ignore_errors=True)
    partial.rename(out)


def build_ip_adapter(family: str, out: Path) -> None:
    """h94/IP-Adapter's layout: the adapter .safetensors with image_encoder/ (ViT-H/14, CLIPVisionModelWithProjection)
    beside it; image_proj maps the 1024-d image embedding to 4 tokens of the UNet's cross-attention width."""
    import torch
    from diffusers import UNet2DConditionModel
    from safetensors.torch import save_file
    from transformers import CLIPVisionConfig, CLIPVisionModelWithProjection

    encoder_dir = CONFIGS / "ip_adapter" / "image_encoder"
    partial = out.with_name(out.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    _log(f"{family}: building the ViT-H image encoder")
    torch.manual_seed(3)
    with _dtype_context(torch.float16):
        encoder = CLIPVisionModelWithProjection(CLIPVisionConfig.from_pretrained(str(encoder_dir)))
    encoder.save_pretrained(str(partial / "image_encoder"), safe_serialization=True)
    for name in ("config.json", "preprocessor_config.json"):
        shutil.copy(encoder_dir / name, partial / "image_encoder" / name)
    embed = encoder.config.projection_dim
    del encoder
    unet_config = _real_config(family, "unet")
    with torch.device("meta"):
        processors = [n for n in UNet2DConditionModel.from_config(unet_config).attn_processors
                      if not n.endswith("attn1.processor")]
    cross, channels = unet_config["cross_attention_dim"], list(unet_config["block_out_channels"])

    def linear(out_features: int, in_features: int):
        return (torch.randn(out_features, in_features) / in_features ** 0.5).half()

    weights = {"image_proj.proj.weight": linear(4 * cross, embed),
               "image_proj.proj.bias": torch.zeros(4 * cross).half(),
               "image_proj.norm.weight": torch.ones(cross).half(), "image_proj.norm.bias": torch.zeros(cross).half()}
    for i, name in enumerate(processors):
        if name.startswith("mid_block"):
            hidden = channels[-1]
        elif name.startswith("up_blocks"):
            hidden = channels[::-1][int(name.split(".")[1])]
        else:
            hidden = channels[int(name.split(".")[1])]
        weights[f"ip_adapter.{2 * i + 1}.to_k_ip.weight"] = linear(hidden, cross)
        weights[f"ip_adapter.{2 * i + 1}.to_v_ip.weight"] = linear(hidden, cross)
    save_file(weights, str(partial / FAMILIES[family]["ip"]))
    _log(f"{family}: IP-Adapter with {len(processors)} cross-attention layers")
    shutil.rmtree(out, ignore_errors=True)
    partial.rename(out)


def layout(work: Path, family: str) -> dict[str, Path]:
    base = work / family
    return {"model": base / "model", "controlnet": base / "controlnet", "ip": base / "ip-adapter",
            "project": base / "project", "out": base / "out"}


def build(family: str, work: Path, options: list[str]) -> None:
    """Build whatever the options need and is not there yet (a half-built part is built again)."""
    where = layout(work, family)
    if not (where["model"] / "model_index.json").is_file():
        build_pipeline(family, where["model"])
    if any("loras" in o for o in options) and not all(
            (where["project"] / f"{n.lower()}.safetensors").is_file() for n in CHARACTERS):
        build_loras(family, where["model"], where["project"])
    if any("controlnet" in o for o in options) and not (where["controlnet"] / "config.json").is_file():
        build_controlnet(family, where["controlnet"])
    if "ip_adapter" in options and not (where["ip"] / FAMILIES[family]["ip"]).is_file():
        build_ip_adapter(family, where["ip"])
    where["project"].mkdir(parents=True, exist_ok=True)
    reference = where["project"] / "mara.png"
    if not reference.is_file():
        from PIL import Image

        Image.radial_gradient("L").convert("RGB").resize((224, 224)).save(reference)


# -- one row (in a subprocess: --one FAMILY OPTION) ---------------------------------------------------------------
def _first_tensor(value):
    import torch

    if isinstance(value, torch.Tensor):
        return value
    if isinstance(value, (tuple, list)) and value:
        return _first_tensor(value[0])
    sample = getattr(value, "sample", None)
    return sample if isinstance(sample, torch.Tensor) else None


def _watch(module, stats: dict, key: str):
    """Count a module's calls whose output has NaN/inf, and the largest finite magnitude it produced."""
    import torch

    def hook(_module, _inputs, output):
        tensor = _first_tensor(output)
        if tensor is None:
            return
        with torch.no_grad():
            finite = torch.isfinite(tensor)
            entry = stats.setdefault(key, {"calls": 0, "nonfinite_calls": 0, "max_abs": 0.0})
            entry["calls"] += 1
            if not bool(finite.all()):
                entry["nonfinite_calls"] += 1
            if bool(finite.any()):
                entry["max_abs"] = max(entry["max_abs"], float(tensor[finite].abs().max()))

    return module.register_forward_hook(hook)


def run_one(family: str, option: str, work: Path, steps: int, size: int | None = None) -> dict:
    import resource

    import numpy as np
    import torch

    from storyboard.layout import blueprint
    from storyboard.project import Character, Project, Scene
    from storyboard.render.diffusion import DiffusionRenderer
    from storyboard.render.models import ModelManager

    where = layout(work, family)
    size = size or FAMILIES[family]["size"]
    loras = "loras" in option
    project = Project(title="Full size", aspect_ratio="1:1", characters=[
        Character(name, lora=f"{name.lower()}.safetensors" if loras else "",
                  references=["mara.png"] if option == "ip_adapter" and name == "Mara" else [])
        for name in CHARACTERS])
    scene = Scene(number="1", id="s0001", shot="two-shot", characters=list(CHARACTERS), seed=7,
                  action="They talk.", prompt="two-shot; Mara and Tom talk; harbour at dusk")
    project.scenes = [scene]
    project.validate()
    settings = {"model": str(where["model"]), "steps": steps, "project_folder": str(where["project"]),
                "controlnet": str(where["controlnet"]) if "controlnet" in option else "",
                "ip_adapter": str(where["ip"] / FAMILIES[family]["ip"]) if option == "ip_adapter" else ""}
    row: dict = {"family": family, "option": option, "size": f"{size}²"}
    engine = DiffusionRenderer(ModelManager(device="cpu"))
    stats: dict = {}
    start = time.perf_counter()
    try:
        loaded = engine.models.get(settings["model"])  # the render reuses it: load and render timed apart
        row["load_s"] = time.perf_counter() - start
        row["rss_after_load_gb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
        _watch(loaded.pipe.unet, stats, "unet")
        _watch(loaded.pipe.vae.decoder, stats, "vae_decoder")
        _log(f"{family}/{option}: pipeline loaded in {row['load_s']:.1f}s; rendering {size}² × {steps} steps")

        def step(done: int, total: int) -> None:
            _log(f"{family}/{option}: step {done}/{total}")

        begin = time.perf_counter()
        result = engine.render(scene, blueprint(scene, project), project, (size, size), settings, step=step)
        row["render_s"] = time.perf_counter() - begin
        image = np.asarray(result.image.convert("RGB"))
        where["out"].mkdir(parents=True, exist_ok=True)
        result.image.save(where["out"] / f"{option.replace('+', '_')}_{size}.png")
        row.update(composition=result.provenance.get("composition", "(no key)"),
                   regional=result.provenance.get("regional", []), image_mean=float(image.mean()),
                   image_std=float(image.std()), all_black=bool(image.max() == 0), constant=bool(image.std() == 0))
    except Exception as err:  # a row reports its error; the benchmark goes on
        traceback.print_exc()
        text = str(err).strip().splitlines()
        row["error"] = f"{type(err).__name__}: {text[0] if text else ''}"[:300]
    row["total_s"] = time.perf_counter() - start
    row["peak_rss_gb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20  # KiB on Linux
    row["stats"] = stats
    row["threads"] = torch.get_num_threads()
    return row


# -- the driver ----------------------------------------------------------------------------------------------------
def _meminfo() -> dict[str, float]:
    out = {}
    for line in Path("/proc/meminfo").read_text().splitlines():
        key, value = line.split(":", 1)
        out[key] = int(value.split()[0]) / 2**20  # GiB
    return out


def _rss_gb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 2**20
    except OSError:
        pass
    return 0.0


def _folder_gb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*.safetensors")) / 2**30 if path.exists() else 0.0


def estimate_gb(family: str, option: str, work: Path, size: int) -> float:
    """Float32 weights (twice the float16 files) plus activations (measured at the native size), Python and torch."""
    where = layout(work, family)
    weights = _folder_gb(where["model"]) + (_folder_gb(where["controlnet"]) if "controlnet" in option else 0.0)
    if option == "ip_adapter":
        weights += _folder_gb(where["ip"])
    runtime = FAMILIES[family]["runtime_gb"] * (size / FAMILIES[family]["size"]) ** 2
    return 2 * weights + max(2.0, runtime)  # ≥ 2 GB: loading float16 files as float32 briefly costs extra


def child(args: list[str], log: Path, timeout: float) -> tuple[int | None, str, float, str]:
    """Run this script with `args`; stop it if the machine runs nearly out of memory or time runs out.

    Returns (exit code or None when stopped, stdout, wall seconds, why it was stopped)."""
    command = [sys.executable, str(Path(__file__).resolve()), *args]
    log.parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    with open(log, "w") as err:
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=err, text=True)
        reason = ""
        peak = 0.0
        reader_out: list[str] = []
        reader = threading.Thread(target=lambda: reader_out.append(proc.stdout.read()), daemon=True)
        reader.start()
        while proc.poll() is None:
            peak = max(peak, _rss_gb(proc.pid))
            available = _meminfo().get("MemAvailable", 99.0)
            if available < SAFETY_GB:
                reason = f"stopped: the machine had {available:.2f} GB left (row RSS {peak:.1f} GB)"
            elif time.perf_counter() - start > timeout:
                reason = f"stopped: over the {timeout:.0f}s time limit"
            if reason:
                proc.kill()  # only the child this function started
                break
            time.sleep(0.5)
        proc.wait()
        reader.join(timeout=10)
    return (None if reason else proc.returncode), "".join(reader_out), time.perf_counter() - start, reason


def _check(row: dict) -> str:
    if "error" in row:
        return "-"
    notes = []
    for key, entry in row.get("stats", {}).items():
        if entry["nonfinite_calls"]:
            notes.append(f"{key} NaN/inf in {entry['nonfinite_calls']}/{entry['calls']} calls")
    if row.get("all_black"):
        notes.append("ALL BLACK")
    elif row.get("constant"):
        notes.append("constant image")
    if not notes:
        notes.append("finite")
    unet = row.get("stats", {}).get("unet")
    tail = f"; mean {row['image_mean']:.0f} std {row['image_std']:.0f}"
    if unet:
        tail += f"; UNet calls {unet['calls']}, max |out| {unet['max_abs']:.3g}"
    return ", ".join(notes) + tail


def _seconds(row: dict, key: str) -> str:
    return f"{row[key]:.1f}" if key in row else "-"


def table(rows: list[dict]) -> str:
    lines = ["| family | size | option | load s | render s | wall s | peak RSS GB | composition | image | error |",
             "|---|---|---|---:|---:|---:|---:|---|---|---|"]
    for row in rows:
        peak = f"{row['peak_rss_gb']:.2f}" if "peak_rss_gb" in row else "-"
        composition = row.get("composition", "-")
        if row.get("regional"):
            composition += f" (regional: {', '.join(row['regional'])})"
        lines.append(f"| {row['family']} | {row['size']} | {row['option']} | {_seconds(row, 'load_s')} | "
                     f"{_seconds(row, 'render_s')} | {_seconds(row, 'wall_s')} | {peak} | {composition} | "
                     f"{_check(row)} | {row.get('error', '')} |")
    return "\n".join(lines)


def drive(families: list[str], options: list[str], steps: int, work: Path, timeout: float,
          side: int | None = None) -> list[dict]:
    rows: list[dict] = []
    for family in families:
        pixels = side or FAMILIES[family]["size"]
        size = f"{pixels}²"
        code, _, wall, why = child(["--build", family, "--work", str(work), "--options", *options],
                                   work / "logs" / f"{family}-build.log", timeout)
        print(f"{family}: build/check of the models took {wall:.1f}s"
              + ("" if code == 0 else f" and FAILED ({why or f'exit {code}'}; see {work}/logs/{family}-build.log)"),
              flush=True)
        if code != 0:
            rows += [{"family": family, "option": o, "size": size, "error": "build failed"} for o in options]
            continue
        for option in options:
            need, available = estimate_gb(family, option, work, pixels), _meminfo().get("MemAvailable", 0.0)
            if need > available - SAFETY_GB:
                rows.append({"family": family, "option": option, "size": size,
                             "error": f"skipped: needs ≈{need:.1f} GB, the machine has {available:.1f} GB free"})
                print(table(rows[-1:]).splitlines()[-1], flush=True)
                continue
            log = work / "logs" / f"{family}-{option.replace('+', '_')}.log"
            log = log.with_name(f"{log.stem}_{pixels}.log")
            code, out, wall, why = child(["--one", family, option, "--work", str(work), "--steps", str(steps),
                                          "--size", str(pixels)], log, timeout)
            found = [line[len("RESULT "):] for line in out.splitlines() if line.startswith("RESULT ")]
            row = json.loads(found[-1]) if found else {
                "family": family, "option": option, "size": size,
                "error": why or f"exit {code} with no result (see {log})"}
            row["wall_s"] = wall
            row["estimate_gb"] = need
            rows.append(row)
            print(table(rows[-1:]).splitlines()[-1], flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--family", choices=["sd15", "sdxl", "all"], default="all")
    parser.add_argument("--options", nargs="+", choices=OPTIONS, default=list(OPTIONS))
    parser.add_argument("--steps", type=int, default=2)
    parser.add_argument("--work", type=Path, default=None, help="cache folder for the built models (reused)")
    parser.add_argument("--size", type=int, default=None,
                        help="panel side in pixels for every family (default: 512 for SD 1.5, 1024 for SDXL)")
    parser.add_argument("--timeout", type=float, default=2400.0, help="seconds for one row (or one build)")
    parser.add_argument("--json", type=Path, default=None, help="also write the rows here")
    parser.add_argument("--one", nargs=2, metavar=("FAMILY", "OPTION"), help=argparse.SUPPRESS)
    parser.add_argument("--build", metavar="FAMILY", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        family, option = args.one
        print("RESULT " + json.dumps(run_one(family, option, args.work, args.steps, args.size)), flush=True)
        return
    if args.build:
        build(args.build, args.work, args.options)
        return
    families = ["sd15", "sdxl"] if args.family == "all" else [args.family]
    temporary = None if args.work else tempfile.TemporaryDirectory(prefix="bench-fullsize-")
    work = (args.work or Path(temporary.name)).resolve()
    try:
        memory = _meminfo()
        print(f"full-size renders: {', '.join(families)}; options {', '.join(args.options)}; {args.steps} steps; "
              f"CPU ×{os.cpu_count()}, {memory.get('MemTotal', 0):.1f} GB RAM ({memory.get('MemAvailable', 0):.1f} "
              f"free); work {work}", flush=True)
        rows = drive(families, args.options, args.steps, work, args.timeout, args.size)
        print()
        print(table(rows))
        if args.json:
            args.json.write_text(json.dumps(rows, indent=2))
    finally:
        if temporary is not None:
            temporary.cleanup()


if __name__ == "__main__":
    main()
