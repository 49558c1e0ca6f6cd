"""Training speed on the tiny pipeline, with and without the latent/text-embedding cache, and peak memory.

    python benchmarks/bench_training.py [--steps 40] [--resolution 128]

Each mode runs in its own process so its peak memory (max RSS) is its own.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def one_run(model: str, cache: bool, steps: int, resolution: int) -> dict:
    import numpy as np
    from diffusers import StableDiffusionPipeline
    from PIL import Image

    from storyboard.training.config import TrainConfig
    from storyboard.training.lora import LoraTrainer

    rng = np.random.default_rng(0)
    images = [Image.fromarray(rng.integers(0, 255, (resolution, resolution, 3), dtype=np.uint8)) for _ in range(6)]
    pipe = StableDiffusionPipeline.from_pretrained(model)
    config = TrainConfig(steps=steps, rank=8, resolution=resolution, cache=cache, checkpoint_every=0,
                         preview_every=0)
    trainer = LoraTrainer(pipe, config)
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        trainer.train(images, ["a photo of kiluvt person"] * len(images), Path(tmp) / "x.safetensors", "bench")
        seconds = time.perf_counter() - start
    return {"steps_per_s": steps / seconds, "seconds": seconds,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=40)
    parser.add_argument("--resolution", type=int, default=128)
    parser.add_argument("--child", nargs=2, metavar=("MODEL", "CACHE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(one_run(args.child[0], args.child[1] == "1", args.steps, args.resolution)))
        return
    from tests.fixtures import tiny_sd

    with tempfile.TemporaryDirectory() as tmp:
        model = str(tiny_sd.save_pipeline(Path(tmp) / "tiny"))
        rows = {}
        for cache in (True, False):
            out = subprocess.run([sys.executable, __file__, "--steps", str(args.steps), "--resolution",
                                  str(args.resolution), "--child", model, "1" if cache else "0"],
                                 capture_output=True, text=True, check=True)
            rows[cache] = json.loads(out.stdout.strip().splitlines()[-1])
    print(f"tiny SD pipeline, {args.steps} steps, {args.resolution}×{args.resolution}, 6 pictures, CPU")
    print("| mode | steps/s | seconds | peak RSS MB |")
    print("|---|---:|---:|---:|")
    for cache, row in rows.items():
        label = "cached latents + text embeddings" if cache else "encode every step"
        print(f"| {label} | {row['steps_per_s']:.1f} | {row['seconds']:.2f} | {row['peak_mb']:.0f} |")
    print(f"| speed-up from the cache | {rows[True]['steps_per_s'] / rows[False]['steps_per_s']:.2f}× | | |")


if __name__ == "__main__":
    main()
