"""The diffusion engine's overhead, on a tiny real pipeline (CPU is fine):

1. 12 panels through DiffusionRenderer.render vs the same 12 bare `pipe(...)` calls (goal: ≤ 1.05×);
2. switching character LoRAs between panels (set_adapters) vs reloading them from disk each panel.

    python benchmarks/bench_engine.py [--steps 10] [--size 128]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from storyboard.layout import blueprint  # noqa: E402
from storyboard.project import Character, Project, Scene  # noqa: E402
from storyboard.render.diffusion import DiffusionRenderer, fit_prompt  # noqa: E402
from storyboard.render.models import ModelManager  # noqa: E402
from tests.fixtures import tiny_sd  # noqa: E402

PANELS = 12


def board(loras: dict[str, Path]) -> Project:
    project = Project(title="Bench", aspect_ratio="1:1",
                      characters=[Character(name, lora=str(path)) for name, path in loras.items()])
    names = list(loras)
    project.scenes = [Scene(number=str(i + 1), id=f"s{i:04d}", shot="MS", seed=1000 + i, characters=[names[i % 2]],
                            prompt=f"medium shot; {names[i % 2]}; panel {i}; harbour at dusk") for i in range(PANELS)]
    project.validate()
    return project


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--size", type=int, default=128)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    import torch
    from diffusers import StableDiffusionPipeline

    torch.set_num_threads(2)
    with tempfile.TemporaryDirectory() as tmp:
        model = tiny_sd.save_pipeline(Path(tmp) / "tiny")
        maker = StableDiffusionPipeline.from_pretrained(str(model))
        loras = {name: tiny_sd.save_lora(maker, Path(tmp) / f"{name}.safetensors", seed=i + 1)
                 for i, name in enumerate(("Mara", "Tom"))}
        project = board(loras)
        engine = DiffusionRenderer(ModelManager(device="cpu"))
        settings = {"model": str(model), "steps": args.steps, "project_folder": tmp}  # the LoRAs live there
        size = (args.size, args.size)
        first = project.scenes[0]
        engine.render(first, blueprint(first, project), project, size, settings)  # load model + adapters once
        pipe = engine.models.loaded.pipe

        def run_engine() -> float:
            start = time.perf_counter()
            for scene in project.scenes:
                engine.render(scene, blueprint(scene, project), project, size, settings)
            return time.perf_counter() - start

        def run_bare() -> float:
            # what a hand-written script would do: switch the adapter, call the pipeline
            start = time.perf_counter()
            for i, scene in enumerate(project.scenes):
                pipe.set_adapters([f"char_{('mara', 'tom')[i % 2]}"])
                pipe(prompt=fit_prompt(scene.prompt, pipe.tokenizer), num_inference_steps=args.steps,
                     guidance_scale=7.5, width=args.size, height=args.size,
                     generator=torch.Generator("cpu").manual_seed(scene.seed))
            return time.perf_counter() - start

        engine_t = min(run_engine() for _ in range(args.repeats))
        bare_t = min(run_bare() for _ in range(args.repeats))

        def switch() -> float:
            start = time.perf_counter()
            for i in range(PANELS):
                pipe.set_adapters([f"char_{('mara', 'tom')[i % 2]}"])
            return (time.perf_counter() - start) / PANELS

        def reload() -> float:
            start = time.perf_counter()
            for i in range(PANELS):
                name = ("Mara", "Tom")[i % 2]
                pipe.delete_adapters(["reload"]) if "reload" in pipe.get_list_adapters().get("unet", []) else None
                pipe.load_lora_weights(str(loras[name].parent), weight_name=loras[name].name, adapter_name="reload")
                pipe.set_adapters(["reload"])
            pipe.delete_adapters(["reload"])
            return (time.perf_counter() - start) / PANELS

        switch_t, reload_t = min(switch() for _ in range(args.repeats)), min(reload() for _ in range(args.repeats))
    print(f"{PANELS} panels, {args.steps} steps, {args.size}×{args.size}, tiny SD pipeline on CPU (best of "
          f"{args.repeats})")
    print("| measure | seconds | ratio |")
    print("|---|---:|---:|")
    print(f"| bare pipe() × {PANELS} | {bare_t:.3f} | 1.00× |")
    print(f"| engine render × {PANELS} | {engine_t:.3f} | {engine_t / bare_t:.3f}× (goal ≤ 1.05×) |")
    print(f"| switch adapters (set_adapters), per panel | {switch_t * 1000:.2f} ms | 1.00× |")
    print(f"| reload LoRA from disk, per panel | {reload_t * 1000:.2f} ms | {reload_t / switch_t:.1f}× |")


if __name__ == "__main__":
    main()
