"""Time text → project → sketch panels → PDF (+ strip) for boards of 10, 100 and 1000 scenes.

    python benchmarks/bench_pipeline.py [--sizes 10 100 1000]

Prints one row per size: seconds per stage, the total, and the total per scene
(flat per-scene time = linear growth). Goal: 1000 scenes in under 60 s on 2 cores.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from storyboard import studio  # noqa: E402
from storyboard.planning import nlp  # noqa: E402

NAMES = ["Mara", "Tom", "Elena", "Jonas", "Ravi", "Ines", "Kofi", "Yuki"]
PLACES = ["harbour", "kitchen", "station", "forest", "lamp room", "garden", "market", "bridge"]
PARAGRAPH = (
    "{a}, a tired fisherman, walks to the {p} at dawn. He finds a key in the sand and smiles. "
    '"Someone lost this," {a} says to {b}. They argue by the water, and {b} runs along the shore. '
    "At night {b} climbs to the roof of the {q}. The storm breaks over the town."
)


def story(paragraphs: int) -> str:
    blocks = []
    for i in range(paragraphs):
        a, b = NAMES[i % len(NAMES)], NAMES[(i + 3) % len(NAMES)]
        blocks.append(PARAGRAPH.format(a=a, b=b, p=PLACES[i % len(PLACES)], q=PLACES[(i + 5) % len(PLACES)]))
    return "Benchmark Story\n\n" + "\n\n".join(blocks)


def scenes_per_paragraph() -> float:
    with tempfile.TemporaryDirectory() as tmp:
        return len(studio.plan(story(10), tmp).scenes) / 10


def run(target: int, per_paragraph: float) -> dict:
    text = story(max(1, round(target / per_paragraph)))
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        project = studio.plan(text, tmp)
        t1 = time.perf_counter()
        studio.render(tmp)
        t2 = time.perf_counter()
        studio.export(tmp, studio.ExportRequest(kinds=["pdf"]))
        t3 = time.perf_counter()
        studio.export(tmp, studio.ExportRequest(kinds=["strip"]))
        t4 = time.perf_counter()
    total = t3 - t0
    return {"scenes": len(project.scenes), "plan": t1 - t0, "render": t2 - t1, "pdf": t3 - t2, "strip": t4 - t3,
            "total": total, "per_scene_ms": 1000 * total / len(project.scenes)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000])
    args = parser.parse_args()
    t = time.perf_counter()
    nlp.load()
    print(f"spaCy model load (once per process): {time.perf_counter() - t:.2f} s")
    per_paragraph = scenes_per_paragraph()
    print("| scenes | plan s | render s | pdf s | text→PDF total s | ms per scene | strip s |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for size in args.sizes:
        r = run(size, per_paragraph)
        print(f"| {r['scenes']} | {r['plan']:.2f} | {r['render']:.2f} | {r['pdf']:.2f} | {r['total']:.2f} "
              f"| {r['per_scene_ms']:.1f} | {r['strip']:.2f} |", flush=True)


if __name__ == "__main__":
    main()
