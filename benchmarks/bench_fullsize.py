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
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fullsize_models import CHARACTERS, FAMILIES, _log, build, layout  # noqa: E402  (beside this script)

OPTIONS = ("plain", "loras", "controlnet", "controlnet+loras", "ip_adapter")
SAFETY_GB = 0.75  # stop a row when the machine has less than this left


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
